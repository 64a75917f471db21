/**
 * The lineage questions a user asks, built from the index's walks: the path between two
 * nodes, their nearest common ancestors, everything downstream of a dataset, the lineage
 * difference of two versions and the neighbourhood drawn around one.
 */
import type { LineageGraphIndex } from './graph-index';
import { relationMask } from './walk';
import type {
  CommonAncestor,
  DownstreamOptions,
  LineageDiff,
  LineageEdge,
  LineagePath,
  LineageSubgraph,
  WalkOptions,
} from './types';

/**
 * The shortest directed path from `a` to `b` (`b` descends from `a`) or, failing that, from
 * `a` up to `b` (`a` descends from `b`); null when neither descends from the other.
 */
export function findPath(
  index: LineageGraphIndex,
  a: string,
  b: string,
  options?: Pick<WalkOptions, 'relations'>,
): LineagePath | null {
  const start = index.indexOf(a);
  const goal = index.indexOf(b);
  if (start === undefined || goal === undefined) return null;
  if (start === goal) return { direction: 'descendant', nodes: [a], edges: [] };

  // In a topological order a descendant always sits later, so one walk decides.
  const downward = index.order.position[start] < index.order.position[goal];
  const count = index.walkFrom(start, downward, options, goal);
  const { queue, via } = index.scratch;
  if (queue[count - 1] !== goal) return null;

  const nodes = [b];
  const edges: LineageEdge[] = [];
  for (let node = goal; node !== start;) {
    const slot = via[node];
    edges.push(index.edgeAt(slot));
    node = downward ? index.adjacency.edgeFrom[slot] : index.adjacency.edgeTo[slot];
    nodes.push(index.idAt(node));
  }
  return {
    direction: downward ? 'descendant' : 'ancestor',
    nodes: nodes.reverse(),
    edges: edges.reverse(),
  };
}

/**
 * The lowest common ancestors of `a` and `b`: ancestors of both (each node counting as its
 * own ancestor) with no descendant that is also one. Sorted by combined distance, then id.
 */
export function nearestCommonAncestors(
  index: LineageGraphIndex,
  a: string,
  b: string,
  options?: Pick<WalkOptions, 'relations'>,
): CommonAncestor[] {
  const startA = index.indexOf(a);
  const startB = index.indexOf(b);
  if (startA === undefined || startB === undefined) return [];

  const fromA = new Int32Array(index.nodeCount).fill(-1);
  const countA = index.walkFrom(startA, false, options);
  for (let i = 0; i < countA; i++) {
    const node = index.scratch.queue[i];
    fromA[node] = index.scratch.depth[node];
  }

  const common: number[] = [];
  const fromB = new Int32Array(index.nodeCount).fill(-1);
  const countB = index.walkFrom(startB, false, options);
  for (let i = 0; i < countB; i++) {
    const node = index.scratch.queue[i];
    if (fromA[node] < 0) continue;
    fromB[node] = index.scratch.depth[node];
    common.push(node);
  }

  // Common ancestors are closed upwards, so a lowest one is one with no child among them.
  const mask = relationMask(options?.relations);
  const adjacency = index.adjacency;
  const lowest = common.filter((node) => {
    let hasCommonChild = false;
    adjacency.forEachEdge(node, 'out', (slot) => {
      const allowed = mask === 0 || (mask >>> adjacency.edgeRelation[slot]) & 1;
      if (allowed && fromB[adjacency.edgeTo[slot]] >= 0) hasCommonChild = true;
    });
    return !hasCommonChild;
  });

  return lowest
    .map((node) => ({
      id: index.idAt(node),
      distanceFromA: fromA[node],
      distanceFromB: fromB[node],
    }))
    .sort(
      (x, y) =>
        x.distanceFromA + x.distanceFromB - (y.distanceFromA + y.distanceFromB) ||
        (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
    );
}

/**
 * Everything derived from `id`, transitively: the models trained on a dataset, the models
 * fine-tuned from those, and so on. `kinds` narrows what is reported, not what is walked.
 */
export function downstreamOf(
  index: LineageGraphIndex,
  id: string,
  options?: DownstreamOptions,
): string[] {
  const reached = index.descendants(id, options);
  const kinds = options?.kinds;
  if (!kinds) return reached;
  return reached.filter((node) => kinds.includes(index.node(node)?.kind ?? 'version'));
}

/** Which ancestors only `a` has, which only `b` has, and which they share (nearest first). */
export function lineageDiff(
  index: LineageGraphIndex,
  a: string,
  b: string,
  options?: WalkOptions,
): LineageDiff {
  const startA = index.indexOf(a);
  const startB = index.indexOf(b);
  if (startA === undefined || startB === undefined) {
    return { onlyA: index.ancestors(a, options), onlyB: index.ancestors(b, options), shared: [] };
  }

  // Bit 1: an ancestor of a; bit 2: an ancestor of b.
  const marks = new Uint8Array(index.nodeCount);
  const countA = index.walkFrom(startA, false, options);
  const ofA = index.scratch.queue.slice(1, countA);
  for (const node of ofA) marks[node] = 1;
  const countB = index.walkFrom(startB, false, options);
  const ofB = index.scratch.queue.slice(1, countB);
  for (const node of ofB) marks[node] |= 2;

  const onlyA: string[] = [];
  const shared: string[] = [];
  for (const node of ofA) (marks[node] === 3 ? shared : onlyA).push(index.idAt(node));
  const onlyB: string[] = [];
  for (const node of ofB) if (marks[node] === 2) onlyB.push(index.idAt(node));
  return { onlyA, onlyB, shared };
}

/** Options for `neighbourhood`. */
export interface NeighbourhoodOptions extends WalkOptions {
  /** Stop adding nodes past this many (nearest kept first); 500 when absent. */
  maxNodes?: number;
}

/**
 * The centre, its ancestors and its descendants up to `maxDepth` (2 when absent), and the
 * live edges among them: the piece of the graph a lineage view draws.
 */
export function neighbourhood(
  index: LineageGraphIndex,
  center: string,
  options?: NeighbourhoodOptions,
): LineageSubgraph {
  const maxNodes = Math.max(1, options?.maxNodes ?? 500);
  const walkOptions = { relations: options?.relations, maxDepth: options?.maxDepth ?? 2 };
  const up = index.reach(center, 'ancestors', walkOptions);
  const down = index.reach(center, 'descendants', walkOptions);
  const centerNode = index.node(center) ?? { id: center, kind: 'version', label: center };
  const nodes: LineageSubgraph['nodes'] = [{ ...centerNode, depth: 0 }];

  // Both lists are nearest first; merging them keeps the closest nodes when cut short.
  let i = 0;
  let j = 0;
  while (nodes.length < maxNodes && (i < up.length || j < down.length)) {
    const takeUp = j >= down.length || (i < up.length && up[i].depth <= down[j].depth);
    const next = takeUp ? up[i++] : down[j++];
    const node = index.node(next.id) as Required<typeof centerNode>;
    nodes.push({ ...node, depth: takeUp ? -next.depth : next.depth });
  }

  const included = new Set(nodes.map((node) => node.id));
  const edges: LineageEdge[] = [];
  for (const node of nodes) {
    for (const edge of index.outgoing(node.id, options?.relations)) {
      if (included.has(edge.to)) edges.push(edge);
    }
  }
  const truncated = i < up.length || j < down.length;
  return { center, nodes, edges, truncated };
}
