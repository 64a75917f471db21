/**
 * Short messages that float over the page: confirmations and errors that belong to no form.
 * Errors stay until dismissed, because they usually say what to do next.
 */
import { errorMessage } from './form-errors';

export type NoticeKind = 'info' | 'success' | 'error';

export interface Notice {
  id: number;
  kind: NoticeKind;
  text: string;
}

const quietAfterMs = 5000;

export class Notices {
  items = $state<Notice[]>([]);
  #next = 1;

  /** Shows a message; info and success fade by themselves. */
  push(kind: NoticeKind, text: string): void {
    const id = this.#next++;
    this.items.push({ id, kind, text });
    if (kind !== 'error') setTimeout(() => this.dismiss(id), quietAfterMs);
  }

  success(text: string): void {
    this.push('success', text);
  }

  /** Shows a thrown value; a StemmaError's message already says what to do. */
  error(error: unknown): void {
    this.push('error', errorMessage(error));
  }

  dismiss(id: number): void {
    this.items = this.items.filter((notice) => notice.id !== id);
  }
}

export const notices = new Notices();
