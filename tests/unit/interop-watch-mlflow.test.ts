/**
 * A watched folder that is, or holds, an MLflow file store: a rescan imports the store with
 * the MLflow importer (only what is new), model files beside it are still registered by the
 * folder's rule, and nothing of the store is registered as model files. Folders stand in for
 * the browser's picker only: one in memory, and the real `mlruns/` on disk when it is there.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { DirectoryHandleLike } from '../../src/lib/interop/watch/directory';
import { FolderWatcher } from '../../src/lib/interop/watch/folder-watcher';
import { watchedStoreRoot } from '../../src/lib/interop/watch/mlflow-store';
import { inspectFiles } from '../../src/lib/registry/formats';
import { WatchedFolderStore } from '../../src/lib/store/watched-folders';
import { mlflow3Store, RUN_1, RUN_2, runMeta, versionMeta } from './mlflow-fixtures';
import { DiskFolder, MemoryFolder } from './support/memory-folder';
import { uniqueName } from './support/random';
import { freshRegistry } from './support/registry';

const REAL_STORE = join(
  process.cwd(),
  '..',
  'shared',
  'data',
  'mlflow',
  '03MuskaanJain+Iris_MLFlow',
  'mlruns',
);

async function inspectHere(files: File[]) {
  const results = [];
  for await (const result of inspectFiles(files)) results.push(result);
  return results;
}

/** Stored rows lose a stand-in's methods in the structured clone: find it again by name. */
const handles = new Map<string, DirectoryHandleLike>();
const remember = <T extends DirectoryHandleLike>(handle: T) => (
  handles.set(handle.name, handle),
  handle
);

async function setUp(label: string) {
  const registry = await freshRegistry(label);
  const store = new WatchedFolderStore(label, uniqueName('watch-db'));
  const watcher = new FolderWatcher(registry, store, {
    inspect: inspectHere,
    reviveHandle: (stored) => handles.get((stored as { name: string }).name)!,
  });
  return { registry, watcher };
}

/** A safetensors file of one F32 tensor. */
function safetensors(values: number): Uint8Array<ArrayBuffer> {
  const header = JSON.stringify({
    w: { dtype: 'F32', shape: [values], data_offsets: [0, values * 4] },
  });
  const head = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + head.length + values * 4);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  return out;
}

describe('watched MLflow store', () => {
  test('the store at the top of the folder is imported; a rescan adds only what is new', async () => {
    const { registry, watcher } = await setUp('watch-mlruns');
    const folder = remember(new MemoryFolder(uniqueName('project')));
    for (const [path, content] of Object.entries(mlflow3Store())) folder.write(path, content);
    folder.write('bert/model.safetensors', safetensors(16));
    const row = await watcher.add(folder, { kind: 'folder' });

    const first = await watcher.scan(row.id);
    expect(first.mlflow?.root).toBe('mlruns');
    expect(first.mlflow?.summary?.added).toMatchObject({
      runs: 1,
      loggedModels: 1,
      versions: 2,
      metricPoints: 6,
    });
    // Model files beside the store go by the folder's rule; none of the store's do.
    expect(first.registered.map((r) => [r.model, r.number])).toEqual([['bert', 1]]);
    const run = await registry.getLineageEntity(`mlflow-run-${RUN_1}`);
    expect(run.kind === 'run' && run.fields.metricHistory?.loss).toHaveLength(3);
    expect((await registry.listModels()).models.map((m) => m.name).sort()).toEqual([
      'bert',
      'iris',
      'iris/iris-clf',
    ]);

    const events = await registry.log.db.events.count();
    const second = await watcher.scan(row.id);
    expect(second.mlflow).toMatchObject({ root: 'mlruns', changed: 0, summary: null });
    expect(second.registered).toEqual([]);
    expect(await registry.log.db.events.count()).toBe(events);

    // MLflow logs a new run and registers it as version 3: only that is added.
    folder.write(`mlruns/1/${RUN_2}/meta.yaml`, runMeta(RUN_2, '1', 'sweep-2'));
    folder.write(`mlruns/1/${RUN_2}/metrics/loss`, '1700000000000 0.3 0\n1700000000100 0.1 1\n');
    folder.write('mlruns/models/iris/version-3/meta.yaml', versionMeta('iris', 3, RUN_2));
    const third = await watcher.scan(row.id);
    expect(third.mlflow?.changed).toBe(3);
    expect(third.mlflow?.summary?.added).toMatchObject({ runs: 1, versions: 1, metricPoints: 2 });
    expect(third.mlflow?.summary?.unchanged).toBeGreaterThan(0);
    const v3 = await registry.getVersion('iris', 3);
    const edges = await registry.lineageEdgesOf(v3.id);
    expect(edges.map((edge) => edge.from)).toEqual([`mlflow-run-${RUN_2}`]);
  });

  test('a watched folder that is itself the store is imported as one', async () => {
    const { registry, watcher } = await setUp('watch-store-root');
    const folder = remember(new MemoryFolder(uniqueName('mlruns')));
    for (const [path, content] of Object.entries(mlflow3Store())) {
      folder.write(path.replace(/^mlruns\//, ''), content);
    }
    const row = await watcher.add(folder, { kind: 'folder' });
    const report = await watcher.scan(row.id);
    expect(report.mlflow?.root).toBe('');
    expect(report.mlflow?.summary?.added.runs).toBe(1);
    expect(report.registered).toEqual([]);
    expect((await registry.getModel('iris')).aliases).toEqual({ champion: 2 });
  });

  test('a store deeper than the top level is not taken for the watched store', () => {
    expect(watchedStoreRoot(['a/b/mlruns/0/meta.yaml', 'a/b/mlruns/0/r1/meta.yaml'])).toBeNull();
    expect(watchedStoreRoot(['mlruns/0/meta.yaml'])).toBe('mlruns');
    expect(watchedStoreRoot(['bert/model.onnx'])).toBeNull();
  });

  test.skipIf(!existsSync(REAL_STORE))(
    'the real mlruns store on disk (skipped when absent) is imported once',
    async () => {
      const { registry, watcher } = await setUp('watch-real');
      const folder = remember(new DiskFolder(REAL_STORE));
      const row = await watcher.add(folder, { kind: 'folder' });
      const report = await watcher.scan(row.id);
      expect(report.mlflow?.root).toBe('');
      const runs = readdirSync(join(REAL_STORE, '853099972095872099')).filter((name) =>
        statSync(join(REAL_STORE, '853099972095872099', name)).isDirectory(),
      );
      expect(report.mlflow?.summary?.added.runs).toBe(runs.length);
      expect(report.mlflow?.summary?.issues.filter((i) => i.severity === 'skipped')).toEqual([]);
      expect(report.registered).toEqual([]);
      expect((await registry.getVersion('SVMClassifier', 1)).tags['mlflow.version']).toBe('1');

      const events = await registry.log.db.events.count();
      const again = await watcher.scan(row.id);
      expect(again.mlflow?.summary).toBeNull();
      expect(await registry.log.db.events.count()).toBe(events);
    },
  );
});
