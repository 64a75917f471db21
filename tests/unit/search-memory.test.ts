/**
 * The in-memory search copy stays exactly what IndexedDB holds: after local commands, after
 * writes by another tab on the same database, and after a rebuild or wipe, which it cannot
 * follow row by row and must notice.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { searchFields, VersionColumns } from '../../src/lib/registry/search/columns';
import { compileFilter } from '../../src/lib/registry/search/memory-query';
import { firstSlots, slotOrder } from '../../src/lib/registry/search/memory-order';
import { generateRows } from './search-corpus';
import { openEventRegistry } from '../../src/lib/registry';
import type { EventRegistry } from '../../src/lib/registry/registry';
import {
  DEFAULT_STRATEGY,
  searchVersions,
  type SearchOptions,
  type SearchStrategy,
} from '../../src/lib/registry/search/execute';
import { parseFilter } from '../../src/lib/registry/search';
import { noteVersionChanges, versionChangesSince } from '../../src/lib/store/version-journal';
import { uniqueName } from './support/random';

const MEMORY: SearchStrategy = { ...DEFAULT_STRATEGY, memory: 'wait' };
const STORED: SearchStrategy = { ...DEFAULT_STRATEGY, memory: 'off' };

const opened: EventRegistry[] = [];
afterEach(async () => {
  for (const registry of opened.splice(0)) registry.close();
});

async function open(workspaceId: string) {
  const registry = await openEventRegistry({ workspaceId, identityDb: uniqueName('id') });
  opened.push(registry);
  return registry;
}

/** The page from memory, checked against the same page read from IndexedDB. */
async function ids(registry: EventRegistry, query: string, options: SearchOptions = {}) {
  const filter = parseFilter(query);
  const db = registry.log.db;
  const fromMemory = await searchVersions(db, filter, { pageSize: 50, ...options }, MEMORY);
  const stored = await searchVersions(db, filter, { pageSize: 50, ...options }, STORED);
  expect(fromMemory.via).toBe('memory');
  expect(fromMemory.rows.map((row) => row.id)).toEqual(stored.rows.map((row) => row.id));
  return fromMemory.rows.map((row) => `${row.modelName}/${row.number}`);
}

async function seeded(workspaceId = uniqueName('ws-memory')) {
  const registry = await open(workspaceId);
  await registry.createModel({ name: 'bert', tags: { team: 'nlp' } });
  await registry.createModel({ name: 'resnet', tags: { team: 'vision' } });
  await registry.registerVersions([
    { model: 'bert', metrics: { f1: 0.8 } },
    { model: 'bert', metrics: { f1: 0.9 } },
    { model: 'resnet', metrics: { f1: 0.7 } },
  ]);
  return registry;
}

describe('the in-memory search copy', () => {
  it('follows local commands: new versions, tags, aliases, archiving', async () => {
    const registry = await seeded();
    expect(await ids(registry, 'metrics.f1 > 0.75', { sort: 'metrics.f1' })).toEqual([
      'bert/2',
      'bert/1',
    ]);

    await registry.registerVersion({ model: 'resnet', metrics: { f1: 0.95 } });
    const model = await registry.getModel('bert');
    await registry.setTag({ kind: 'model', id: model.id }, 'team', 'speech');
    await registry.setAlias('bert', 'champion', 1);
    const [first] = await registry.listVersions('resnet');
    await registry.archive({ kind: 'version', id: first.id });

    expect(await ids(registry, 'metrics.f1 > 0.75', { sort: 'metrics.f1' })).toEqual([
      'resnet/2',
      'bert/2',
      'bert/1',
    ]);
    expect(await ids(registry, "tags.team = 'speech'", { sort: 'version' })).toEqual([
      'bert/1',
      'bert/2',
    ]);
    expect(await ids(registry, "alias = 'champion'")).toEqual(['bert/1']);
    expect(await ids(registry, "name = 'resnet'")).toEqual(['resnet/2']);
  });

  it('sees what another tab wrote to the same database', async () => {
    const workspaceId = uniqueName('ws-tabs');
    const first = await seeded(workspaceId);
    const second = await open(workspaceId);
    expect(await ids(first, "name = 'bert'", { sort: 'version' })).toEqual(['bert/1', 'bert/2']);

    await second.registerVersion({ model: 'bert', metrics: { f1: 0.99 } });

    expect(await ids(first, "name = 'bert'", { sort: 'version' })).toEqual([
      'bert/1',
      'bert/2',
      'bert/3',
    ]);
  });

  it('is dropped and built again after a rebuild of the projections', async () => {
    const registry = await seeded();
    const db = registry.log.db;
    await ids(registry, '');

    await registry.log.rebuildProjections();
    const after = await searchVersions(db, null, {}, DEFAULT_STRATEGY);
    expect(after.via).not.toBe('memory');
    // The default strategy builds it again by itself, outside the search's transaction.
    await vi.waitFor(
      async () => expect((await searchVersions(db, null, {}, DEFAULT_STRATEGY)).via).toBe('memory'),
      { timeout: 5_000 },
    );
    expect(await ids(registry, '', { sort: 'version' })).toHaveLength(3);
  });

  it('is not taken for current after a wipe', async () => {
    const registry = await seeded();
    await ids(registry, '');

    await registry.log.wipe();
    expect(await ids(registry, '')).toEqual([]);
  });
});

describe('the saved search index', () => {
  it('gives the same answers after a round trip, with freed slots and irregular rows', () => {
    const rows = generateRows(7, 120);
    // A tag key listed twice does not fit one code per slot: the row is kept whole.
    rows[3] = { ...rows[3], tkv: [...rows[3].tkv, ['team', 'twice'], ['team', 'again']] };
    const columns = new VersionColumns(16);
    for (const row of rows) columns.put(searchFields(row));
    for (const row of rows.slice(10, 20)) columns.delete(row.id);

    const copy = VersionColumns.fromSnapshot(structuredClone(columns.snapshot()));
    copy.put(searchFields({ ...rows[11], id: 'added-after' }));
    columns.put(searchFields({ ...rows[11], id: 'added-after' }));
    const queries = [
      '',
      "tags.team = 'nlp' OR tags.team = 'twice'",
      "name ILIKE '%a%' AND metrics.acc > 0.3",
      "params.lr < 0.01 OR alias = 'champion'",
    ];
    for (const query of queries) {
      for (const sort of ['created', 'name', 'metrics.acc'] as const) {
        const page = (of: VersionColumns) =>
          firstSlots(
            of,
            compileFilter(of, query ? parseFilter(query) : null, true),
            slotOrder(of, sort, 'desc'),
            30,
          ).slots.map((slot) => of.ids[slot]);
        expect(page(copy), `${query} by ${sort}`).toEqual(page(columns));
      }
    }
    expect(copy.irregular.size).toBe(1);
  });

  it('lets a new tab load one row and catch up, instead of reading every version', async () => {
    const workspaceId = uniqueName('ws-saved');
    const first = await seeded(workspaceId);
    await ids(first, '');
    const db = first.log.db;
    // A built copy is saved shortly after it is built.
    await vi.waitFor(async () => expect(await db.searchCache.count()).toBe(1), { timeout: 5_000 });

    await first.registerVersion({ model: 'resnet', metrics: { f1: 0.99 } });
    const [bert1] = await first.listVersions('bert');
    await first.archive({ kind: 'version', id: bert1.id });

    const loaded = vi.spyOn(VersionColumns, 'fromSnapshot');
    const second = await open(workspaceId);
    expect(await ids(second, '', { sort: 'name' })).toEqual(['bert/2', 'resnet/1', 'resnet/2']);
    expect(await ids(second, 'metrics.f1 > 0.5', { includeArchived: true })).toHaveLength(4);
    expect(loaded).toHaveBeenCalledTimes(1);
    loaded.mockRestore();
  });

  it('is gone after a wipe', async () => {
    const registry = await seeded();
    await ids(registry, '');
    const db = registry.log.db;
    await vi.waitFor(async () => expect(await db.searchCache.count()).toBe(1), { timeout: 5_000 });

    await registry.log.wipe();
    expect(await db.searchCache.count()).toBe(0);
  });
});

describe('the version journal', () => {
  it('lists what changed since a stamp, until the entries needed were pruned', async () => {
    const registry = await seeded();
    const db = registry.log.db;
    // Registering noted changes under an epoch of this database's own.
    expect((await versionChangesSince(db, { epoch: '', seq: 0 })).kind).toBe('unknown');

    const current = (await db.meta.get('versions:stamp'))?.value as { epoch: string; seq: number };
    const write = (ids: string[]) =>
      db.transaction('rw', db.meta, () => noteVersionChanges(db, ids));
    await write(['a']);
    await write(['b', 'c']);
    const two = await versionChangesSince(db, current);
    expect(two).toMatchObject({ kind: 'changed', ids: new Set(['a', 'b', 'c']) });

    for (let i = 0; i < 70; i++) await write([`x${i}`]);
    expect((await versionChangesSince(db, current)).kind).toBe('unknown');
    const latest = (await db.meta.get('versions:stamp'))?.value as typeof current;
    expect((await versionChangesSince(db, latest)).kind).toBe('changed');
    expect(await versionChangesSince(db, { ...latest, seq: latest.seq + 1 })).toEqual({
      kind: 'older',
    });
  });
});
