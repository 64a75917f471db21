/**
 * A short journal of which version rows each write transaction changed, kept in `meta`.
 *
 * Search keeps a copy of every version's searchable fields in memory (see
 * `registry/search/memory-index.ts`). Other tabs and sync write the same database, so that
 * copy cannot learn of changes by being told; instead, every transaction that writes version
 * rows also bumps a sequence number here and notes the ids it wrote. A reader compares the
 * number with the one its copy was taken at (one small read) and re-reads only the rows noted
 * since. An entry without ids (a rebuild, a wipe, a huge batch) means "read everything again".
 *
 * The epoch changes whenever the sequence starts over (a wiped `meta`), so a copy taken
 * before can never mistake a new sequence for its own.
 */
import type { WorkspaceDb } from './schema';

const STAMP_KEY = 'versions:stamp';
const ENTRY_PREFIX = 'versions:change:';
/** Entries kept; a reader further behind reads everything again. */
const KEEP_ENTRIES = 64;
/** A transaction writing more rows than this is noted as "everything". */
const MAX_NOTED_IDS = 10_000;

/** Where the journal stands: readers compare both parts with their copy's. */
export interface JournalStamp {
  epoch: string;
  seq: number;
}

/**
 * What changed after a reader's stamp:
 * - `changed`: these version ids (none when the stamp is current);
 * - `older`: this transaction sees a state before the reader's, so the reader's copy is of no
 *   use to it, though still sound;
 * - `unknown`: the journal no longer says (pruned, a rebuild, another epoch): read everything.
 */
export type JournalChanges =
  | { kind: 'changed'; stamp: JournalStamp; ids: Set<string> }
  | { kind: 'older' }
  | { kind: 'unknown' };

/** The journal's position; a database that never noted a change has a stamp of its own. */
export async function journalStamp(db: WorkspaceDb): Promise<JournalStamp> {
  const row = await db.meta.get(STAMP_KEY);
  return (row?.value as JournalStamp | undefined) ?? { epoch: '', seq: 0 };
}

/**
 * Gives a database that never noted a change its epoch, so that a copy taken now and the
 * changes noted after it share one; without it the first write would start a new epoch and
 * make every copy read everything again.
 */
export async function startJournal(db: WorkspaceDb): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const row = await db.meta.get(STAMP_KEY);
    if (!row) await db.meta.put({ key: STAMP_KEY, value: { epoch: crypto.randomUUID(), seq: 0 } });
  });
}

/**
 * Notes that this transaction wrote the version rows `ids` (null: any or all of them). Call
 * inside a read-write transaction that includes `meta`, after the writes.
 */
export async function noteVersionChanges(
  db: WorkspaceDb,
  ids: Iterable<string> | null,
): Promise<void> {
  const list = ids === null ? null : [...ids];
  if (list?.length === 0) return;

  const current = await journalStamp(db);
  const stamp: JournalStamp = current.epoch
    ? { epoch: current.epoch, seq: current.seq + 1 }
    : { epoch: crypto.randomUUID(), seq: 1 };
  const noted = list && list.length <= MAX_NOTED_IDS ? list : null;
  await db.meta.bulkPut([
    { key: STAMP_KEY, value: stamp },
    { key: entryKey(stamp.seq), value: noted },
  ]);
  if (stamp.seq > KEEP_ENTRIES) {
    await db.meta
      .where('key')
      .between(entryKey(0), entryKey(stamp.seq - KEEP_ENTRIES), true, true)
      .delete();
  }
}

/** The version ids written after `since`, read inside the caller's transaction. */
export async function versionChangesSince(
  db: WorkspaceDb,
  since: JournalStamp,
): Promise<JournalChanges> {
  const stamp = await journalStamp(db);
  if (stamp.epoch !== since.epoch) return { kind: 'unknown' };
  if (stamp.seq === since.seq) return { kind: 'changed', stamp, ids: new Set() };
  if (stamp.seq < since.seq) return { kind: 'older' };

  const entries = await db.meta
    .where('key')
    .between(entryKey(since.seq + 1), entryKey(stamp.seq), true, true)
    .toArray();
  // A pruned entry leaves a gap: what it held is unknown.
  if (entries.length !== stamp.seq - since.seq) return { kind: 'unknown' };
  const ids = new Set<string>();
  for (const entry of entries) {
    if (entry.value === null) return { kind: 'unknown' };
    for (const id of entry.value as string[]) ids.add(id);
  }
  return { kind: 'changed', stamp, ids };
}

/** Zero-padded, so that the keys sort in sequence order. */
function entryKey(seq: number): string {
  return ENTRY_PREFIX + String(seq).padStart(12, '0');
}
