/**
 * A watched folder that is an MLflow file store (`mlruns/`), or holds one at its top level:
 * its files are not model files to name by the folder's rule but a store to import. A rescan
 * that finds any of the store's files new or changed imports the whole store again with the
 * MLflow importer, which adds only what is new (runs, metric points, logged and registered
 * versions) and brings changed records up to date, so a run MLflow is still writing is taken
 * in as it grows.
 */
import type { Registry } from '../../registry/api';
import type { SeenFile } from '../../store/watched-folders';
import { importMlflow, type MlflowImportSummary } from '../mlflow';
import { findStoreRoot } from '../mlflow/files';
import type { ScannedFile } from './directory';
import { diffScan } from './scan-diff';

/** What a rescan did with the MLflow store in the folder. */
export interface WatchedStoreReport {
  /** The store's folder below the watched one; `''` when the watched folder is the store. */
  root: string;
  /** Files of the store, and how many were new or changed since the last scan. */
  files: number;
  changed: number;
  /** The import's summary; null when nothing had changed and nothing was imported. */
  summary: MlflowImportSummary | null;
}

/**
 * Store files are not hashed: the importer reads them, and hashing every artifact on every
 * rescan would cost more than the import. Their size and time are what a rescan compares.
 */
const NOT_HASHED = '';

/** The store's root in `paths` when it is the folder itself or one folder below it. */
export function watchedStoreRoot(paths: readonly string[]): string | null {
  const root = findStoreRoot(paths);
  if (root === null || root.includes('/')) return null;
  return root;
}

export function inStore(path: string, root: string): boolean {
  return root === '' || path.startsWith(`${root}/`);
}

/** Splits a scan into the store's files and the model files around it. */
export function splitStore(files: ScannedFile[]): {
  root: string | null;
  store: ScannedFile[];
  rest: ScannedFile[];
} {
  const root = watchedStoreRoot(files.map((file) => file.path));
  if (root === null) return { root, store: [], rest: files };
  const store: ScannedFile[] = [];
  const rest: ScannedFile[] = [];
  for (const file of files) (inStore(file.path, root) ? store : rest).push(file);
  return { root, store, rest };
}

/** The part of `seen` under the store (`inside`) or outside it. */
export function seenPart(
  seen: Readonly<Record<string, SeenFile>>,
  root: string | null,
  inside: boolean,
): Record<string, SeenFile> {
  if (root === null) return inside ? {} : { ...seen };
  return Object.fromEntries(
    Object.entries(seen).filter(([path]) => inStore(path, root) === inside),
  );
}

/**
 * Imports the store when any of its files is new or changed; returns the report and the
 * store's part of what the scan saw. A failed import leaves the files unseen, so the next
 * rescan tries again.
 */
export async function importWatchedStore(
  registry: Registry,
  root: string,
  files: ScannedFile[],
  seenBefore: Readonly<Record<string, SeenFile>>,
): Promise<{ report: WatchedStoreReport; seen: Record<string, SeenFile> }> {
  // Files a scan from before stores were recognised registered (hashed) count as unseen, so
  // such a folder has its store imported once.
  const imported = Object.fromEntries(
    Object.entries(seenBefore).filter(([, file]) => file.sha256 === NOT_HASHED),
  );
  const diff = diffScan(imported, files);
  const changed = diff.added.length + diff.touched.length;
  const report: WatchedStoreReport = { root, files: files.length, changed, summary: null };
  if (changed === 0) {
    const seen = { ...imported };
    for (const path of diff.removed) delete seen[path];
    return { report, seen };
  }
  report.summary = await importMlflow(
    registry,
    files.map(({ path, file }) => ({ path, file })),
  );
  const seen: Record<string, SeenFile> = {};
  for (const { path, file } of files) {
    seen[path] = { size: file.size, lastModified: file.lastModified, sha256: NOT_HASHED };
  }
  return { report, seen };
}
