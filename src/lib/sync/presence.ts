/**
 * Who is online, on which page, and when each teammate was last seen, through the Yjs
 * awareness protocol (y-protocols), which every provider carries. Each browser publishes its
 * actor, name and page and refreshes it every `HEARTBEAT_MS`; a teammate who goes away keeps
 * their last-seen time here until the page is reloaded.
 */
import { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';

export const HEARTBEAT_MS = 15_000;

export interface PresenceEntry {
  actor: string;
  name: string;
  page: string;
  online: boolean;
  /** Milliseconds since the epoch. */
  lastSeen: number;
}

interface LocalState {
  actor: string;
  name: string;
  page: string;
  at: number;
}

export class Presence {
  readonly awareness: Awareness;
  private readonly seen = new Map<string, PresenceEntry>();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly listeners = new Set<() => void>();

  constructor(doc: Y.Doc, self: { actor: string; name: string }, page = '/') {
    this.awareness = new Awareness(doc);
    this.awareness.setLocalState({ ...self, page, at: Date.now() } satisfies LocalState);
    this.awareness.on('change', () => this.record());
    this.timer = setInterval(() => this.update({}), HEARTBEAT_MS);
  }

  private update(change: Partial<LocalState>) {
    const state = this.awareness.getLocalState() as LocalState | null;
    if (state) this.awareness.setLocalState({ ...state, ...change, at: Date.now() });
  }

  setPage(page: string) {
    this.update({ page });
  }

  setName(name: string) {
    this.update({ name });
  }

  private record() {
    const online = new Set<string>();
    for (const [client, raw] of this.awareness.getStates()) {
      if (client === this.awareness.clientID) continue;
      const state = raw as Partial<LocalState>;
      if (typeof state.actor !== 'string') continue;
      online.add(state.actor);
      this.seen.set(state.actor, {
        actor: state.actor,
        name: String(state.name ?? ''),
        page: String(state.page ?? '/'),
        online: true,
        lastSeen: typeof state.at === 'number' ? state.at : Date.now(),
      });
    }
    for (const entry of this.seen.values()) {
      if (!online.has(entry.actor)) entry.online = false;
    }
    for (const listener of this.listeners) listener();
  }

  /** Teammates seen since this page opened, online first, then most recently seen. */
  teammates(): PresenceEntry[] {
    return [...this.seen.values()].sort(
      (a, b) => Number(b.online) - Number(a.online) || b.lastSeen - a.lastSeen,
    );
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy() {
    clearInterval(this.timer);
    this.awareness.destroy();
  }
}
