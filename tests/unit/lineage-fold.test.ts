import { describe, expect, it } from 'vitest';
import {
  foldEdges,
  LineageEdgeFold,
  type DroppedEdge,
  type LineageEdgeEvent,
} from '../../src/lib/lineage/fold';
import type { LineageGraphIndex } from '../../src/lib/lineage/graph-index';
import type { LineageEdge, LineageRelation } from '../../src/lib/lineage/types';
import { seededRandom, shuffled } from './lineage-reference';

function add(id: string, hlc: string, from: string, to: string, edgeId = `${from}>${to}`) {
  const relation: LineageRelation = 'fine-tuned-from';
  return { id, hlc, op: 'add', edge: { id: edgeId, from, to, relation } } as const;
}

function remove(id: string, hlc: string, edgeId: string, observed?: string[]): LineageEdgeEvent {
  return { id, hlc, op: 'remove', edgeId, observed };
}

/** What two peers compare: the live edges and the dropped adds. */
function outcome(graph: LineageGraphIndex, dropped: DroppedEdge[]) {
  const edges = graph
    .edges()
    .map((edge) => edge.id)
    .sort();
  return { edges, dropped: dropped.map((d) => `${d.eventId}:${d.reason}:${d.cycle.join('>')}`) };
}

function foldedOutcome(events: LineageEdgeEvent[]) {
  const { graph, dropped } = foldEdges(events);
  return outcome(graph, dropped);
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

// Both peers start from a -> b -> c. Apart, peer A links c -> d and peer B links d -> a.
// Each is fine alone; together they close a -> b -> c -> d -> a.
const shared = [add('s1', '0001', 'a', 'b'), add('s2', '0002', 'b', 'c')];
const peerA = add('pa', '0005', 'c', 'd');
const peerB = add('pb', '0005', 'd', 'a');

describe('folding lineage edge events', () => {
  it('drops the add that sorts later by (hlc, id) when two peers close a cycle', () => {
    const { graph, dropped } = foldEdges([...shared, peerA, peerB]);
    expect(dropped).toHaveLength(1);
    expect(dropped[0].eventId).toBe('pb');
    expect(dropped[0].reason).toBe('cycle');
    expect(dropped[0].cycle).toEqual(['d', 'a', 'b', 'c', 'd']);
    expect(dropped[0].message).toMatch(/d -> a -> b -> c -> d/);
    expect(graph.edge('d>a')).toBeUndefined();
    expect(graph.descendants('a')).toEqual(['b', 'c', 'd']);
  });

  it('lets the clock decide before the event id', () => {
    const earlier = add('zz', '0004', 'd', 'a');
    const { dropped } = foldEdges([...shared, peerA, earlier]);
    expect(dropped.map((d) => d.eventId)).toEqual(['pa']);
  });

  it('reaches the same graph and drops the same edge in every delivery order', () => {
    const events: LineageEdgeEvent[] = [
      ...shared,
      peerA,
      peerB,
      remove('r1', '0007', 'a>b', ['s1']),
      add('again', '0008', 'd', 'a'),
    ];
    const expected = foldedOutcome(events);
    expect(expected.dropped).toEqual(['pb:cycle:d>a>b>c>d']);
    expect(expected.edges).toEqual(['b>c', 'c>d', 'd>a']);

    let refolded = 0;
    for (const order of permutations(events)) {
      const fold = new LineageEdgeFold();
      for (const event of order) fold.apply([event]);
      refolded += fold.refolds;
      expect(outcome(fold.graph, fold.dropped)).toEqual(expected);
    }
    expect(refolded).toBeGreaterThan(0);
  });

  it('only refolds when an event sorts before one already applied', () => {
    const fold = new LineageEdgeFold();
    expect(fold.apply(shared)).toBe(false);
    expect(fold.apply([peerA])).toBe(false);
    expect(fold.apply([add('old', '0003', 'x', 'y')])).toBe(true);
    expect(fold.refolds).toBe(1);
    expect(fold.apply([peerA])).toBe(false);
  });

  it('folds a batch far larger than a call can spread as arguments', () => {
    const events = Array.from({ length: 160_000 }, (_, i) =>
      add(`ev${i}`, String(i).padStart(7, '0'), `n${i}`, `n${i + 1}`),
    );
    expect(foldEdges(events).graph.edgeCount).toBe(160_000);
  });

  it('keeps an edge a concurrent peer added again while another removed it (OR-set)', () => {
    const events = [
      add('t1', '0001', 'a', 'b'),
      add('t2', '0002', 'a', 'b'),
      remove('r', '0003', 'a>b', ['t1']),
    ];
    expect(foldEdges(events).graph.edge('a>b')).toBeDefined();

    const removeAll = [...events.slice(0, 2), remove('r', '0003', 'a>b')];
    expect(foldEdges(removeAll).graph.edge('a>b')).toBeUndefined();
  });

  it('restores a removed edge when it is added again', () => {
    const again = add('t3', '0003', 'a', 'b');
    const events = [
      add('t1', '0001', 'a', 'b'),
      remove('r', '0002', 'a>b'),
      { ...again, edge: { ...again.edge, note: 'back' } },
    ];
    expect(foldEdges(events).graph.edge('a>b')?.note).toBe('back');
  });

  it('drops an add that reuses an edge id for other ends', () => {
    const events = [add('t1', '0001', 'a', 'b', 'e'), add('t2', '0002', 'a', 'c', 'e')];
    const { graph, dropped } = foldEdges(events);
    expect(dropped.map((d) => [d.eventId, d.reason])).toEqual([['t2', 'conflict']]);
    expect(graph.edge('e')?.to).toBe('b');
  });

  it('labels the dropped cycle with node labels when known', () => {
    const nodes = ['a', 'b', 'c', 'd'].map((id) => ({
      id,
      kind: 'version' as const,
      label: `v-${id}`,
    }));
    const { dropped } = foldEdges([...shared, peerA, peerB], nodes);
    expect(dropped[0].message).toMatch(/v-d -> v-a -> v-b -> v-c -> v-d/);
  });

  it('agrees with itself on random concurrent histories delivered in random batches', () => {
    const random = seededRandom(77);
    const events: LineageEdgeEvent[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) {
      const hlc = String(Math.floor(random() * 120)).padStart(4, '0');
      const roll = random();
      if (roll < 0.75 || ids.length === 0) {
        const from = `n${Math.floor(random() * 25)}`;
        const to = `n${Math.floor(random() * 25)}`;
        const edge: LineageEdge = { id: `${from}>${to}`, from, to, relation: 'derived-from' };
        events.push({ id: `ev${i}`, hlc, op: 'add', edge });
        ids.push(edge.id);
      } else {
        events.push(remove(`ev${i}`, hlc, ids[Math.floor(random() * ids.length)]));
      }
    }
    const expected = foldedOutcome(events);
    expect(expected.dropped.length).toBeGreaterThan(10);

    for (let trial = 0; trial < 15; trial++) {
      const fold = new LineageEdgeFold();
      const order = shuffled(events, random);
      while (order.length > 0) fold.apply(order.splice(0, 1 + Math.floor(random() * 40)));
      expect(outcome(fold.graph, fold.dropped)).toEqual(expected);
    }
  });
});
