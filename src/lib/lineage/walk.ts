/**
 * Breadth-first walks over the adjacency, written for speed: no Sets, no closures, no
 * allocation per call. A node counts as visited when its stamp equals the current epoch, so
 * starting a new walk is one increment instead of clearing an array.
 */
import type { Adjacency } from './adjacency';
import { LINEAGE_RELATIONS, type LineageRelation } from './types';

const relationIndex = new Map(LINEAGE_RELATIONS.map((relation, i) => [relation, i]));

/** Reusable working memory for walks; one per index. */
export class WalkScratch {
  stamp = new Uint32Array(0);
  epoch = 0;
  /** Nodes in the order they were reached; the walk's result is a prefix of it. */
  queue = new Int32Array(0);
  /** Edges from the start, valid for nodes stamped with the current epoch. */
  depth = new Int32Array(0);
  /** The edge slot a node was reached through (-1 for the start). */
  via = new Int32Array(0);

  /** Begins a walk over `nodeCount` nodes and returns its epoch. */
  begin(nodeCount: number): number {
    if (this.stamp.length < nodeCount) this.grow(nodeCount);
    if (this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }

  private grow(nodeCount: number): void {
    const size = Math.max(nodeCount, this.stamp.length * 2, 64);
    const stamp = new Uint32Array(size);
    stamp.set(this.stamp);
    this.stamp = stamp;
    this.queue = new Int32Array(size);
    this.depth = new Int32Array(size);
    this.via = new Int32Array(size);
  }
}

/** Bit mask of relation indices; 0 means every relation. */
export type RelationMask = number;

/** The bit mask for a relation filter; 0 (every relation) when absent. */
export function relationMask(relations?: readonly LineageRelation[]): RelationMask {
  if (!relations) return 0;
  let mask = 0;
  for (const relation of relations) mask |= 1 << (relationIndex.get(relation) as number);
  // An empty filter matches nothing: a bit no relation uses keeps the mask non-zero.
  return mask === 0 ? 1 << 30 : mask;
}

/**
 * Walks from `start` along edges (`outward`: parent to child) and returns how many nodes
 * `scratch.queue` now holds; the start is `queue[0]`. Stops early once `target` is reached.
 */
export function walk(
  adjacency: Adjacency,
  scratch: WalkScratch,
  start: number,
  outward: boolean,
  mask: RelationMask,
  maxDepth: number,
  target = -1,
): number {
  const epoch = scratch.begin(adjacency.nodeCount);
  const { stamp, queue, depth, via } = scratch;
  const offsets = outward ? adjacency.outStart : adjacency.inStart;
  const neighbours = outward ? adjacency.outNodes : adjacency.inNodes;
  const slots = outward ? adjacency.outSlots : adjacency.inSlots;
  const pending = outward ? adjacency.outExtra : adjacency.inExtra;
  const ends = outward ? adjacency.edgeTo : adjacency.edgeFrom;
  const alive = adjacency.edgeAlive;
  const relation = adjacency.edgeRelation;
  const csrNodes = adjacency.csrNodes;
  const hasExtra = adjacency.extraCount > 0;
  stamp[start] = epoch;
  depth[start] = 0;
  via[start] = -1;
  queue[0] = start;
  let head = 0;
  let tail = 1;

  while (head < tail) {
    const node = queue[head++];
    const next = depth[node] + 1;
    if (next > maxDepth) continue;

    // The CSR part: neighbours read in sequence; removed entries hold -1.
    const end = node < csrNodes ? offsets[node + 1] : 0;
    for (let k = node < csrNodes ? offsets[node] : 0; k < end; k++) {
      const other = neighbours[k];
      if (other < 0 || stamp[other] === epoch) continue;
      if (mask !== 0 && ((mask >>> relation[slots[k]]) & 1) === 0) continue;
      stamp[other] = epoch;
      depth[other] = next;
      via[other] = slots[k];
      queue[tail++] = other;
      if (other === target) return tail;
    }

    const extra = hasExtra ? pending[node] : undefined;
    if (extra === undefined) continue;
    for (let k = 0; k < extra.length; k++) {
      const slot = extra[k];
      if (alive[slot] === 0 || (mask !== 0 && ((mask >>> relation[slot]) & 1) === 0)) continue;
      const other = ends[slot];
      if (stamp[other] === epoch) continue;
      stamp[other] = epoch;
      depth[other] = next;
      via[other] = slot;
      queue[tail++] = other;
      if (other === target) return tail;
    }
  }
  return tail;
}

/**
 * Everything reachable from `start`, along every relation at any depth, in breadth-first
 * order: the plain ancestors and descendants queries. Records neither depth nor the edge
 * each node was reached by, which makes it about a quarter faster than `walk`.
 */
export function collect(
  adjacency: Adjacency,
  scratch: WalkScratch,
  start: number,
  outward: boolean,
): number {
  const epoch = scratch.begin(adjacency.nodeCount);
  const { stamp, queue } = scratch;
  const offsets = outward ? adjacency.outStart : adjacency.inStart;
  const neighbours = outward ? adjacency.outNodes : adjacency.inNodes;
  const pending = outward ? adjacency.outExtra : adjacency.inExtra;
  const ends = outward ? adjacency.edgeTo : adjacency.edgeFrom;
  const alive = adjacency.edgeAlive;
  const csrNodes = adjacency.csrNodes;
  const hasExtra = adjacency.extraCount > 0;
  stamp[start] = epoch;
  queue[0] = start;
  let head = 0;
  let tail = 1;

  while (head < tail) {
    const node = queue[head++];
    const end = node < csrNodes ? offsets[node + 1] : 0;
    for (let k = node < csrNodes ? offsets[node] : 0; k < end; k++) {
      const other = neighbours[k];
      if (other < 0 || stamp[other] === epoch) continue;
      stamp[other] = epoch;
      queue[tail++] = other;
    }

    const extra = hasExtra ? pending[node] : undefined;
    if (extra === undefined) continue;
    for (let k = 0; k < extra.length; k++) {
      const other = ends[extra[k]];
      if (alive[extra[k]] === 0 || stamp[other] === epoch) continue;
      stamp[other] = epoch;
      queue[tail++] = other;
    }
  }
  return tail;
}
