/**
 * Walks an index of the versions table in order, reading rows in growing batches, and hands
 * them out in runs of equal index key. A caller that needs one page stops after a few
 * batches, so the first page costs about one small `getAll`, however large the table.
 *
 * IndexedDB orders equal keys by primary key. Where that is the caller's order too (ties
 * broken by id), a long run is read in chunks like the rest. Where it is not (name sorts by
 * model name, then version number), a run is only handed out once it is complete, and the
 * caller sorts inside it.
 */
import { cmp, type IndexableType } from 'dexie';
import type { VersionRow } from '../../store/schema';
import type { VersionTable } from './plan';
import type { WalkSpec } from './order';

/** Batches grow by this factor: small for the first page, fewer round trips after it. */
const GROWTH = 4;
export const MAX_BATCH = 2_000;

/** Receives one run of rows with equal index key; returns false to stop the walk. */
export type RunVisitor = (run: VersionRow[]) => boolean;

/**
 * Visits every row of `spec` in index order (reversed when `descending`), in runs of equal
 * key. Returns true when the walk reached the end, false when `visit` stopped it.
 */
export async function walkIndex(
  table: VersionTable,
  spec: WalkSpec,
  descending: boolean,
  firstBatch: number,
  visit: RunVisitor,
): Promise<boolean> {
  const seen = new Set<string>();
  const handOut = (rows: VersionRow[]) => visitRuns(rows, spec, seen, visit);
  let bound: IndexableType = descending ? spec.upper : spec.lower;
  let boundIncluded = true;
  let size = Math.max(1, Math.min(firstBatch, MAX_BATCH));

  for (;;) {
    const rows = await readBatch(table, spec, descending, bound, boundIncluded, size);
    if (rows.length < size) return handOut(rows);

    // The last key's run may go on past this batch: keep it for the next read.
    const lastKey = spec.keyOf(rows[rows.length - 1]);
    let cut = rows.length - 1;
    while (cut > 0 && cmp(spec.keyOf(rows[cut - 1]), lastKey) === 0) cut -= 1;

    if (cut > 0) {
      if (!handOut(rows.slice(0, cut))) return false;
      bound = lastKey;
      boundIncluded = true;
    } else if (spec.tiesInIndexOrder) {
      // One key fills the whole batch, already in the caller's order: read on in chunks.
      if (!handOut(rows)) return false;
      const chunk = Math.min(size * GROWTH, MAX_BATCH);
      if (!(await walkRun(table, spec, lastKey, descending, rows.length, chunk, handOut))) {
        return false;
      }
      bound = lastKey;
      boundIncluded = false;
    } else {
      // One key fills the whole batch: read its run by primary keys, however long.
      if (!handOut(await readRun(table, spec, lastKey))) return false;
      bound = lastKey;
      boundIncluded = false;
    }
    size = Math.min(size * GROWTH, MAX_BATCH);
  }
}

function readBatch(
  table: VersionTable,
  spec: WalkSpec,
  descending: boolean,
  bound: IndexableType,
  boundIncluded: boolean,
  size: number,
): Promise<VersionRow[]> {
  const where = table.where(spec.index);
  const collection = descending
    ? where.between(spec.lower, bound, true, boundIncluded).reverse()
    : where.between(bound, spec.upper, boundIncluded, true);
  return collection.limit(size).toArray();
}

/** Reads the rest of key `key`'s run, from `offset` on, in chunks; false when stopped. */
async function walkRun(
  table: VersionTable,
  spec: WalkSpec,
  key: IndexableType,
  descending: boolean,
  offset: number,
  chunk: number,
  handOut: (rows: VersionRow[]) => boolean,
): Promise<boolean> {
  let done = offset;
  for (;;) {
    const run = table.where(spec.index).equals(key);
    const rows = await (descending ? run.reverse() : run).offset(done).limit(chunk).toArray();
    if (rows.length > 0 && !handOut(rows)) return false;
    if (rows.length < chunk) return true;
    done += rows.length;
  }
}

async function readRun(
  table: VersionTable,
  spec: WalkSpec,
  key: IndexableType,
): Promise<VersionRow[]> {
  const ids = await table.where(spec.index).equals(key).primaryKeys();
  const rows = await table.bulkGet(ids);
  return rows.filter((row): row is VersionRow => row !== undefined);
}

/** Splits rows into runs of equal key and visits each; false when the visitor stopped. */
function visitRuns(
  rows: VersionRow[],
  spec: WalkSpec,
  seen: Set<string>,
  visit: RunVisitor,
): boolean {
  let start = 0;
  while (start < rows.length) {
    const key = spec.keyOf(rows[start]);
    let end = start + 1;
    while (end < rows.length && cmp(spec.keyOf(rows[end]), key) === 0) end += 1;

    // A multi-entry index can list a row under two keys; it belongs to the first run only.
    const run = rows
      .slice(start, end)
      .filter((row) => !seen.has(row.id) && (spec.include?.(row) ?? true));
    for (const row of run) seen.add(row.id);
    if (run.length > 0 && !visit(run)) return false;
    start = end;
  }
  return true;
}
