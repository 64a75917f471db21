import { describe, expect, it } from 'vitest';
import { LineageCycleError, LineageEdgeConflictError } from '../../src/lib/lineage/errors';
import { InvalidInputError } from '../../src/lib/registry/errors';
import { LineageGraphIndex } from '../../src/lib/lineage/graph-index';
import type { LineageEdge, LineageNode } from '../../src/lib/lineage/types';

/*
 * A small registry drawn by hand (edges point parent -> child):
 *
 *   code1 -> run1 <- squad          imdb
 *              |       \              |
 *   base ---> ft --------\---------> other
 *    |        | \         \           |
 *    v        v  v         \          v
 *   lora      q  merged <---\------- (other)
 *                  |         \
 *                  v          v
 *                small <---- squad (evaluated-on)
 */
const nodes: LineageNode[] = [
  { id: 'base', kind: 'version', label: 'llama v1' },
  { id: 'ft', kind: 'version', label: 'llama-chat v1' },
  { id: 'q', kind: 'version', label: 'llama-chat-q4 v1' },
  { id: 'lora', kind: 'version' },
  { id: 'merged', kind: 'version' },
  { id: 'other', kind: 'version' },
  { id: 'small', kind: 'version' },
  { id: 'squad', kind: 'dataset' },
  { id: 'imdb', kind: 'dataset' },
  { id: 'run1', kind: 'run' },
  { id: 'code1', kind: 'code' },
];
const edges: LineageEdge[] = [
  { id: 'e1', from: 'base', to: 'ft', relation: 'fine-tuned-from', note: 'SFT on chats' },
  { id: 'e2', from: 'squad', to: 'run1', relation: 'trained-on' },
  { id: 'e3', from: 'run1', to: 'ft', relation: 'produced-by' },
  { id: 'e4', from: 'code1', to: 'run1', relation: 'derived-from' },
  { id: 'e5', from: 'ft', to: 'q', relation: 'quantized-from' },
  { id: 'e6', from: 'base', to: 'lora', relation: 'adapter-of' },
  { id: 'e7', from: 'ft', to: 'merged', relation: 'merged-from', weight: 0.6 },
  { id: 'e8', from: 'other', to: 'merged', relation: 'merged-from', weight: 0.4 },
  { id: 'e9', from: 'merged', to: 'small', relation: 'distilled-from' },
  { id: 'e10', from: 'imdb', to: 'other', relation: 'trained-on' },
  { id: 'e11', from: 'squad', to: 'small', relation: 'evaluated-on' },
];

const sorted = (ids: string[]) => [...ids].sort();

function handDrawn(): LineageGraphIndex {
  return LineageGraphIndex.build(nodes, edges);
}

describe('lineage index on a hand-checked graph', () => {
  it('finds every ancestor, nearest first', () => {
    const index = handDrawn();
    expect(index.reach('small', 'ancestors')).toEqual(
      expect.arrayContaining([
        { id: 'merged', depth: 1 },
        { id: 'squad', depth: 1 },
        { id: 'ft', depth: 2 },
        { id: 'other', depth: 2 },
        { id: 'base', depth: 3 },
        { id: 'run1', depth: 3 },
        { id: 'imdb', depth: 3 },
        { id: 'code1', depth: 4 },
      ]),
    );
    expect(index.ancestors('small')).toHaveLength(8);
    expect(sorted(index.ancestors('small').slice(0, 2))).toEqual(['merged', 'squad']);
  });

  it('limits ancestors by depth and by relation', () => {
    const index = handDrawn();
    expect(sorted(index.ancestors('small', { maxDepth: 1 }))).toEqual(['merged', 'squad']);
    const models = index.ancestors('small', {
      relations: ['merged-from', 'distilled-from', 'fine-tuned-from'],
    });
    expect(sorted(models)).toEqual(['base', 'ft', 'merged', 'other']);
    expect(index.ancestors('small', { relations: [] })).toEqual([]);
  });

  it('finds every descendant', () => {
    expect(sorted(handDrawn().descendants('base'))).toEqual(['ft', 'lora', 'merged', 'q', 'small']);
  });

  it('answers "which models were built on this dataset?" through runs and merges', () => {
    const index = handDrawn();
    expect(sorted(index.downstreamOf('squad'))).toEqual(['ft', 'merged', 'q', 'run1', 'small']);
    const versions = index.downstreamOf('squad', { kinds: ['version'] });
    expect(sorted(versions)).toEqual(['ft', 'merged', 'q', 'small']);
  });

  it('finds the path between two versions in either direction', () => {
    const index = handDrawn();
    const down = index.path('base', 'small');
    expect(down?.direction).toBe('descendant');
    expect(down?.nodes).toEqual(['base', 'ft', 'merged', 'small']);
    expect(down?.edges.map((edge) => edge.id)).toEqual(['e1', 'e7', 'e9']);

    const up = index.path('small', 'base');
    expect(up?.direction).toBe('ancestor');
    expect(up?.nodes).toEqual(['small', 'merged', 'ft', 'base']);
    expect(up?.edges.map((edge) => edge.id)).toEqual(['e9', 'e7', 'e1']);

    expect(index.path('q', 'lora')).toBeNull();
    expect(index.path('q', 'nowhere')).toBeNull();
  });

  it('finds the nearest common ancestors', () => {
    const index = handDrawn();
    expect(index.nearestCommonAncestors('q', 'lora')).toEqual([
      { id: 'base', distanceFromA: 2, distanceFromB: 1 },
    ]);
    expect(index.nearestCommonAncestors('q', 'small')).toEqual([
      { id: 'ft', distanceFromA: 1, distanceFromB: 2 },
    ]);
    expect(index.nearestCommonAncestors('merged', 'other')).toEqual([
      { id: 'other', distanceFromA: 1, distanceFromB: 0 },
    ]);
    expect(index.nearestCommonAncestors('lora', 'imdb')).toEqual([]);
  });

  it('diffs the lineage of two versions', () => {
    const diff = handDrawn().diff('q', 'small');
    expect(sorted(diff.onlyA)).toEqual([]);
    expect(sorted(diff.onlyB)).toEqual(['imdb', 'merged', 'other']);
    expect(sorted(diff.shared)).toEqual(['base', 'code1', 'ft', 'run1', 'squad']);
  });

  it('keeps notes and merge weights on edges', () => {
    const index = handDrawn();
    expect(index.edge('e1')?.note).toBe('SFT on chats');
    expect(index.incoming('merged').map((edge) => edge.weight)).toEqual([0.6, 0.4]);
    expect(index.outgoing('base', ['adapter-of']).map((edge) => edge.to)).toEqual(['lora']);
  });

  it('cuts a neighbourhood around a version, nearest nodes first', () => {
    const index = handDrawn();
    const around = index.neighbourhood('ft', { maxDepth: 1 });
    expect(around.truncated).toBe(false);
    const depths = Object.fromEntries(around.nodes.map((node) => [node.id, node.depth]));
    expect(depths).toEqual({ ft: 0, base: -1, run1: -1, q: 1, merged: 1 });
    expect(sorted(around.edges.map((edge) => edge.id))).toEqual(['e1', 'e3', 'e5', 'e7']);

    const small = index.neighbourhood('ft', { maxDepth: 3, maxNodes: 3 });
    expect(small.truncated).toBe(true);
    expect(small.nodes).toHaveLength(3);
    expect(small.nodes.every((node) => Math.abs(node.depth) <= 1)).toBe(true);
  });
});

describe('cycle detection', () => {
  it('names the cycle with display labels, starting at the new edge', () => {
    const index = new LineageGraphIndex();
    for (const n of [2, 3, 5]) index.addNode({ id: `id${n}`, kind: 'version', label: `v${n}` });
    index.addEdge({ id: 'a', from: 'id5', to: 'id2', relation: 'fine-tuned-from' });
    index.addEdge({ id: 'b', from: 'id2', to: 'id3', relation: 'fine-tuned-from' });

    const attempt = () =>
      index.addEdge({ id: 'c', from: 'id3', to: 'id5', relation: 'derived-from' });
    expect(attempt).toThrow(LineageCycleError);
    expect(attempt).toThrow(/v3 -> v5 -> v2 -> v3/);
    try {
      attempt();
    } catch (error) {
      expect((error as LineageCycleError).cycleIds).toEqual(['id3', 'id5', 'id2', 'id3']);
    }
    expect(index.edgeCount).toBe(2);
    expect(index.edge('c')).toBeUndefined();
  });

  it('refuses a self-loop, even on a node it has never seen', () => {
    const index = new LineageGraphIndex();
    expect(() => index.addEdge({ id: 's', from: 'x', to: 'x', relation: 'derived-from' })).toThrow(
      /x -> x/,
    );
  });

  it('finds a long cycle and a cycle through a merge', () => {
    const index = new LineageGraphIndex();
    for (let i = 0; i < 200; i++) {
      index.addEdge({ id: `c${i}`, from: `v${i}`, to: `v${i + 1}`, relation: 'fine-tuned-from' });
    }
    const long = () =>
      index.addEdge({ id: 'back', from: 'v200', to: 'v0', relation: 'derived-from' });
    expect(long).toThrow(LineageCycleError);
    try {
      long();
    } catch (error) {
      expect((error as LineageCycleError).cycleIds).toHaveLength(202);
    }

    const merge = LineageGraphIndex.build(nodes, edges);
    const closing = { id: 'x', from: 'small', to: 'other', relation: 'derived-from' } as const;
    expect(() => merge.addEdge(closing)).toThrow(/small -> other -> merged -> small/);
  });

  it('names a shortest cycle when several would close', () => {
    const index = new LineageGraphIndex();
    const link = (id: string, from: string, to: string) =>
      index.addEdge({ id, from, to, relation: 'derived-from' });
    link('1', 'a', 'b');
    link('2', 'b', 'c');
    link('3', 'c', 'd');
    link('4', 'b', 'd');
    expect(() => link('5', 'd', 'a')).toThrow(/d -> a -> b -> d\./);
  });

  it('checks a restored edge again', () => {
    const index = new LineageGraphIndex();
    index.addEdge({ id: 'ab', from: 'a', to: 'b', relation: 'derived-from' });
    index.removeEdge('ab');
    index.addEdge({ id: 'ba', from: 'b', to: 'a', relation: 'derived-from' });
    expect(() => index.addEdge({ id: 'ab', from: 'a', to: 'b', relation: 'derived-from' })).toThrow(
      LineageCycleError,
    );
    index.removeEdge('ba');
    index.addEdge({ id: 'ab', from: 'a', to: 'b', relation: 'derived-from' });
    expect(index.descendants('a')).toEqual(['b']);
  });

  it('refuses to build from cyclic edges, naming the cycle', () => {
    const cyclic: LineageEdge[] = [
      { id: '1', from: 'a', to: 'b', relation: 'derived-from' },
      { id: '2', from: 'b', to: 'c', relation: 'derived-from' },
      { id: '3', from: 'c', to: 'a', relation: 'derived-from' },
      { id: '4', from: 'z', to: 'a', relation: 'derived-from' },
    ];
    expect(() => LineageGraphIndex.build([], cyclic)).toThrow(LineageCycleError);
    try {
      LineageGraphIndex.build([], cyclic);
    } catch (error) {
      const cycle = (error as LineageCycleError).cycleIds;
      expect(cycle[0]).toBe(cycle[cycle.length - 1]);
      expect(sorted(cycle.slice(1))).toEqual(['a', 'b', 'c']);
    }
  });

  it('rejects an unknown relation or kind before changing anything', () => {
    const index = new LineageGraphIndex();
    const bogus = { id: 'x', from: 'a', to: 'b', relation: 'cloned-from' as 'derived-from' };
    expect(() => index.addEdge(bogus)).toThrow(InvalidInputError);
    expect(() => index.addEdge(bogus)).toThrow(/"cloned-from" is not a lineage relation/);
    expect(index.nodeCount).toBe(0);
    expect(() => index.addNode({ id: 'a', kind: 'model' as 'version' })).toThrow(InvalidInputError);
  });

  it('rejects an edge id reused for other ends', () => {
    const index = handDrawn();
    expect(() =>
      index.addEdge({ id: 'e1', from: 'base', to: 'q', relation: 'derived-from' }),
    ).toThrow(LineageEdgeConflictError);
  });
});
