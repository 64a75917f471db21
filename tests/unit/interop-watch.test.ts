/**
 * The watched folder's scan: an in-memory folder with the File System Access handle shape
 * stands in for the browser's picker (the only part faked); the registry, the store, the
 * hashing and the real file readers run as in the app. New files become versions of the
 * models the rule names, a rescan registers only what changed, a touched file with the same
 * bytes is no new version, and a folder without read access is refused by name.
 */
import { describe, expect, test } from 'vitest';
import { FolderPermissionError, FolderWatcher } from '../../src/lib/interop/watch/folder-watcher';
import { groupIntoVersions, checkRule } from '../../src/lib/interop/watch/naming';
import { inspectFiles } from '../../src/lib/registry/formats';
import { InvalidInputError } from '../../src/lib/registry/errors';
import { WatchedFolderStore } from '../../src/lib/store/watched-folders';
import { suggestFields } from '../../src/lib/ui/model-file-prefill';
import { freshRegistry } from './support/registry';
import { uniqueName } from './support/random';
import { MemoryFolder } from './support/memory-folder';

/** A small safetensors file: one tensor of `dtype`. */
function safetensors(dtype: 'F32' | 'F16', values: number): Uint8Array<ArrayBuffer> {
  const bytes = dtype === 'F32' ? 4 : 2;
  const header = JSON.stringify({
    'layer.weight': { dtype, shape: [values], data_offsets: [0, values * bytes] },
  });
  const head = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + head.length + values * bytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  out.fill(7, 8 + head.length);
  return out;
}

/**
 * Browsers store a real handle in IndexedDB and give it back whole; a stand-in loses its
 * methods in the structured clone, so the stand-in is found again by the folder's name.
 */
/** The real readers, in this thread instead of the app's worker (Node has no workers). */
async function inspectHere(files: File[]) {
  const results = [];
  for await (const result of inspectFiles(files)) results.push(result);
  return results;
}

const folders = new Map<string, MemoryFolder>();
const reviveHandle = (stored: unknown) => folders.get((stored as { name: string }).name)!;

function memoryFolder(name: string) {
  const folder = new MemoryFolder(name);
  folders.set(name, folder);
  return folder;
}

async function setUp() {
  const registry = await freshRegistry('watch');
  const store = new WatchedFolderStore('watch', uniqueName('watch-db'));
  const watcher = new FolderWatcher(registry, store, {
    inspect: inspectHere,
    suggest: suggestFields,
    reviveHandle,
  });
  return { registry, store, watcher };
}

describe('watched folder', () => {
  test('registers new files by the folder rule, then only what changed', async () => {
    const { registry, store, watcher } = await setUp();
    const folder = memoryFolder('models');
    folder.write('bert/model.safetensors', safetensors('F32', 64));
    folder.write('bert/notes.txt', 'first run');
    folder.write('resnet/v1/model.safetensors', safetensors('F32', 32));
    folder.write('.git/HEAD', 'ref');
    const row = await watcher.add(folder, { kind: 'folder' });

    const first = await watcher.scan(row.id);
    expect(first.registered.map((r) => [r.model, r.number, r.files])).toEqual([
      ['bert', 1, ['bert/model.safetensors', 'bert/notes.txt']],
      ['resnet', 1, ['resnet/v1/model.safetensors']],
    ]);
    const bert1 = await registry.getVersion('bert', 1);
    expect(bert1.tags.format).toBe('safetensors');
    expect(bert1.tags['watch.folder']).toBe('models/bert');
    expect(bert1.files.find((f) => f.name === 'model.safetensors')?.summary?.format).toBe(
      'safetensors',
    );

    const again = await watcher.scan(row.id);
    expect(again.registered).toEqual([]);
    expect(again.unchanged).toBe(3);

    // The same bytes written again: a new time, but no new version.
    folder.write('bert/notes.txt', 'first run');
    expect((await watcher.scan(row.id)).registered).toEqual([]);

    // The weights in half precision: v2 of bert, linked as quantized from v1.
    folder.write('bert/model.safetensors', safetensors('F16', 64));
    folder.delete('resnet/v1/model.safetensors');
    const third = await watcher.scan(row.id);
    expect(third.registered.map((r) => [r.model, r.number])).toEqual([['bert', 2]]);
    expect(third.removed).toEqual(['resnet/v1/model.safetensors']);
    expect(third.suggestedLinks).toBe(1);
    const bert2 = await registry.getVersion('bert', 2);
    const [link] = await registry.lineageAncestors(bert2.id);
    expect(link.label).toBe('bert v1');
    const edges = await registry.lineageEdgesOf(bert2.id);
    expect(edges[0].relation).toBe('quantized-from');
    expect(edges[0].note).toMatch(/^Suggested by the watched folder/);

    // What was seen survives a restart: a new store on the same database remembers it.
    const reopened = new FolderWatcher(registry, store, {
      inspect: inspectHere,
      reviveHandle,
    });
    expect((await reopened.scan(row.id)).registered).toEqual([]);
  });

  test('after a restart without permission the scan is refused, and asking grants it', async () => {
    const { watcher, registry } = await setUp();
    const folder = memoryFolder('drop');
    folder.write('a.onnx', 'not really onnx');
    const row = await watcher.add(folder, { kind: 'fixed', name: 'team-model' });
    folder.permission = 'prompt';
    const before = await registry.log.db.events.count();
    await expect(watcher.scan(row.id)).rejects.toThrow(FolderPermissionError);
    expect(await registry.log.db.events.count()).toBe(before);
    expect(await watcher.permission(row, true)).toBe('granted');
    const report = await watcher.scan(row.id);
    expect(report.registered.map((r) => [r.model, r.number])).toEqual([['team-model', 1]]);
  });

  test('a pattern rule names models by its first group and leaves unmatched files out', () => {
    const files = ['llama-7b-q4.gguf', 'llama-7b-q8.gguf', 'readme.md', 'sub/mistral-7b-q4.gguf'];
    const scanned = files.map((path) => ({ path, file: new File(['x'], path) }));
    const { groups, unnamed } = groupIntoVersions(
      scanned,
      { kind: 'pattern', pattern: '([a-z]+-\\d+b)-q\\d\\.gguf$' },
      'root',
    );
    expect(groups.map((g) => [g.model, g.folder, g.files.length])).toEqual([
      ['llama-7b', '', 2],
      ['mistral-7b', 'sub', 1],
    ]);
    expect(unnamed).toEqual(['readme.md']);
    expect(() => checkRule({ kind: 'pattern', pattern: '(' })).toThrow(InvalidInputError);
  });
});
