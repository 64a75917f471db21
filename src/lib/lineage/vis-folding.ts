/**
 * Deciding what a lineage view draws when the subgraph is larger than its budget.
 *
 * Nodes are drawn nearest the centre first (the subgraph lists them in that order). Every
 * node left out folds into a cluster: the family its facts name when they name one (e.g.
 * its model) and that family has more than one node left out, otherwise the nearest drawn
 * node it hangs from, on its side of the centre:
 * `below:<id>` for descendants, `above:<id>` for ancestors. The number of nearest nodes is
 * the largest that keeps drawn nodes plus clusters within the budget.
 */
import type { LineageSubgraph } from './types';

export interface FoldPlan {
  /** Node ids drawn as themselves. */
  drawn: Set<string>;
  /** For every other node: the key of the cluster it folds into. */
  clusterOf: Map<string, string>;
}

/** Where a frontier cluster key hangs: `{ side: 'below', anchor: 'v3' }`; null for families. */
export function clusterAnchor(key: string): { side: 'above' | 'below'; anchor: string } | null {
  const match = /^(above|below):(.*)$/s.exec(key);
  return match ? { side: match[1] as 'above' | 'below', anchor: match[2] } : null;
}

/** The vis-network id a cluster is drawn under: `cluster:<key>`. */
export function clusterNodeId(key: string): string {
  return `cluster:${key}`;
}

/** The cluster key behind a drawn node id, or null for a node drawn as itself. */
export function clusterKey(nodeId: string): string | null {
  return nodeId.startsWith('cluster:') ? nodeId.slice('cluster:'.length) : null;
}

function adjacencyOf(subgraph: LineageSubgraph) {
  const children = new Map<string, string[]>();
  const parents = new Map<string, string[]>();
  const link = (map: Map<string, string[]>, a: string, b: string) => {
    const list = map.get(a);
    if (list) list.push(b);
    else map.set(a, [b]);
  };
  for (const { from, to } of subgraph.edges) {
    link(children, from, to);
    link(parents, to, from);
  }
  return { children, parents };
}

/**
 * Plans which nodes to draw under `maxNodes` (drawn nodes plus clusters), drawing in full
 * any node whose cluster key is in `expanded`.
 */
export function planFolding(
  subgraph: LineageSubgraph,
  maxNodes: number,
  familyOf: (id: string) => string | undefined = () => undefined,
  expanded: ReadonlySet<string> = new Set(),
): FoldPlan {
  const ids = subgraph.nodes.map((node) => node.id);
  if (ids.length <= maxNodes) return { drawn: new Set(ids), clusterOf: new Map() };
  const { children, parents } = adjacencyOf(subgraph);

  const clustersFor = (drawn: Set<string>): Map<string, string> => {
    const clusterOf = new Map<string, string>();
    const frontierOf = new Map<string, string>();
    for (const [side, next] of [
      ['below', children],
      ['above', parents],
    ] as const) {
      const owner = new Map([[subgraph.center, subgraph.center]]);
      const queue = [subgraph.center];
      for (let head = 0; head < queue.length; head++) {
        const node = queue[head];
        for (const other of next.get(node) ?? []) {
          if (owner.has(other)) continue;
          const hidden = !drawn.has(other);
          owner.set(other, hidden ? (owner.get(node) as string) : other);
          if (hidden) {
            const frontier = `${side}:${owner.get(other)}`;
            frontierOf.set(other, frontier);
            clusterOf.set(other, familyOf(other) ?? frontier);
          }
          queue.push(other);
        }
      }
    }
    // A family of one saves nothing as a cluster (a registry of many single-version models
    // would fold into as many clusters as nodes), so it joins its frontier cluster instead.
    const size = new Map<string, number>();
    for (const key of clusterOf.values()) size.set(key, (size.get(key) ?? 0) + 1);
    for (const [id, key] of clusterOf) {
      if (size.get(key) === 1) clusterOf.set(id, frontierOf.get(id) as string);
    }
    return clusterOf;
  };
  const cost = (k: number) => {
    const clusterOf = clustersFor(new Set(ids.slice(0, k)));
    return k + new Set(clusterOf.values()).size;
  };

  // The cost grows with k in practice but not strictly; search, then step back if needed.
  let low = 1;
  let high = Math.min(ids.length, maxNodes);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (cost(middle) <= maxNodes) low = middle;
    else high = middle - 1;
  }
  while (low > 1 && cost(low) > maxNodes) low--;

  const drawn = new Set(ids.slice(0, low));
  for (const [id, key] of clustersFor(drawn)) if (expanded.has(key)) drawn.add(id);
  return { drawn, clusterOf: clustersFor(drawn) };
}
