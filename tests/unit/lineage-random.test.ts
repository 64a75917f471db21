/**
 * The fast index against a brute-force reference on seeded random DAGs. A failing seed can
 * be replayed by running its test alone.
 */
import { describe, expect, it } from 'vitest';
import { LineageCycleError } from '../../src/lib/lineage/errors';
import { LineageGraphIndex } from '../../src/lib/lineage/graph-index';
import {
  LINEAGE_RELATIONS,
  type LineageEdge,
  type LineageRelation,
} from '../../src/lib/lineage/types';
import {
  randomDag,
  ReferenceGraph,
  seededRandom,
  shuffled,
  sortedEntries,
} from './lineage-reference';

const SEEDS = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89];

function asDepths(reached: { id: string; depth: number }[]): Map<string, number> {
  return new Map(reached.map(({ id, depth }) => [id, depth]));
}

function randomRelations(random: () => number): LineageRelation[] | undefined {
  if (random() < 0.5) return undefined;
  return LINEAGE_RELATIONS.filter(() => random() < 0.5);
}

/** Checks every walk from every node against the reference. */
function expectSameWalks(
  index: LineageGraphIndex,
  reference: ReferenceGraph,
  random: () => number,
) {
  for (const node of index.nodes()) {
    const maxDepth = random() < 0.3 ? 1 + Math.floor(random() * 3) : undefined;
    const relations = randomRelations(random);
    for (const outward of [true, false]) {
      const actual = index.reach(node.id, outward ? 'descendants' : 'ancestors', {
        maxDepth,
        relations,
      });
      const expected = reference.reach(node.id, outward, maxDepth, relations);
      expect(sortedEntries(asDepths(actual)), `${node.id} ${outward}`).toEqual(
        sortedEntries(expected),
      );
      const depths = actual.map((reached) => reached.depth);
      expect(depths).toEqual([...depths].sort((a, b) => a - b));
    }

    // The unfiltered queries take their own faster walk.
    const everything = (outward: boolean) => [...reference.reach(node.id, outward).keys()].sort();
    expect([...index.descendants(node.id)].sort()).toEqual(everything(true));
    expect([...index.ancestors(node.id)].sort()).toEqual(everything(false));
  }
}

describe.each(SEEDS)('lineage index on random DAG (seed %i)', (seed) => {
  const random = seededRandom(seed);
  const { nodes, edges } = randomDag(random, 60, 150);
  const reference = new ReferenceGraph(edges);

  it('walks like the reference when built in one pass', () => {
    expectSameWalks(LineageGraphIndex.build(nodes, edges), reference, random);
  });

  it('walks like the reference when edges arrive one by one in any order', () => {
    const index = new LineageGraphIndex();
    for (const edge of shuffled(edges, random)) index.addEdge(edge);
    for (const node of nodes) index.addNode(node);
    expectSameWalks(index, reference, random);
  });

  it('finds shortest paths and lowest common ancestors like brute force', () => {
    const index = LineageGraphIndex.build(nodes, edges);
    for (let trial = 0; trial < 150; trial++) {
      const a = nodes[Math.floor(random() * nodes.length)].id;
      const b = nodes[Math.floor(random() * nodes.length)].id;
      const down = reference.reach(a, true).get(b);
      const up = reference.reach(a, false).get(b);
      const path = index.path(a, b);
      if (a === b) expect(path?.nodes).toEqual([a]);
      else if (down === undefined && up === undefined) expect(path).toBeNull();
      else {
        expect(path?.direction).toBe(down !== undefined ? 'descendant' : 'ancestor');
        expect(path?.edges).toHaveLength((down ?? up) as number);
        path?.edges.forEach((edge, i) => {
          const [parent, child] = path.direction === 'descendant' ? [i, i + 1] : [i + 1, i];
          expect([edge.from, edge.to]).toEqual([path.nodes[parent], path.nodes[child]]);
        });
      }

      const lowest = index.nearestCommonAncestors(a, b);
      const expected = reference.lowestCommonAncestors(a, b);
      const shape = (list: { id: string; da: number; db: number }[]) =>
        list.map((x) => `${x.id}:${x.da}:${x.db}`).sort();
      const actual = lowest.map((x) => ({ id: x.id, da: x.distanceFromA, db: x.distanceFromB }));
      expect(shape(actual)).toEqual(shape(expected));
    }
  });

  it('diffs lineage like set arithmetic on the reference', () => {
    const index = LineageGraphIndex.build(nodes, edges);
    for (let trial = 0; trial < 30; trial++) {
      const a = nodes[Math.floor(random() * nodes.length)].id;
      const b = nodes[Math.floor(random() * nodes.length)].id;
      const upA = new Set(reference.reach(a, false).keys());
      const upB = new Set(reference.reach(b, false).keys());
      const diff = index.diff(a, b);
      expect(diff.onlyA.sort()).toEqual([...upA].filter((id) => !upB.has(id)).sort());
      expect(diff.onlyB.sort()).toEqual([...upB].filter((id) => !upA.has(id)).sort());
      expect(diff.shared.sort()).toEqual([...upA].filter((id) => upB.has(id)).sort());
    }
  });

  it('refuses every back edge with a shortest cycle and stays unchanged', () => {
    const index = LineageGraphIndex.build(nodes, edges);
    const before = index.edges();
    for (let trial = 0; trial < 40; trial++) {
      const child = nodes[Math.floor(random() * nodes.length)].id;
      const below = [...reference.reach(child, true).entries()];
      if (below.length === 0) continue;
      const [parent, distance] = below[Math.floor(random() * below.length)];
      const back = {
        id: `back${trial}`,
        from: parent,
        to: child,
        relation: 'derived-from',
      } as const;

      let error: unknown;
      try {
        index.addEdge(back);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(LineageCycleError);
      const cycle = (error as LineageCycleError).cycleIds;
      expect(cycle.slice(0, 2)).toEqual([parent, child]);
      expect(cycle.at(-1)).toBe(parent);
      expect(cycle).toHaveLength(distance + 2);
      for (let i = 1; i < cycle.length - 1; i++) {
        expect(reference.out.get(cycle[i])?.some((edge) => edge.to === cycle[i + 1])).toBe(true);
      }
    }
    expect(index.edges()).toEqual(before);
  });
});

describe('lineage index under adds, removes and restores', () => {
  it('stays equal to the reference through thousands of changes and compactions', () => {
    const random = seededRandom(2024);
    const { nodes, edges } = randomDag(random, 400, 1600);
    const index = new LineageGraphIndex();
    const reference = new ReferenceGraph();
    const live = new Map<string, LineageEdge>();
    const removed: LineageEdge[] = [];
    for (const node of nodes) index.addNode(node);

    const pool = shuffled(edges, random);
    for (let step = 0; step < 4000; step++) {
      const roll = random();
      if (roll < 0.55 && pool.length > 0) {
        const edge = pool.pop() as LineageEdge;
        index.addEdge(edge);
        reference.add(edge);
        live.set(edge.id, edge);
      } else if (roll < 0.8 && live.size > 0) {
        const ids = [...live.keys()];
        const id = ids[Math.floor(random() * ids.length)];
        expect(index.removeEdge(id)).toBe(true);
        reference.remove(id);
        removed.push(live.get(id) as LineageEdge);
        live.delete(id);
      } else if (removed.length > 0) {
        const edge = removed.splice(Math.floor(random() * removed.length), 1)[0];
        index.addEdge(edge);
        reference.add(edge);
        live.set(edge.id, edge);
      }

      if (step % 500 === 499) {
        expect(index.edgeCount).toBe(live.size);
        expectSameWalks(index, reference, random);
        for (const node of nodes) {
          const ids = (list: LineageEdge[] | undefined) => (list ?? []).map((e) => e.id).sort();
          expect(ids(index.outgoing(node.id))).toEqual(ids(reference.out.get(node.id)));
          expect(ids(index.incoming(node.id))).toEqual(ids(reference.in.get(node.id)));
        }
      }
    }
    expect(index.removeEdge('never-added')).toBe(false);
    // The run must have crossed the compaction threshold, or the CSR path went untested.
    expect(index.adjacency.csrSlots).toBeGreaterThan(1000);
  });
});
