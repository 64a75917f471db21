/**
 * The app-wide rescan timer: it scans every folder the browser may read, on its interval,
 * skips folders whose access lapsed without prompting, and runs scans one at a time so a
 * scan asked for while a timed one runs never registers the same files twice.
 */
import { describe, expect, test } from 'vitest';
import type { DirectoryHandleLike } from '../../src/lib/interop/watch/directory';
import { FolderWatcher, type ScanReport } from '../../src/lib/interop/watch/folder-watcher';
import { RescanService } from '../../src/lib/interop/watch/rescan';
import { WatchedFolderStore } from '../../src/lib/store/watched-folders';
import { MemoryFolder } from './support/memory-folder';
import { uniqueName } from './support/random';
import { freshRegistry } from './support/registry';

const handles = new Map<string, DirectoryHandleLike>();

async function setUp() {
  const registry = await freshRegistry('rescan');
  const watcher = new FolderWatcher(registry, new WatchedFolderStore('rescan', uniqueName('w')), {
    // Header reading is tested elsewhere; here only what is registered, and when, matters.
    inspect: async () => [],
    reviveHandle: (stored) => handles.get((stored as { name: string }).name)!,
  });
  return { registry, watcher };
}

function folder(label: string) {
  const memory = new MemoryFolder(uniqueName(label));
  handles.set(memory.name, memory);
  return memory;
}

const until = async (check: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('rescan timer', () => {
  test('scans granted folders on its interval and skips those without access', async () => {
    const { registry, watcher } = await setUp();
    const open = folder('open');
    const locked = folder('locked');
    open.write('a.bin', 'one');
    locked.write('b.bin', 'two');
    await watcher.add(open, { kind: 'fixed', name: 'open-model' });
    await watcher.add(locked, { kind: 'fixed', name: 'locked-model' });
    locked.permission = 'prompt';

    const reports: ScanReport[] = [];
    const service = new RescanService(watcher, { onReport: (_, r) => reports.push(r) }, 40);
    service.start();
    try {
      await until(() => reports.length >= 1);
      expect(reports[0].registered.map((r) => r.model)).toEqual(['open-model']);
      // A file written later is picked up by a later tick, with no one on the Import page.
      open.write('c.bin', 'three');
      await until(() => reports.some((r) => r.registered.some((v) => v.number === 2)));
    } finally {
      service.stop();
    }
    expect(service.running).toBe(false);
    expect(reports.every((r) => r.folder === open.name)).toBe(true);
    expect((await registry.listVersions('open-model')).map((v) => v.number)).toEqual([1, 2]);
    await expect(registry.getModel('locked-model')).rejects.toThrow();
  });

  test('scans asked for at once run one after the other and register once', async () => {
    const { registry, watcher } = await setUp();
    const memory = folder('twice');
    memory.write('m.bin', 'weights');
    const row = await watcher.add(memory, { kind: 'fixed', name: 'twice' });
    const service = new RescanService(watcher);
    const [first, second] = await Promise.all([service.scan(row.id), service.scan(row.id)]);
    expect(first.registered).toHaveLength(1);
    expect(second.registered).toHaveLength(0);
    expect(await registry.listVersions('twice')).toHaveLength(1);
  });
});
