/**
 * Narrowing the lineage explorer by model, alias and tag: the pure rules (`matchesNodeFilter`,
 * `filterSubgraph`, `nodeFacets`) and the same through `lineageNeighbourhood` on a registry.
 */
import { describe, expect, test } from 'vitest';
import {
  filterSubgraph,
  matchesNodeFilter,
  nodeFacets,
  type LineageNodeTraits,
} from '../../src/lib/lineage/subgraph-filter';
import type { LineageSubgraph } from '../../src/lib/lineage/types';
import { freshRegistry } from './support/registry';

const traits: Record<string, LineageNodeTraits> = {
  a1: { kind: 'version', modelId: 'A', aliases: [], tags: { team: 'x' } },
  a2: { kind: 'version', modelId: 'A', aliases: ['champion'], tags: { team: 'x', gpu: 'a100' } },
  b1: { kind: 'version', modelId: 'B', aliases: ['staging'], tags: { team: 'y' } },
  d: { kind: 'dataset', modelId: null, aliases: [], tags: { team: 'x' } },
  r: { kind: 'run', modelId: null, aliases: [], tags: {} },
};

const subgraph: LineageSubgraph = {
  center: 'a2',
  nodes: Object.entries(traits).map(([id, node], depth) => ({
    id,
    kind: node.kind,
    label: id,
    depth,
  })),
  edges: [
    { id: 'e1', from: 'a1', to: 'a2', relation: 'fine-tuned-from' },
    { id: 'e2', from: 'a2', to: 'b1', relation: 'distilled-from' },
    { id: 'e3', from: 'd', to: 'r', relation: 'trained-on' },
    { id: 'e4', from: 'r', to: 'a2', relation: 'produced-by' },
  ],
  truncated: false,
};

function kept(filter: Parameters<typeof matchesNodeFilter>[1]) {
  const shown = filterSubgraph(subgraph, (id) => matchesNodeFilter(traits[id], filter));
  return { nodes: shown.nodes.map((n) => n.id), edges: shown.edges.map((e) => e.id) };
}

describe('matchesNodeFilter and filterSubgraph', () => {
  test('an empty filter keeps everything', () => {
    expect(kept({})).toEqual({
      nodes: ['a1', 'a2', 'b1', 'd', 'r'],
      edges: ['e1', 'e2', 'e3', 'e4'],
    });
    expect(kept({ models: [], aliases: [], tags: [] }).nodes).toHaveLength(5);
  });

  test('a model filter keeps that model versions and every record, and the centre', () => {
    expect(kept({ models: ['B'] })).toEqual({
      nodes: ['a2', 'b1', 'd', 'r'],
      edges: ['e2', 'e3', 'e4'],
    });
    expect(kept({ models: ['A', 'B'] }).nodes).toEqual(['a1', 'a2', 'b1', 'd', 'r']);
  });

  test('an alias filter keeps versions holding any of the aliases', () => {
    expect(kept({ aliases: ['staging'] }).nodes).toEqual(['a2', 'b1', 'd', 'r']);
    expect(kept({ aliases: ['champion'] }).nodes).toEqual(['a2', 'd', 'r']);
    expect(kept({ aliases: ['nope'] })).toEqual({ nodes: ['a2', 'd', 'r'], edges: ['e3', 'e4'] });
  });

  test('tag filters need every tag, by key alone or key and value, on every kind', () => {
    expect(kept({ tags: [{ key: 'team', value: 'x' }] })).toEqual({
      nodes: ['a1', 'a2', 'd'],
      edges: ['e1'],
    });
    expect(kept({ tags: [{ key: 'team' }] }).nodes).toEqual(['a1', 'a2', 'b1', 'd']);
    expect(kept({ tags: [{ key: 'team', value: 'x' }, { key: 'gpu' }] }).nodes).toEqual(['a2']);
  });

  test('parts combine: kinds, models and tags together', () => {
    const filter = { kinds: ['version' as const], models: ['A'], tags: [{ key: 'team' }] };
    expect(kept(filter)).toEqual({ nodes: ['a1', 'a2'], edges: ['e1'] });
  });

  test('facets list each model, alias and tag pair once, sorted', () => {
    const names: Record<string, string> = { A: 'zeta', B: 'alpha' };
    expect(nodeFacets(Object.values(traits), (id) => names[id])).toEqual({
      models: [
        { id: 'B', name: 'alpha' },
        { id: 'A', name: 'zeta' },
      ],
      aliases: ['champion', 'staging'],
      tags: [
        { key: 'gpu', value: 'a100' },
        { key: 'team', value: 'x' },
        { key: 'team', value: 'y' },
      ],
    });
  });
});

describe('lineageNeighbourhood with model, alias and tag filters', () => {
  async function family() {
    const registry = await freshRegistry('lineage-filter');
    const a = await registry.createModel({ name: 'alpha', tags: { team: 'x' } });
    const b = await registry.createModel({ name: 'beta', tags: { team: 'y' } });
    const [a1, a2] = await registry.registerVersions([{ model: 'alpha' }, { model: 'alpha' }]);
    const [b1] = await registry.registerVersions([{ model: 'beta', tags: { gpu: 'h100' } }]);
    await registry.setAlias('alpha', 'champion', 2);
    await registry.setAlias('beta', 'staging', 1);
    const data = await registry.recordDataset({ name: 'clicks', tags: { team: 'x' } });
    await registry.addLineageEdge({ from: a1.id, to: a2.id, relation: 'fine-tuned-from' });
    await registry.addLineageEdge({ from: a2.id, to: b1.id, relation: 'distilled-from' });
    await registry.addLineageEdge({ from: data.id, to: a2.id, relation: 'trained-on' });
    return { registry, a, b, a1, a2, b1, data };
  }

  test('narrows by model, alias and tag, keeping the centre and offering facets', async () => {
    const { registry, a, b, a2 } = await family();
    const labels = async (options: Parameters<typeof registry.lineageNeighbourhood>[1]) => {
      const view = await registry.lineageNeighbourhood(a2.id, options);
      return {
        nodes: view.nodes.map((node) => node.label).sort(),
        edges: view.edges.length,
        facts: Object.keys(view.facts).length,
      };
    };

    expect(await labels({})).toEqual({
      nodes: ['alpha v1', 'alpha v2', 'beta v1', 'clicks'],
      edges: 3,
      facts: 4,
    });
    expect(await labels({ models: [b.id] })).toEqual({
      nodes: ['alpha v2', 'beta v1', 'clicks'],
      edges: 2,
      facts: 3,
    });
    expect((await labels({ aliases: ['staging'] })).nodes).toEqual([
      'alpha v2',
      'beta v1',
      'clicks',
    ]);
    // Model tags count for their versions; record tags for records.
    expect((await labels({ tags: [{ key: 'team', value: 'x' }] })).nodes).toEqual([
      'alpha v1',
      'alpha v2',
      'clicks',
    ]);
    expect((await labels({ tags: [{ key: 'gpu' }], kinds: ['version'] })).nodes).toEqual([
      'alpha v2',
      'beta v1',
    ]);

    const view = await registry.lineageNeighbourhood(a2.id, { models: [b.id] });
    expect(view.facets.models).toEqual([
      { id: a.id, name: 'alpha' },
      { id: b.id, name: 'beta' },
    ]);
    expect(view.facets.aliases).toEqual(['champion', 'staging']);
    expect(view.facets.tags).toEqual([
      { key: 'gpu', value: 'h100' },
      { key: 'team', value: 'x' },
      { key: 'team', value: 'y' },
    ]);
  });

  test('archived records leave default lists but not the graph, and come back', async () => {
    const { registry, data, a2 } = await family();
    const archived = await registry.archiveLineageEntity(data.id);
    expect(archived).toMatchObject({ archived: true, tags: { team: 'x' } });
    expect(await registry.listLineageEntities('dataset')).toEqual([]);
    expect(await registry.listLineageEntities('dataset', { includeArchived: true })).toHaveLength(
      1,
    );
    const ancestors = await registry.lineageAncestors(a2.id);
    expect(ancestors.find((node) => node.id === data.id)).toMatchObject({ archived: true });
    await registry.restoreLineageEntity(data.id);
    expect(await registry.listLineageEntities('dataset')).toHaveLength(1);
  });
});
