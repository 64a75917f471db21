/**
 * The Yjs document of a workspace, kept in Dexie. Every update the document took in is stored
 * as a row, in the same transaction that folds the events it carried, so what is stored is
 * always what was folded. Starting applies the stored rows (one merged update after
 * compaction) without looking at a single event: nothing is folded or verified again.
 * `compact` merges the rows into one with `Y.mergeUpdates`, which keeps every item and so
 * every event, and drops the row count back to one.
 */
import * as Y from 'yjs';
import type { WorkspaceDb } from '../store/schema';

/** The origin Stemma gives updates it applies from storage (nobody needs them again). */
export const STORAGE_ORIGIN = Symbol('stemma-storage');

/** Loads every stored update into `doc`. Returns the number of rows read. */
export async function loadDoc(db: WorkspaceDb, doc: Y.Doc): Promise<number> {
  const rows = await db.syncUpdates.orderBy('seq').toArray();
  if (rows.length === 0) return 0;
  const merged = rows.length === 1 ? rows[0].update : Y.mergeUpdates(rows.map((r) => r.update));
  Y.applyUpdate(doc, merged, STORAGE_ORIGIN);
  return rows.length;
}

/** Stores updates as one row. Call inside a transaction that includes `syncUpdates`. */
export async function storeUpdates(db: WorkspaceDb, updates: Uint8Array[]): Promise<void> {
  if (updates.length === 0) return;
  const update = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
  await db.syncUpdates.add({ update });
}

/** Merges the stored rows into one when there are more than `threshold`. */
export async function compactDoc(db: WorkspaceDb, threshold: number): Promise<boolean> {
  return db.transaction('rw', db.syncUpdates, async () => {
    const count = await db.syncUpdates.count();
    if (count <= threshold) return false;
    const rows = await db.syncUpdates.orderBy('seq').toArray();
    const merged = Y.mergeUpdates(rows.map((row) => row.update));
    await db.syncUpdates.clear();
    await db.syncUpdates.add({ update: merged });
    return true;
  });
}
