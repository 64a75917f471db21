/**
 * The first step of each sync round: sorting the document entries that changed into events
 * that verify (and count, once judged), copies to restore (a peer deleted or overwrote an
 * entry this browser holds a sound copy of: the set is grow-only), and entries that are
 * forged or malformed, with the reason. It changes no state of its own, so the pump can sort
 * the next round's entries while the previous round is being written.
 */
import type * as Y from 'yjs';
import { type SyncEvent, type TeamEvent, verifySyncEvent } from './team-events';
import type { WorkspaceDb } from '../store/schema';

/** Signatures checked at once: enough to keep WebCrypto busy, few enough to bound memory. */
const VERIFY_BATCH = 256;

/** An event as signed, without any fields a store row adds. */
export function strip(event: SyncEvent): SyncEvent {
  const { id, hlc, actor, type, entity, payload, sig } = event;
  return { id, hlc, actor, type, entity, payload, sig } as SyncEvent;
}

/** Verifies entries a batch at a time, in parallel within a batch; never throws. */
async function verifyMany(keys: string[], valueOf: (key: string) => unknown) {
  const out: { event: SyncEvent | null; error: unknown }[] = [];
  for (let start = 0; start < keys.length; start += VERIFY_BATCH) {
    const batch = keys.slice(start, start + VERIFY_BATCH).map((key) => {
      const value = valueOf(key);
      if (value === undefined) return { event: null, error: null };
      return verifySyncEvent(value).then(
        (event) => ({ event, error: null }),
        (error: unknown) => ({ event: null, error }),
      );
    });
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

export interface EntrySources {
  events: Y.Map<unknown>;
  /** Verified team events held in memory. */
  team: ReadonlyMap<string, TeamEvent>;
  db: WorkspaceDb;
}

export interface SortedEntries {
  /** Entries whose id and signature verify. */
  fresh: SyncEvent[];
  /** Sound copies this browser holds of entries a peer deleted or overwrote. */
  restore: SyncEvent[];
  /** Entries that are forged or malformed, with why, and no sound copy here. */
  rejected: Map<string, string>;
}

/**
 * Sorts the changed `keys`. The signatures are checked many at a time (each is a WebCrypto
 * call off the main thread, so awaiting them one by one would leave it idle). What this
 * browser holds is read only for the entries that fail, in one query: a round of thousands of
 * sound entries then reads nothing, and the log's own write checks for duplicates anyway.
 */
export async function sortEntries(keys: string[], sources: EntrySources): Promise<SortedEntries> {
  const { events, team, db } = sources;
  const fresh: SyncEvent[] = [];
  const failed: { key: string; value: unknown; error: unknown }[] = [];
  const checked = await verifyMany(keys, (key) => events.get(key));
  for (const [index, key] of keys.entries()) {
    const value = events.get(key);
    const outcome = checked[index];
    let error = value === undefined ? new Error('deleted') : outcome.error;
    if (error === null && outcome.event!.id !== key) {
      error = new Error(`it is stored under another id (${key})`);
    }
    if (error !== null) {
      failed.push({ key, value, error });
      continue;
    }
    fresh.push(outcome.event!);
  }

  const restore: SyncEvent[] = [];
  const rejected = new Map<string, string>();
  const rows = await db.events.bulkGet(failed.map(({ key }) => key).filter((k) => !team.has(k)));
  const held = new Map(rows.flatMap((row) => (row ? [[row.id, row] as const] : [])));
  for (const { key, value, error } of failed) {
    // Grow-only: a deletion or an overwrite by a peer never takes away what we hold.
    const known = team.get(key) ?? held.get(key);
    const copy = known && strip(known as SyncEvent);
    const sound =
      copy &&
      (await verifySyncEvent(copy).then(
        () => true,
        () => false,
      ));
    if (copy && sound) restore.push(copy);
    else if (value !== undefined) {
      rejected.set(key, error instanceof Error ? error.message : String(error));
    }
  }
  return { fresh, restore, rejected };
}
