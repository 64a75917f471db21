/**
 * The event log's plug-in point for lineage: the graph kept in memory follows what is stored
 * (another tab's writes, a failed transaction), a log without the lineage folds refuses
 * lineage events instead of skipping them, and version 1 databases upgrade in place.
 */
import { Dexie } from 'dexie';
import { describe, expect, test } from 'vitest';
import { LineageProjection, openWorkspaceLog } from '../../src/lib/registry/lineage-projection';
import { MissingScopeFoldError } from '../../src/lib/store/errors';
import { EventLog } from '../../src/lib/store/log';
import type { ScopeFold } from '../../src/lib/store/scope-fold';
import { SCHEMA_VERSION } from '../../src/lib/store/schema';
import { LINEAGE_ENTITY_SCOPE_PREFIX } from '../../src/lib/store/event';
import { uniqueName } from './support/random';
import { freshRegistry } from './support/registry';

/** Signed events from a real registry: a model, three versions, a dataset and two links. */
async function lineageEvents() {
  const source = await freshRegistry('source');
  await source.createModel({ name: 'resnet' });
  const [v1, v2, v3] = (
    await source.registerVersions([{ model: 'resnet' }, { model: 'resnet' }, { model: 'resnet' }])
  ).map((version) => version.id);
  const base = await source.log.allEvents();
  const imagenet = await source.recordDataset({ name: 'imagenet' });
  await source.addLineageEdge({ from: v1, to: v2, relation: 'fine-tuned-from' });
  await source.addLineageEdge({ from: imagenet.id, to: v1, relation: 'trained-on' });
  const all = await source.log.allEvents();
  const lineage = all.filter((event) => !base.some((b) => b.id === event.id));
  return { base, lineage, v1, v2, v3, imagenet, source };
}

describe('the lineage graph in memory', () => {
  test('follows edges another tab stored, and folds on top of them correctly', async () => {
    const { base, lineage, source, v2, v3 } = await lineageEvents();
    const workspace = uniqueName('tabs');
    const tab1 = openWorkspaceLog(workspace);
    const tab2 = openWorkspaceLog(workspace);
    await tab1.log.append(base);
    expect((await tab2.lineage.graph(tab2.log.db)).edgeCount).toBe(0);

    await tab1.log.append(lineage);
    expect((await tab2.lineage.graph(tab2.log.db)).edgeCount).toBe(2);

    // tab2 now appends a link made after them; its memory must start from the stored rows.
    await source.addLineageEdge({ from: v2, to: v3, relation: 'quantized-from' });
    const [newest] = (await source.log.allEvents()).slice(-1);
    await tab2.log.append([newest]);
    expect((await tab1.lineage.graph(tab1.log.db)).ancestors(v3)).toHaveLength(3);
    const hash = await tab2.log.stateHash();
    await tab2.log.rebuildProjections();
    expect(await tab2.log.stateHash()).toBe(hash);
    expect(hash).toBe(await source.stateHash());
  });

  test('a transaction that fails leaves no trace in memory or in the rows', async () => {
    const { base, lineage, v2 } = await lineageEvents();
    const projection = new LineageProjection();
    const failing: ScopeFold = {
      scopePrefix: LINEAGE_ENTITY_SCOPE_PREFIX,
      applyNew: () => Promise.reject(new Error('disk on fire')),
      replay: () => Promise.reject(new Error('disk on fire')),
      discard: () => {},
    };
    const log = new EventLog(uniqueName('failing'), [projection.edgeFold, failing]);
    await log.append(base);
    await projection.graph(log.db);

    // Edges first, so the edge fold has run when the record's fold fails.
    const isEdge = (event: { type: string }) => event.type === 'lineage.edge.added';
    const edgesFirst = [...lineage.filter(isEdge), ...lineage.filter((event) => !isEdge(event))];
    await expect(log.append(edgesFirst)).rejects.toThrow(/disk on fire/);
    expect(await log.db.lineageEdges.count()).toBe(0);
    expect((await projection.graph(log.db)).ancestors(v2)).toEqual([]);

    await log.append(lineage.filter(isEdge));
    expect((await projection.graph(log.db)).ancestors(v2)).toHaveLength(2);
  });
});

describe('the store without lineage folds', () => {
  test('refuses lineage events, storing nothing, rather than skipping them', async () => {
    const { base, lineage } = await lineageEvents();
    const log = new EventLog(uniqueName('bare'));
    await log.append(base);
    const before = await log.db.events.count();
    const failure = await log.append(lineage).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MissingScopeFoldError);
    expect((failure as Error).message).toMatch(/opened without their fold.*openWorkspaceLog/);
    expect(await log.db.events.count()).toBe(before);
  });
});

describe('schema', () => {
  test('a version 1 database upgrades in place, keeping its events', async () => {
    const { base } = await lineageEvents();
    const workspace = uniqueName('upgrade');
    const old = new Dexie(`stemma-ws-${workspace}`);
    old.version(1).stores({
      events: 'id, [scope+hlc], hlc, entity, actor',
      models: 'id, &name, nameLower, createdAt, updatedAt, archived, *tkv',
      versions:
        'id, [modelId+number], modelId, nameLower, number, createdAt, archived, ' +
        '*aliases, *tkv, *pkv, *mkv',
      aliases: '[modelId+alias], modelId, versionId',
      metrics: '[versionId+key+seq], versionId, [versionId+key]',
      files: '[versionId+sha256], versionId, sha256',
      actors: 'id',
      meta: 'key',
    });
    await old.table('events').bulkAdd(base.map((event) => ({ ...event, scope: 'x' })));
    old.close();

    const { log } = openWorkspaceLog(workspace);
    await log.db.open();
    expect(log.db.verno).toBe(SCHEMA_VERSION);
    expect(await log.db.events.count()).toBe(base.length);
    expect(await log.db.lineageEdges.count()).toBe(0);
    await log.db.lineageEntities.put({
      id: 'd1',
      kind: 'dataset',
      name: 'imagenet',
      fields: {},
      createdAt: 1,
      createdBy: 'me',
      updatedAt: 1,
      updatedBy: 'me',
    });
    expect(await log.db.lineageEntities.where('kind').equals('dataset').count()).toBe(1);
  });
});
