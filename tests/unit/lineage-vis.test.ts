import { describe, expect, it } from 'vitest';
import { LineageGraphIndex } from '../../src/lib/lineage/graph-index';
import type { LineageEdge, LineageSubgraph } from '../../src/lib/lineage/types';
import { hierarchyLevels, toVisData, type LineageVisData } from '../../src/lib/lineage/vis-adapter';
import { clusterKey, clusterNodeId } from '../../src/lib/lineage/vis-folding';
import { randomDag, seededRandom } from './lineage-reference';

/** Every drawn edge joins drawn nodes, and every subgraph node is drawn or folded once. */
function expectConsistent(view: LineageVisData, subgraph: LineageSubgraph) {
  const ids = new Set(view.nodes.map((node) => node.id));
  expect(ids.size).toBe(view.nodes.length);
  for (const edge of view.edges) {
    expect(ids.has(edge.from) && ids.has(edge.to)).toBe(true);
  }
  const covered = view.nodes.flatMap((node) => node.members ?? [node.id]);
  expect(covered.sort()).toEqual(subgraph.nodes.map((node) => node.id).sort());
  const linkCount = view.edges.reduce((sum, edge) => sum + edge.count, 0);
  expect(linkCount).toBeLessThanOrEqual(subgraph.edges.length);
}

function fanGraph(children: number, grandchildren: number): LineageGraphIndex {
  const edges: LineageEdge[] = [];
  for (let c = 0; c < children; c++) {
    edges.push({ id: `b${c}`, from: 'base', to: `c${c}`, relation: 'fine-tuned-from' });
    for (let g = 0; g < grandchildren; g++) {
      edges.push({ id: `g${c}.${g}`, from: `c${c}`, to: `c${c}.${g}`, relation: 'quantized-from' });
    }
  }
  edges.push({ id: 'd', from: 'data', to: 'base', relation: 'trained-on' });
  return LineageGraphIndex.build([{ id: 'data', kind: 'dataset', label: 'corpus' }], edges);
}

describe('vis-network adapter', () => {
  it('puts every parent on a higher level than its children, shortcuts included', () => {
    const random = seededRandom(11);
    const { nodes, edges } = randomDag(random, 80, 200);
    const index = LineageGraphIndex.build(nodes, edges);
    const subgraph = index.neighbourhood('n40', { maxDepth: 4 });
    const levels = hierarchyLevels(subgraph);
    for (const edge of subgraph.edges) {
      expect(levels.get(edge.from) as number).toBeLessThan(levels.get(edge.to) as number);
    }
    expect(Math.min(...levels.values())).toBe(0);
  });

  it('styles nodes by kind, badges aliases and marks the centre', () => {
    const index = fanGraph(2, 1);
    index.addNode({ id: 'base', kind: 'version', label: 'llama v1' });
    const facts = (id: string) =>
      id === 'base' ? { aliases: ['champion', 'prod'], summary: 'GGUF, 8B' } : undefined;
    const view = toVisData(index.neighbourhood('base'), { facts });
    const base = view.nodes.find((node) => node.id === 'base');
    expect(base).toMatchObject({
      label: 'llama v1\n@champion · @prod',
      title: 'llama v1\nGGUF, 8B',
      group: 'version',
      borderWidth: 3,
    });
    expect(view.nodes.find((node) => node.id === 'data')?.group).toBe('dataset');
    expect(view.options.groups?.dataset).toMatchObject({ shape: 'database' });
    expect(view.options.layout).toMatchObject({ hierarchical: { direction: 'UD' } });
  });

  it('labels edges by relation, dashes data edges and shows merge weights', () => {
    const index = LineageGraphIndex.build(
      [{ id: 'squad', kind: 'dataset' }],
      [
        { id: 'm1', from: 'a', to: 'soup', relation: 'merged-from', weight: 0.6, note: 'slerp' },
        { id: 'm2', from: 'b', to: 'soup', relation: 'merged-from', weight: 0.4 },
        { id: 't', from: 'squad', to: 'soup', relation: 'evaluated-on' },
      ],
    );
    const view = toVisData(index.neighbourhood('soup'));
    const byId = Object.fromEntries(view.edges.map((edge) => [edge.id, edge]));
    expect(byId.m1).toMatchObject({ label: 'merged from 60%', dashes: false });
    expect(byId.m1.title).toBe('soup merged from a (weight 0.6)\nslerp');
    expect(byId.t).toMatchObject({ label: 'evaluated on', dashes: true });
  });

  it('draws everything when the subgraph fits', () => {
    const index = fanGraph(5, 3);
    const subgraph = index.neighbourhood('base');
    const view = toVisData(subgraph);
    expect(view.folded).toEqual([]);
    expect(view.nodes).toHaveLength(subgraph.nodes.length);
    expectConsistent(view, subgraph);
  });

  it('draws the nearest nodes within the budget and folds the rest under them', () => {
    const index = fanGraph(10, 30);
    const subgraph = index.neighbourhood('base', { maxNodes: 1000 });
    const view = toVisData(subgraph, { maxNodes: 100 });
    expect(view.nodes).toHaveLength(100);
    expectConsistent(view, subgraph);
    const drawnDepths = view.nodes.filter((node) => node.group !== 'cluster').map((n) => n.depth);
    expect(drawnDepths.filter((depth) => Math.abs(depth) <= 1)).toHaveLength(12);
    const cluster = view.nodes.find((node) => node.id === 'cluster:below:c9');
    expect(cluster).toMatchObject({ group: 'cluster', label: '+30 more\nbelow c9', depth: 2 });
    expect(cluster?.members).toHaveLength(30);
    expect(view.edges.find((edge) => edge.to === 'cluster:below:c9')).toMatchObject({
      from: 'c9',
      count: 30,
    });

    const opened = toVisData(subgraph, { maxNodes: 100, expanded: new Set(['below:c9']) });
    expect(opened.nodes.some((node) => node.id === 'c9.7')).toBe(true);
    expect(opened.folded).not.toContain('below:c9');
    expectConsistent(opened, subgraph);
  });

  it('folds the farther parents and children when even those exceed the budget', () => {
    const index = fanGraph(300, 0);
    const subgraph = index.neighbourhood('base', { maxNodes: 1000 });
    const view = toVisData(subgraph, { maxNodes: 50 });
    expect(view.nodes).toHaveLength(50);
    expect(view.folded).toEqual(['below:base']);
    expect(view.nodes.at(-1)?.label).toBe('+253 more\nbelow base');
    expectConsistent(view, subgraph);
  });

  it('groups by the family its facts name, such as the model', () => {
    const index = fanGraph(4, 20);
    const subgraph = index.neighbourhood('base', { maxNodes: 1000 });
    const facts = (id: string) => ({ family: id.includes('.') ? `model-${id.length % 2}` : id });
    const view = toVisData(subgraph, { maxNodes: 20, facts });
    expect(view.folded.sort()).toEqual(['model-0', 'model-1']);
    expectConsistent(view, subgraph);
  });

  it('folds families of one node into their frontier cluster, not one cluster each', () => {
    // Many single-version models hanging from one base, as in a Hugging Face lineage import.
    const index = fanGraph(300, 0);
    const subgraph = index.neighbourhood('base', { maxNodes: 1000 });
    const view = toVisData(subgraph, { maxNodes: 50, facts: (id) => ({ family: `model-${id}` }) });
    expect(view.nodes).toHaveLength(50);
    expect(view.folded).toEqual(['below:base']);
    expectConsistent(view, subgraph);
  });

  it('expands the cluster a click names: its drawn id maps back to the key to expand', () => {
    const index = fanGraph(10, 30);
    const subgraph = index.neighbourhood('base', { maxNodes: 1000 });
    const view = toVisData(subgraph, { maxNodes: 100 });
    const cluster = view.nodes.find((node) => node.group === 'cluster')!;
    expect(clusterKey('c9.7')).toBeNull();
    const key = clusterKey(cluster.id)!;
    expect(clusterNodeId(key)).toBe(cluster.id);
    expect(view.folded).toContain(key);

    const opened = toVisData(subgraph, { maxNodes: 100, expanded: new Set([key]) });
    const drawn = new Set(opened.nodes.map((node) => node.id));
    for (const member of cluster.members ?? []) expect(drawn.has(member)).toBe(true);
    expect(drawn.has(cluster.id)).toBe(false);
    // The other clusters stay folded: one click opens one family.
    expect(opened.folded).toEqual(view.folded.filter((other) => other !== key));
    expectConsistent(opened, subgraph);
  });
});
