/**
 * The list of document entries that do not count, for the "rejected events" view: forged or
 * malformed entries (`invalid`), events their author's role does not allow (`rejected`), and
 * moves of protected aliases waiting for an approval (`held`). All are kept, none is folded.
 */
import type * as Y from 'yjs';
import type { Verdict } from './authority';
import type { StemmaEvent } from '../store/event';

/** An entry of the document that does not count, with why. */
export interface RefusedEvent {
  id: string;
  type: string;
  actor: string;
  hlc: string;
  status: 'rejected' | 'held' | 'invalid';
  reason: string;
}

/** Every refused entry, in fold order (malformed stamps first). */
export function listRefused(
  events: Y.Map<unknown>,
  verdictOf: (id: string) => Verdict | null,
  invalid: ReadonlyMap<string, string>,
): RefusedEvent[] {
  const out: RefusedEvent[] = [];
  for (const [key, value] of events) {
    const verdict = verdictOf(key);
    if (!verdict || verdict.status === 'counted') continue;
    const event = (value ?? {}) as Partial<StemmaEvent>;
    out.push({
      id: key,
      type: String(event.type ?? '?'),
      actor: String(event.actor ?? '?'),
      hlc: String(event.hlc ?? ''),
      status: invalid.has(key) ? 'invalid' : verdict.status,
      reason: verdict.reason,
    });
  }
  return out.sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.id < b.id ? -1 : 1));
}
