/**
 * The Yjs document of a workspace, kept in Dexie. Every update the document takes in is stored
 * as it comes (`UpdateWriter`), in a small transaction of its own, before the events it carried
 * are verified and folded: what a teammate sent is kept even if the page closes, or the
 * teammate leaves, a second later. Folding 10k events takes seconds; storing their update
 * takes tens of milliseconds. Starting applies the stored rows without verifying or folding
 * them again; only entries that are not in the log yet (stored, and the page closed before
 * their fold) are taken in again (see `WorkspaceSync.start`).
 *
 * Rows are applied one by one, giving the page a turn between them, and compaction merges
 * neighbouring rows into rows of about `ROW_TARGET_BYTES`, never into one. A shared workspace
 * of 100k events is a 75 MB document: merged into one row, it cost a 1 s task to apply on every
 * start (and 2.5 s more to merge, when the rows were merged at load), freezing the page just
 * after its first paint. In rows of 2 MB each apply takes tens of milliseconds.
 * `Y.mergeUpdates` keeps every item, so merging never loses an event.
 */
import * as Y from 'yjs';
import type { SyncUpdateRow, WorkspaceDb } from '../store/schema';
import { logger } from '../logging/logger';

const log = logger('sync');

/** The origin Stemma gives updates it applies from storage (nobody needs them again). */
export const STORAGE_ORIGIN = Symbol('stemma-storage');

/** Compaction merges rows up to about this size; a row this big applies in tens of ms. */
export const ROW_TARGET_BYTES = 2 * 1024 * 1024;

/** Rows up to this `seq` are merged as far as they will be; compaction starts after them. */
const COMPACTED_KEY = 'sync:compactedThrough';

/** Applying or merging gives the page a turn once it has worked this long. */
const TURN_MS = 30;

/** Compaction is due after this many stored rows. */
const COMPACT_EVERY = 16;

/** Loads every stored update into `doc`, in the order stored. Returns the number of rows. */
export async function loadDoc(db: WorkspaceDb, doc: Y.Doc): Promise<number> {
  const rows = await db.syncUpdates.orderBy('seq').toArray();
  const turns = new Turns();
  for (const row of rows) {
    Y.applyUpdate(doc, row.update, STORAGE_ORIGIN);
    await turns.maybeYield();
  }
  return rows.length;
}

/**
 * Stores the document's updates as they come, in transactions on `syncUpdates` alone, so that
 * they do not wait behind a round of folding (which writes every other table). The write
 * starts in the task the update came in, before the verifying and folding it sets off can take
 * the page's thread; updates that come while a write is under way go together in the next one.
 * A failed write keeps its updates for the next one.
 * Compaction is left to `compactIfDue`, which the sync calls when it is idle: merging megabytes
 * of updates is seconds of CPU the fold of a large sync needs more.
 */
export class UpdateWriter {
  private queue: Uint8Array[] = [];
  private writing: Promise<void> | null = null;
  private compacting: Promise<unknown> | null = null;
  private rows = 0;
  /** The last failure to store, shown with the sync state; cleared by the next good write. */
  lastError: unknown = null;

  constructor(
    private readonly db: WorkspaceDb,
    private readonly compactAfter: number,
  ) {}

  add(update: Uint8Array): void {
    this.queue.push(update);
    this.writing ??= this.write();
  }

  /** True while some update is not stored yet, or the rows are being compacted. */
  get busy(): boolean {
    return this.queue.length > 0 || this.writing !== null || this.compacting !== null;
  }

  /** Resolves once every update given so far is stored (or its write failed). */
  async stored(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Resolves once nothing is being written or compacted (before the database closes). */
  async settled(): Promise<void> {
    while (this.writing || this.compacting) {
      await this.writing;
      await this.compacting;
    }
  }

  /** Compacts the stored rows when enough were added since the last time; never two at once. */
  compactIfDue(): void {
    if (this.compacting || this.rows < COMPACT_EVERY) return;
    this.rows = 0;
    this.compacting = compactDoc(this.db, this.compactAfter)
      .catch((error: unknown) => log.warn('could not compact the stored document', error))
      .finally(() => (this.compacting = null));
  }

  private async write(): Promise<void> {
    try {
      while (this.queue.length) {
        const updates = this.queue;
        this.queue = [];
        try {
          await this.db.transaction('rw', this.db.syncUpdates, () =>
            storeUpdates(this.db, updates),
          );
        } catch (error) {
          this.queue = [...updates, ...this.queue];
          throw error;
        }
        this.rows++;
      }
      this.lastError = null;
    } catch (error) {
      this.lastError = error;
      log.error('could not store a sync update; it is kept and stored with the next one', error);
    } finally {
      this.writing = null;
    }
  }
}

/** Stores updates as one row. Call inside a transaction that includes `syncUpdates`. */
export async function storeUpdates(db: WorkspaceDb, updates: Uint8Array[]): Promise<void> {
  if (updates.length === 0) return;
  const update = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
  await db.syncUpdates.add({ update });
}

/**
 * Merges the rows stored since the last compaction into rows of up to `targetBytes` (a row
 * already larger stays as it is) when there are more than `threshold` of them. Merging happens
 * outside any transaction, with turns for the page; the rows are then swapped in one
 * transaction, unless another tab compacted them first. Returns true when rows were merged.
 */
export async function compactDoc(
  db: WorkspaceDb,
  threshold: number,
  targetBytes = ROW_TARGET_BYTES,
): Promise<boolean> {
  const through = ((await db.meta.get(COMPACTED_KEY))?.value as number | undefined) ?? 0;
  const rows = await db.syncUpdates.where('seq').above(through).toArray();
  if (rows.length <= threshold) return false;

  const groups = groupRows(rows, targetBytes);
  const merged: { seqs: number[]; row: SyncUpdateRow }[] = [];
  const turns = new Turns();
  for (const group of groups) {
    if (group.length < 2) continue;
    const update = Y.mergeUpdates(group.map((row) => row.update));
    merged.push({ seqs: group.map((row) => row.seq!), row: { seq: group[0].seq, update } });
    await turns.maybeYield();
  }
  if (merged.length === 0) return false;
  // Every group but the last is full; the last may take the next rows in.
  const full = groups.at(-2)?.at(-1)?.seq ?? through;

  return db.transaction('rw', db.syncUpdates, db.meta, async () => {
    const seqs = merged.flatMap((group) => group.seqs);
    const present = await db.syncUpdates.where('seq').anyOf(seqs).primaryKeys();
    if (present.length !== seqs.length) return false;
    await db.syncUpdates.bulkDelete(seqs);
    await db.syncUpdates.bulkAdd(merged.map((group) => group.row));
    await db.meta.put({ key: COMPACTED_KEY, value: full });
    return true;
  });
}

/** Runs of neighbouring rows whose updates add up to at most `targetBytes` (or one row). */
function groupRows(rows: SyncUpdateRow[], targetBytes: number): SyncUpdateRow[][] {
  const groups: SyncUpdateRow[][] = [];
  let group: SyncUpdateRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (group.length > 0 && bytes + row.update.byteLength > targetBytes) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(row);
    bytes += row.update.byteLength;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** Hands the event loop a turn once `TURN_MS` of work has passed since the last one. */
class Turns {
  private since = performance.now();

  async maybeYield(): Promise<void> {
    if (performance.now() - this.since < TURN_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.since = performance.now();
  }
}
