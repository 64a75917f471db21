/**
 * MLflow in and out of Stemma, with no server: import a file store (`mlruns/` as a folder or a
 * zip) or an `mlflow.db`, and export the registry as an MLflow-style `models/` folder.
 * The mapping is described in `mapping.ts`.
 *
 * @example
 *   const summary = await importMlflow(registry, files, { onProgress: (p) => (bar = p) });
 */
import type { Registry } from '$lib/registry/api';
import { applyStore, countStore } from './apply';
import { issueOf, NoMlflowStoreError } from './errors';
import { collectFiles, findStoreRoot } from './files';
import { readFileStore } from './file-store';
import { readDatabase } from './sqlite';
import type { SqliteOptions } from './sqlite-loader';
import { StoreTree } from './tree';
import {
  emptyCounts,
  type ImportCounts,
  type ImportEntry,
  type ImportIssue,
  type MlflowImportSummary,
  type MlflowStore,
  type ProgressListener,
} from './types';

export type * from './types';
export * from './errors';
export { exportMlflowRegistry, mlflowRegistryFiles } from './export';

export interface ImportOptions {
  onProgress?: ProgressListener;
  /** How to load SQLite's wasm (Node hands the bytes in). */
  sqlite?: SqliteOptions;
}

function addCounts(into: ImportCounts, more: ImportCounts): void {
  for (const key of Object.keys(into) as (keyof ImportCounts)[]) into[key] += more[key];
}

/** Reads every store in the input (a file tree, and any databases) without writing. */
export async function readMlflowInput(
  entries: ImportEntry[],
  issues: ImportIssue[],
  options: ImportOptions = {},
): Promise<MlflowStore[]> {
  const report = (phase: 'reading' | 'parsing', done: number, total: number, detail: string) =>
    options.onProgress?.({ phase, done, total, detail });
  report('reading', 0, entries.length, 'listing files');
  const { files, databases } = await collectFiles(entries, issues);
  const stores: MlflowStore[] = [];
  if (files.length > 0) {
    const root = findStoreRoot(files.map((file) => file.path));
    if (root !== null) {
      const tree = new StoreTree(files, root);
      stores.push(
        await readFileStore(tree, {
          issues,
          onRun: (done, total) => report('parsing', done, total, `run ${done} of ${total}`),
        }),
      );
    }
  }
  for (const [index, database] of databases.entries()) {
    report('parsing', index, databases.length, database.path);
    try {
      const bytes = new Uint8Array(await database.file.arrayBuffer());
      stores.push(await readDatabase(bytes, database.path, issues, options.sqlite));
    } catch (error) {
      issues.push(issueOf(error, database.path));
    }
  }
  if (stores.length === 0 && !issues.some((issue) => issue.severity === 'skipped')) {
    throw new NoMlflowStoreError(`the ${entries.length} chosen file(s)`);
  }
  return stores;
}

/**
 * Imports MLflow stores from `entries` (a picked folder, dropped files, zips, databases).
 * Bad parts are listed in the summary's issues and skipped; only an input with no store in
 * it at all throws `NoMlflowStoreError`.
 */
export async function importMlflow(
  registry: Registry,
  entries: ImportEntry[],
  options: ImportOptions = {},
): Promise<MlflowImportSummary> {
  const started = Date.now();
  const issues: ImportIssue[] = [];
  const stores = await readMlflowInput(entries, issues, options);
  const summary: MlflowImportSummary = {
    found: emptyCounts(),
    added: emptyCounts(),
    unchanged: 0,
    updated: 0,
    metricPointsThinned: 0,
    issues,
    models: [],
    tookMs: 0,
  };
  const models = new Set<string>();
  for (const store of stores) {
    addCounts(summary.found, countStore(store));
    const result = await applyStore(registry, store, issues, options.onProgress);
    addCounts(summary.added, result.added);
    summary.unchanged += result.unchanged;
    summary.updated += result.updated;
    summary.metricPointsThinned += result.thinnedPoints;
    for (const name of result.models) models.add(name);
  }
  summary.models = [...models].sort();
  summary.tookMs = Date.now() - started;
  options.onProgress?.({ phase: 'done', done: 1, total: 1, detail: 'finished' });
  return summary;
}
