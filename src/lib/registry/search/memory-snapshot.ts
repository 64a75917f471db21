/**
 * The in-memory search index, saved as one row of `searchCache`, so that opening the
 * workspace again loads that row instead of reading every version. The row carries the
 * journal stamp its columns were taken at; the first search after loading catches up from
 * there through the journal, or builds from scratch when the journal no longer reaches back.
 */
import type { WorkspaceDb } from '../../store/schema';
import type { JournalStamp } from '../../store/version-journal';
import { VersionColumns, type ColumnsSnapshot } from './columns';

const KEY = 'version-columns';
/** Bumped whenever `ColumnsSnapshot` changes shape; a row of another format is ignored. */
const FORMAT = 1;

interface SavedColumns {
  format: number;
  stamp: JournalStamp;
  columns: ColumnsSnapshot;
}

/** The saved index, or null when there is none of this format. */
export async function loadColumns(
  db: WorkspaceDb,
): Promise<{ columns: VersionColumns; stamp: JournalStamp } | null> {
  const row = await db.searchCache.get(KEY);
  const saved = row?.value as SavedColumns | undefined;
  if (!saved || saved.format !== FORMAT) return null;
  return { columns: VersionColumns.fromSnapshot(saved.columns), stamp: saved.stamp };
}

/**
 * Saves `columns` as of `stamp`, unless a copy at least as recent is saved already (another
 * tab may have saved one meanwhile). The snapshot is taken before anything awaits.
 */
export async function saveColumns(
  db: WorkspaceDb,
  columns: VersionColumns,
  stamp: JournalStamp,
): Promise<void> {
  const saved: SavedColumns = { format: FORMAT, stamp, columns: columns.snapshot() };
  await db.transaction('rw', db.searchCache, async () => {
    const current = (await db.searchCache.get(KEY))?.value as SavedColumns | undefined;
    const newer =
      current?.format === FORMAT &&
      current.stamp.epoch === stamp.epoch &&
      current.stamp.seq >= stamp.seq;
    if (!newer) await db.searchCache.put({ key: KEY, value: saved });
  });
}
