/**
 * A deliberately plain lineage graph for checking the fast index against: Maps of arrays and
 * breadth-first searches with Sets, easy to read and hard to get wrong. Also a seeded random
 * DAG generator.
 */
import {
  LINEAGE_ENTITY_KINDS,
  LINEAGE_RELATIONS,
  type LineageEdge,
  type LineageNode,
  type LineageRelation,
} from '../../src/lib/lineage/types';

/** A small seeded generator (xorshift32), so every random test can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** A random DAG: edges only run from a lower-numbered node to a higher one. */
export function randomDag(
  random: () => number,
  nodeCount: number,
  edgeCount: number,
): { nodes: LineageNode[]; edges: LineageEdge[] } {
  const nodes: LineageNode[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const kind = LINEAGE_ENTITY_KINDS[Math.floor(random() * LINEAGE_ENTITY_KINDS.length)];
    nodes.push({ id: `n${i}`, kind, label: `node ${i}` });
  }
  const edges: LineageEdge[] = [];
  const seen = new Set<string>();
  while (edges.length < edgeCount) {
    const a = Math.floor(random() * nodeCount);
    const b = Math.floor(random() * nodeCount);
    if (a === b || seen.has(`${Math.min(a, b)}>${Math.max(a, b)}`)) continue;
    seen.add(`${Math.min(a, b)}>${Math.max(a, b)}`);
    const relation = LINEAGE_RELATIONS[Math.floor(random() * LINEAGE_RELATIONS.length)];
    edges.push({
      id: `e${edges.length}`,
      from: `n${Math.min(a, b)}`,
      to: `n${Math.max(a, b)}`,
      relation,
    });
  }
  return { nodes, edges };
}

export class ReferenceGraph {
  readonly out = new Map<string, LineageEdge[]>();
  readonly in = new Map<string, LineageEdge[]>();

  constructor(edges: Iterable<LineageEdge> = []) {
    for (const edge of edges) this.add(edge);
  }

  add(edge: LineageEdge): void {
    this.out.set(edge.from, [...(this.out.get(edge.from) ?? []), edge]);
    this.in.set(edge.to, [...(this.in.get(edge.to) ?? []), edge]);
  }

  remove(edgeId: string): void {
    for (const map of [this.out, this.in]) {
      for (const [key, list] of map)
        map.set(
          key,
          list.filter((edge) => edge.id !== edgeId),
        );
    }
  }

  /** Node -> distance for every node reachable from `start` (the start excluded). */
  reach(
    start: string,
    outward: boolean,
    maxDepth = Infinity,
    relations?: readonly LineageRelation[],
  ): Map<string, number> {
    const distance = new Map<string, number>([[start, 0]]);
    const queue = [start];
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head];
      const d = distance.get(node) as number;
      if (d >= maxDepth) continue;
      const edges = (outward ? this.out : this.in).get(node) ?? [];
      for (const edge of edges) {
        if (relations && !relations.includes(edge.relation)) continue;
        const other = outward ? edge.to : edge.from;
        if (distance.has(other)) continue;
        distance.set(other, d + 1);
        queue.push(other);
      }
    }
    distance.delete(start);
    return distance;
  }

  /** The brute-force lowest common ancestors with their distances. */
  lowestCommonAncestors(a: string, b: string): { id: string; da: number; db: number }[] {
    const upA = this.reach(a, false).set(a, 0);
    const upB = this.reach(b, false).set(b, 0);
    const common = [...upA.keys()].filter((id) => upB.has(id));
    return common
      .filter((c) => !common.some((d) => d !== c && this.reach(c, true).has(d)))
      .map((id) => ({ id, da: upA.get(id) as number, db: upB.get(id) as number }));
  }
}

/** Map -> sorted entries, for order-free comparison. */
export function sortedEntries(map: Map<string, number>): [string, number][] {
  return [...map.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
}
