/**
 * Lineage through the registry API: records, links, refusals that change nothing (a cycle is
 * named with version labels), removal and restore, and every query on a hand-checked graph.
 */
import { describe, expect, test } from 'vitest';
import { InvalidInputError } from '../../src/lib/registry/errors';
import {
  UnknownLineageEdgeError,
  UnknownLineageNodeError,
} from '../../src/lib/registry/lineage-errors';
import type { EventRegistry } from '../../src/lib/registry/registry';
import { LineageCycleError } from '../../src/lib/lineage/errors';
import { toVisData } from '../../src/lib/lineage/vis-adapter';
import { freshRegistry } from './support/registry';

async function expectRefusedWithoutChange(
  registry: EventRegistry,
  command: () => Promise<unknown>,
  error: new (...args: never[]) => Error,
  message: RegExp,
) {
  const before = { events: await registry.log.db.events.count(), hash: await registry.stateHash() };
  const failure = await command().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(failure).toBeInstanceOf(error);
  expect((failure as Error).message).toMatch(message);
  expect(await registry.log.db.events.count()).toBe(before.events);
  expect(await registry.stateHash()).toBe(before.hash);
  return failure as Error;
}

/** bert v1..v5 and a dataset; returns the version ids by number. */
async function bertFamily() {
  const registry = await freshRegistry('lineage');
  await registry.createModel({ name: 'bert' });
  const versions = await registry.registerVersions(
    [1, 2, 3, 4, 5].map((n) => ({ model: 'bert', description: `v${n}` })),
  );
  const v = Object.fromEntries(versions.map((version) => [version.number, version.id]));
  const squad = await registry.recordDataset({ name: 'squad', version: '2.0', uri: 'hf://squad' });
  return { registry, v, squad };
}

const ids = (nodes: { id: string }[]) => nodes.map((node) => node.id);

describe('lineage records', () => {
  test('datasets, runs and code are recorded, and later records update fields', async () => {
    const { registry, squad } = await bertFamily();
    expect(squad).toMatchObject({ kind: 'dataset', name: 'squad', label: 'squad 2.0' });
    expect(squad.fields).toEqual({ version: '2.0', uri: 'hf://squad' });

    const updated = await registry.recordDataset({ id: squad.id, sha256: 'AB'.repeat(32) });
    expect(updated.name).toBe('squad');
    expect(updated.fields).toEqual({ version: '2.0', uri: 'hf://squad', sha256: 'ab'.repeat(32) });

    const run = await registry.recordRun({
      name: 'finetune-7',
      params: { lr: 3e-5, epochs: 3 },
      metrics: { f1: 0.91 },
      codeRef: { repository: 'git@example.org:nlp/bert.git', commit: 'abc1234def' },
      environment: { torch: '2.4' },
    });
    expect(run.fields).toMatchObject({
      params: { lr: '0.00003', epochs: '3' },
      metrics: { f1: 0.91 },
    });
    const code = await registry.recordCode({
      repository: 'https://example.org/nlp/bert.git',
      commit: '0123456789abcdef',
    });
    expect(code.name).toBe('bert@0123456');

    expect((await registry.listLineageEntities('dataset')).map((e) => e.id)).toEqual([squad.id]);
    expect(await registry.listLineageEntities()).toHaveLength(3);
    expect(await registry.getLineageEntity(run.id)).toMatchObject({
      kind: 'run',
      name: 'finetune-7',
    });
  });

  test('bad records are refused with the field named', async () => {
    const { registry, squad } = await bertFamily();
    await expectRefusedWithoutChange(
      registry,
      () => registry.recordRun({ id: squad.id, name: 'x' }),
      InvalidInputError,
      /is a dataset record, so it cannot be updated as a run/,
    );
    await expectRefusedWithoutChange(
      registry,
      () => registry.recordDataset({ name: ' ' }),
      InvalidInputError,
      /needs a name/,
    );
    await expectRefusedWithoutChange(
      registry,
      () => registry.recordDataset({ name: 'imagenet', sha256: 'nope' }),
      InvalidInputError,
      /64 hexadecimal/,
    );
  });
});

describe('linking', () => {
  test('a link closing a cycle is refused, named with labels, changing nothing', async () => {
    const { registry, v } = await bertFamily();
    await registry.addLineageEdge({ from: v[5], to: v[2], relation: 'fine-tuned-from' });
    await registry.addLineageEdge({ from: v[2], to: v[3], relation: 'quantized-from' });

    const error = await expectRefusedWithoutChange(
      registry,
      () => registry.addLineageEdge({ from: v[3], to: v[5], relation: 'distilled-from' }),
      LineageCycleError,
      /would make a cycle: bert v3 -> bert v5 -> bert v2 -> bert v3\./,
    );
    expect((error as LineageCycleError).cycleIds).toEqual([v[3], v[5], v[2], v[3]]);
    await expectRefusedWithoutChange(
      registry,
      () => registry.addLineageEdge({ from: v[4], to: v[4], relation: 'derived-from' }),
      LineageCycleError,
      /bert v4 -> bert v4/,
    );
  });

  test('unknown ends, relations that do not fit and duplicates are refused', async () => {
    const { registry, v, squad } = await bertFamily();
    await expectRefusedWithoutChange(
      registry,
      () => registry.addLineageEdge({ from: 'nope', to: v[1], relation: 'fine-tuned-from' }),
      UnknownLineageNodeError,
      /lineage parent "nope" is neither a model version nor a recorded dataset/,
    );
    await expectRefusedWithoutChange(
      registry,
      () => registry.addLineageEdge({ from: v[1], to: v[2], relation: 'trained-on' }),
      InvalidInputError,
      /"trained on" link goes from a dataset to a version or a run, but version "bert v1"/,
    );
    await expectRefusedWithoutChange(
      registry,
      () => registry.addLineageEdge({ from: squad.id, to: v[2], relation: 'fine-tuned-from' }),
      InvalidInputError,
      /goes from a version to a version/,
    );
    await expectRefusedWithoutChange(
      registry,
      () => registry.addLineageEdge({ from: v[1], to: v[2], relation: 'copied' as never }),
      InvalidInputError,
      /"copied" is not a lineage relation/,
    );
    await expectRefusedWithoutChange(
      registry,
      () =>
        registry.addLineageEdge({ from: v[1], to: v[2], relation: 'fine-tuned-from', weight: 1 }),
      InvalidInputError,
      /Only a "merged from" link carries a weight/,
    );
    await registry.addLineageEdge({ from: v[1], to: v[2], relation: 'fine-tuned-from' });
    await expectRefusedWithoutChange(
      registry,
      () => registry.addLineageEdge({ from: v[1], to: v[2], relation: 'fine-tuned-from' }),
      InvalidInputError,
      /bert v2 is already fine-tuned from bert v1/,
    );
  });

  test('a removed edge leaves the graph and history keeps it; restore brings it back', async () => {
    const { registry, v } = await bertFamily();
    const edge = await registry.addLineageEdge({
      from: v[1],
      to: v[2],
      relation: 'fine-tuned-from',
      note: 'lr 3e-5',
    });
    expect(edge).toMatchObject({ state: 'active', fromLabel: 'bert v1', toLabel: 'bert v2' });
    await registry.removeLineageEdge(edge.id);
    expect(await registry.lineageAncestors(v[2])).toEqual([]);
    expect((await registry.lineageEdgesOf(v[2])).map((e) => e.state)).toEqual(['removed']);
    await expectRefusedWithoutChange(
      registry,
      () => registry.removeLineageEdge(edge.id),
      InvalidInputError,
      /is removed, not in the lineage/,
    );
    await expectRefusedWithoutChange(
      registry,
      () => registry.removeLineageEdge('missing'),
      UnknownLineageEdgeError,
      /no lineage link "missing"/,
    );

    const restored = await registry.restoreLineageEdge(edge.id);
    expect(restored).toMatchObject({ id: edge.id, state: 'active', note: 'lr 3e-5' });
    expect(ids(await registry.lineageAncestors(v[2]))).toEqual([v[1]]);

    const summaries = (await registry.history({ kind: 'version', id: v[2] })).map((e) => e.summary);
    expect(summaries).toEqual([
      'registered v2',
      'recorded bert v2 fine-tuned from bert v1',
      'removed the link bert v2 fine-tuned from bert v1',
      'restored bert v2 fine-tuned from bert v1',
    ]);
    const modelHistory = await registry.history({
      kind: 'model',
      id: (await registry.getModel('bert')).id,
    });
    expect(modelHistory.filter((e) => e.type.startsWith('lineage.'))).toHaveLength(3);
    expect(modelHistory.every((e) => e.modelId !== null)).toBe(true);
  });

  test('restoring is refused while it would close a cycle', async () => {
    const { registry, v } = await bertFamily();
    const edge = await registry.addLineageEdge({ from: v[1], to: v[2], relation: 'adapter-of' });
    await registry.removeLineageEdge(edge.id);
    await registry.addLineageEdge({ from: v[2], to: v[1], relation: 'adapter-of' });
    await expectRefusedWithoutChange(
      registry,
      () => registry.restoreLineageEdge(edge.id),
      LineageCycleError,
      /bert v1 -> bert v2 -> bert v1/,
    );
  });
});

describe('queries', () => {
  /**
   *   squad ─trained-on─> v1 ─fine-tuned─> v2 ─quantized─> v3 ─merged (0.5)─> v5
   *                         └─distilled─> v4 ─merged (0.5)─> v5
   *   run ─produced-by─> v4
   */
  async function graph() {
    const family = await bertFamily();
    const { registry, v, squad } = family;
    const run = await registry.recordRun({ name: 'distill-run' });
    const link = (from: string, to: string, relation: string, weight?: number) =>
      registry.addLineageEdge({ from, to, relation: relation as never, weight });
    await link(squad.id, v[1], 'trained-on');
    await link(v[1], v[2], 'fine-tuned-from');
    await link(v[2], v[3], 'quantized-from');
    await link(v[1], v[4], 'distilled-from');
    await link(v[4], v[5], 'merged-from', 0.5);
    await link(v[3], v[5], 'merged-from', 0.5);
    await link(run.id, v[4], 'produced-by');
    await registry.setAlias('bert', 'champion', 5);
    return { ...family, run };
  }

  test('ancestors, descendants, path, common ancestors and diff', async () => {
    const { registry, v, squad, run } = await graph();
    const ancestors = await registry.lineageAncestors(v[5]);
    expect(ids(ancestors).sort()).toEqual([v[1], v[2], v[3], v[4], squad.id, run.id].sort());
    expect(
      ancestors
        .filter((n) => n.depth === 1)
        .map((n) => n.label)
        .sort(),
    ).toEqual(['bert v3', 'bert v4']);
    expect(ids(await registry.lineageAncestors(v[5], { maxDepth: 1 })).sort()).toEqual(
      [v[3], v[4]].sort(),
    );
    expect(
      ids(await registry.lineageAncestors(v[5], { kinds: ['dataset', 'run'] })).sort(),
    ).toEqual([squad.id, run.id].sort());
    expect(ids(await registry.lineageDescendants(v[2]))).toEqual([v[3], v[5]]);

    const path = await registry.lineagePath(v[1], v[5]);
    expect(path?.direction).toBe('descendant');
    expect(path?.nodes.map((n) => n.label)).toEqual(['bert v1', 'bert v4', 'bert v5']);
    expect((await registry.lineagePath(v[3], v[1]))?.direction).toBe('ancestor');
    expect(await registry.lineagePath(v[3], v[4])).toBeNull();

    const common = await registry.lineageCommonAncestors(v[3], v[4]);
    expect(common.map((c) => [c.node.label, c.distanceFromA, c.distanceFromB])).toEqual([
      ['bert v1', 2, 1],
    ]);
    const diff = await registry.lineageDiff(v[3], v[4]);
    expect(ids(diff.onlyA)).toEqual([v[2]]);
    expect(ids(diff.onlyB)).toEqual([run.id]);
    expect(ids(diff.shared).sort()).toEqual([v[1], squad.id].sort());
  });

  test('everything downstream of a dataset, and only datasets are asked that way', async () => {
    const { registry, v, squad, run } = await graph();
    const downstream = await registry.downstreamOfDataset(squad.id);
    expect(downstream.map((n) => n.label).sort()).toEqual(
      ['bert v1', 'bert v2', 'bert v3', 'bert v4', 'bert v5'].sort(),
    );
    expect(downstream.every((n) => n.kind === 'version')).toBe(true);
    await expect(registry.downstreamOfDataset(run.id)).rejects.toThrow(/is a run, not a dataset/);
    await expect(registry.lineageAncestors('ghost')).rejects.toBeInstanceOf(
      UnknownLineageNodeError,
    );
    expect(await registry.lineageAncestors(v[1])).toHaveLength(1);
  });

  test('the neighbourhood carries the labels, kinds and alias badges to draw', async () => {
    const { registry, v, squad } = await graph();
    const around = await registry.lineageNeighbourhood(v[4], { depth: 1 });
    const byId = new Map(around.nodes.map((node) => [node.id, node]));
    expect(byId.get(v[4])).toMatchObject({ label: 'bert v4', kind: 'version', depth: 0 });
    expect(byId.get(v[5])).toMatchObject({ label: 'bert v5', depth: 1 });
    expect(byId.has(squad.id)).toBe(false);
    expect(around.facts[v[5]].aliases).toEqual(['champion']);
    const weights = around.edges.filter((e) => e.relation === 'merged-from').map((e) => e.weight);
    expect(weights).toEqual([0.5]);

    const view = toVisData(around, { facts: (id) => around.facts[id] });
    const drawn = view.nodes.find((node) => node.id === v[5])!;
    expect(drawn.label).toContain('bert v5');
    expect(drawn.label).toContain('@champion');
    expect(view.nodes.find((node) => node.group === 'run')).toBeDefined();

    const versionsOnly = await registry.lineageNeighbourhood(v[1], { kinds: ['version'] });
    expect(versionsOnly.nodes.every((node) => node.kind === 'version')).toBe(true);
    expect(versionsOnly.edges.some((edge) => edge.from === squad.id)).toBe(false);
  });

  test('lineage history of a dataset and the workspace history read as sentences', async () => {
    const { registry, v, squad } = await graph();
    const entries = await registry.lineageHistory(squad.id);
    expect(entries.map((e) => e.summary)).toEqual([
      'recorded dataset squad',
      'recorded bert v1 trained on squad 2.0',
    ]);
    expect(entries[1]).toMatchObject({
      entity: { kind: 'lineage-edge' },
      modelId: expect.any(String),
    });
    const recent = await registry.recentHistory(3);
    expect(recent.map((e) => e.summary)).toContain('recorded bert v4 produced by distill-run');
    expect(v[1]).toBeTruthy();
  });
});
