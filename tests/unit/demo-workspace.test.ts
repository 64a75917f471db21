/**
 * The demo workspace: a seeded plan loaded through the registry API, what it holds (counts,
 * relation kinds, aliases with a rollback, metric curves), an acyclic lineage, refusal to load
 * twice without writing anything, removal that archives instead of deleting, and loading
 * again after a removal restoring the same items.
 */
import { describe, expect, test } from 'vitest';
import {
  DEMO_MODEL_NAMES,
  DEMO_TAG,
  DemoAlreadyLoadedError,
  DemoNameTakenError,
  DemoNotLoadedError,
  demoPlan,
  demoStatus,
  loadDemoWorkspace,
  removeDemoWorkspace,
} from '../../src/lib/demo';
import { LineageGraphIndex } from '../../src/lib/lineage/graph-index';
import type { LineageEdge, LineageRelation } from '../../src/lib/lineage/types';
import type { EventRegistry } from '../../src/lib/registry/registry';
import { freshRegistry } from './support/registry';

/** Every active lineage edge touching the given nodes, each once. */
async function activeEdges(registry: EventRegistry, nodes: string[]): Promise<LineageEdge[]> {
  const edges = new Map<string, LineageEdge>();
  for (const id of nodes) {
    for (const edge of await registry.lineageEdgesOf(id)) {
      if (edge.state === 'active') edges.set(edge.id, edge);
    }
  }
  return [...edges.values()];
}

async function allVersions(registry: EventRegistry, includeArchived = false) {
  const lists = await Promise.all(
    DEMO_MODEL_NAMES.map((name) => registry.listVersions(name, { includeArchived })),
  );
  return lists.flat();
}

async function loadedDemo() {
  const registry = await freshRegistry('demo');
  const summary = await loadDemoWorkspace(registry);
  return { registry, summary, plan: demoPlan() };
}

describe('the demo plan', () => {
  test('is the same for the same seed and differs for another', () => {
    expect(demoPlan(7)).toEqual(demoPlan(7));
    const other = demoPlan(8);
    expect(other.versions.map((v) => v.input.params)).not.toEqual(
      demoPlan(7).versions.map((v) => v.input.params),
    );
    // The structure does not depend on the seed, only the values do.
    expect(other.edges).toEqual(demoPlan(7).edges);
  });

  test('covers three teams and every relation kind the demo promises', () => {
    const plan = demoPlan();
    const teams = new Set(plan.models.map((model) => model.tags.team));
    expect([...teams].sort()).toEqual(['perception', 'recommender', 'speech']);
    const relations = new Set<LineageRelation>(plan.edges.map((edge) => edge.relation));
    for (const relation of [
      'fine-tuned-from',
      'quantized-from',
      'distilled-from',
      'merged-from',
      'trained-on',
      'evaluated-on',
      'produced-by',
    ] as const) {
      expect(relations, relation).toContain(relation);
    }
    const merges = plan.edges.filter((edge) => edge.relation === 'merged-from');
    expect(merges.map((edge) => edge.weight)).toEqual([0.6, 0.4]);
    for (const item of [...plan.models, ...plan.versions.map((v) => v.input)]) {
      expect(item.tags?.[DEMO_TAG]).toBe('true');
    }
  });
});

describe('loading the demo workspace', () => {
  test('creates what the plan says, through the registry', async () => {
    const { registry, summary, plan } = await loadedDemo();
    expect(summary).toEqual({
      models: plan.models.length,
      versions: plan.versions.length,
      records: plan.datasets.length + plan.code.length + plan.runs.length,
      edges: plan.edges.length,
      aliasMoves: plan.aliases.length,
    });
    expect(plan.models.length).toBeGreaterThanOrEqual(9);
    expect(plan.versions.length).toBeGreaterThanOrEqual(20);

    const listed = await registry.listModels({ pageSize: 100 });
    expect(listed.models.map((model) => model.name).sort()).toEqual([...DEMO_MODEL_NAMES].sort());
    expect(await allVersions(registry)).toHaveLength(plan.versions.length);
    expect(await registry.listLineageEntities('dataset')).toHaveLength(plan.datasets.length);
    expect(await registry.listLineageEntities('run')).toHaveLength(plan.runs.length);
    expect(await registry.listLineageEntities('code')).toHaveLength(plan.code.length);
    expect(await demoStatus(registry)).toEqual({ state: 'loaded', models: plan.models.length });

    const ranker = await registry.getModel('recsys-ranker-dcn');
    expect(ranker.description).toMatch(/^# Deep & Cross ranker/);
    expect(ranker.tags).toMatchObject({ [DEMO_TAG]: 'true', team: 'recommender' });
    // champion went v1 -> v2 -> v3 and was rolled back to v2; staging moved on to v4.
    expect(ranker.aliases).toEqual({ champion: 2, staging: 4 });
    const moves = await registry.aliasHistory('recsys-ranker-dcn', 'champion');
    expect(moves.map((move) => move.version)).toEqual([1, 2, 3, 2]);

    const v2 = await registry.getVersion('recsys-ranker-dcn', 2);
    const planned = plan.versions.find((v) => v.key === 'version:recsys-ranker-dcn#2')!;
    expect(v2.params).toEqual(planned.input.params);
    expect(v2.files).toEqual(planned.input.files);
    const curves = await registry.metricHistory(v2.id);
    expect(curves.ndcg_at_10).toHaveLength(16);
    expect(curves.ndcg_at_10.map((point) => point.step)).toEqual(
      [...curves.ndcg_at_10.map((point) => point.step)].sort((a, b) => a - b),
    );
    expect(v2.metrics.ndcg_at_10).toBe(curves.ndcg_at_10[15].value);

    const search = await registry.search({ query: "tags.team = 'speech'", pageSize: 100 });
    expect(search.versions.length).toBeGreaterThan(5);
  });

  test('makes an acyclic lineage with every planned edge, weights and notes kept', async () => {
    const { registry, plan } = await loadedDemo();
    const versions = await allVersions(registry);
    const records = await registry.listLineageEntities();
    const nodes = [...versions.map((v) => v.id), ...records.map((r) => r.id)];
    const edges = await activeEdges(registry, nodes);
    expect(edges).toHaveLength(plan.edges.length);
    // Building the index throws LineageCycleError on any cycle.
    const index = LineageGraphIndex.build([], edges);
    expect(index.edgeCount).toBe(plan.edges.length);

    const merged = await registry.getVersion('intent-bert-multilingual', 1);
    const parents = (await registry.lineageEdgesOf(merged.id)).filter(
      (e) => e.to === merged.id && e.relation === 'merged-from',
    );
    expect(parents.map((edge) => [edge.fromLabel, edge.relation, edge.weight]).sort()).toEqual([
      ['intent-bert-de v1', 'merged-from', 0.4],
      ['intent-bert-en v2', 'merged-from', 0.6],
    ]);

    const clinic = records.find((record) => record.name === 'clinic-dictation')!;
    const downstream = await registry.downstreamOfDataset(clinic.id);
    expect(downstream.map((node) => node.label).sort()).toEqual([
      'asr-conformer-int8 v1',
      'asr-conformer-medical v1',
      'asr-conformer-medical v2',
    ]);
  });

  test('refuses a second load without writing anything', async () => {
    const { registry } = await loadedDemo();
    const before = {
      events: await registry.log.db.events.count(),
      hash: await registry.stateHash(),
    };
    await expect(loadDemoWorkspace(registry)).rejects.toBeInstanceOf(DemoAlreadyLoadedError);
    expect(await registry.log.db.events.count()).toBe(before.events);
    expect(await registry.stateHash()).toBe(before.hash);
  });

  test('refuses to mix with a model of the user that has a demo name', async () => {
    const registry = await freshRegistry('demo-taken');
    await registry.createModel({ name: 'asr-conformer', description: 'mine' });
    const events = await registry.log.db.events.count();
    const failure = await loadDemoWorkspace(registry).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DemoNameTakenError);
    expect((failure as Error).message).toContain('"asr-conformer"');
    expect(await registry.log.db.events.count()).toBe(events);
  });
});

describe('removing the demo workspace', () => {
  test('archives everything tagged demo, keeps the user own work, and can load again', async () => {
    const { registry, plan } = await loadedDemo();
    await registry.createModel({ name: 'my-model' });
    const [mine] = await registry.registerVersions([{ model: 'my-model' }]);
    const base = await registry.getVersion('asr-conformer', 3);
    await registry.addLineageEdge({ from: base.id, to: mine.id, relation: 'fine-tuned-from' });
    const events = await registry.log.db.events.count();

    const removed = await removeDemoWorkspace(registry);
    expect(removed).toMatchObject({
      models: plan.models.length,
      versions: plan.versions.length,
      records: plan.datasets.length + plan.code.length + plan.runs.length,
      edges: plan.edges.length,
    });
    // Nothing was deleted: removal only added events.
    expect(await registry.log.db.events.count()).toBeGreaterThan(events);
    expect(await demoStatus(registry)).toEqual({ state: 'removed', models: plan.models.length });

    const listed = await registry.listModels({ pageSize: 100 });
    expect(listed.models.map((model) => model.name)).toEqual(['my-model']);
    expect(await registry.listLineageEntities()).toEqual([]);
    const everything = await registry.listLineageEntities(undefined, { includeArchived: true });
    expect(everything.every((record) => record.archived)).toBe(true);
    expect((await registry.search({ query: '', pageSize: 100 })).versions).toHaveLength(1);
    expect(await allVersions(registry, true)).toHaveLength(plan.versions.length);
    // The link from the demo into the user's model is the user's; it stays.
    expect(await registry.lineageAncestors(mine.id)).toHaveLength(1);
    await expect(removeDemoWorkspace(registry)).rejects.toBeInstanceOf(DemoNotLoadedError);

    const restored = await loadDemoWorkspace(registry);
    expect(restored).toMatchObject({ models: plan.models.length, edges: plan.edges.length });
    expect(await demoStatus(registry)).toEqual({ state: 'loaded', models: plan.models.length });
    expect((await registry.listModels({ pageSize: 100 })).total).toBe(plan.models.length + 1);
    expect(await registry.listLineageEntities()).toHaveLength(
      plan.datasets.length + plan.code.length + plan.runs.length,
    );
    const history = await registry.lineageHistory(everything[0].id);
    expect(history.map((entry) => entry.summary.split(' ')[0])).toEqual(
      expect.arrayContaining(['recorded', 'archived', 'restored']),
    );
  });
});
