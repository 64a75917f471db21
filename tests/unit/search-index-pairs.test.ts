import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceDb } from '../../src/lib/store/schema';
import { openWithRows, versionRow } from './search-corpus';

/**
 * The IndexedDB behaviours the search planner and walker rely on, checked directly on the
 * workspace schema. If a browser or a new fake-indexeddb ever differs, this fails first.
 */
let db: WorkspaceDb;

beforeAll(async () => {
  db = await openWithRows([
    versionRow({
      id: 'a',
      modelName: 'm',
      metrics: { acc: 0.95, f1: 0.5 },
      params: { opt: 'adam' },
    }),
    versionRow({ id: 'b', modelName: 'm', metrics: { acc: 0.5, f1: 0.99 }, params: { opt: '3' } }),
    versionRow({ id: 'c', modelName: 'm', metrics: { acc: 0.92 }, params: { opt: 'sgd' } }),
    versionRow({ id: 'd', modelName: 'm', metrics: { acc: 0.92, nan: NaN }, aliases: ['x', 'y'] }),
    versionRow({ id: 'e', modelName: 'm', metrics: { acc: Infinity }, aliases: ['x'] }),
  ]);
});
afterAll(async () => {
  await db.delete();
});

const keysOf = (promise: Promise<string[]>) => promise.then((keys) => [...keys].sort());

describe('multi-entry [key, value] pair indexes', () => {
  it('answer a value range of one key, and no other key', async () => {
    const range = db.versions.where('mkv').between(['acc', 0.9], ['acc', Infinity], true, true);

    expect(await keysOf(range.primaryKeys())).toEqual(['a', 'c', 'd', 'e']);
    expect(await range.count()).toBe(4);
  });

  it('sort numbers before text before arrays, so [key, []] closes a key', async () => {
    const all = db.versions.where('pkv').between(['opt', -Infinity], ['opt', []], true, false);
    const text = db.versions.where('pkv').between(['opt', ''], ['opt', []], true, false);
    const numbers = db.versions
      .where('pkv')
      .between(['opt', -Infinity], ['opt', Infinity], true, true);

    expect(await keysOf(all.primaryKeys())).toEqual(['a', 'b', 'c']);
    expect(await keysOf(text.primaryKeys())).toEqual(['a', 'c']);
    expect(await keysOf(numbers.primaryKeys())).toEqual(['b']);
  });

  it('list equal keys in primary-key order, reversed when walking backwards', async () => {
    const equal = db.versions.where('mkv').equals(['acc', 0.92]);
    const backwards = db.versions
      .where('mkv')
      .between(['acc', -Infinity], ['acc', Infinity], true, true)
      .reverse();

    expect(await equal.primaryKeys()).toEqual(['c', 'd']);
    expect((await backwards.toArray()).map((row) => row.id)).toEqual(['e', 'a', 'd', 'c', 'b']);
  });

  it('skip a NaN value, which is not a valid key', async () => {
    const range = db.versions.where('mkv').between(['nan', -Infinity], ['nan', []]);

    expect(await range.count()).toBe(0);
    expect(await db.versions.get('d')).toBeDefined();
  });

  it('list a row once per matching entry, so key sets must be deduplicated', async () => {
    expect(await keysOf(db.versions.where('aliases').anyOf(['x', 'y']).primaryKeys())).toEqual([
      'd',
      'd',
      'e',
    ]);
  });

  it('give an empty range, not an error, when the bounds cross', async () => {
    const crossed = db.versions.where('pkv').between(['opt', ''], ['opt', ''], true, false);

    expect(await crossed.count()).toBe(0);
  });
});
