/**
 * How the lineage comparison reads: a path as steps ("bert v2 fine-tuned from bert v1"),
 * walked lists grouped by how far away they lie, and the verdict on two versions in words.
 * Pure, so the panels stay views and these rules can be tested without a page.
 */
import { RELATION_LABELS, type LineageEdge } from '$lib/lineage';
import type {
  LineageCommonAncestor,
  LineageNodeInfo,
  LineagePathInfo,
} from '$lib/registry/lineage-types';

/** One edge of a path, read from the child's side whichever way the path was walked. */
export interface LineagePathStep {
  edge: LineageEdge;
  child: LineageNodeInfo;
  parent: LineageNodeInfo;
  /** `fine-tuned from`, with a merge's weight where known. */
  relation: string;
}

function unknownNode(id: string): LineageNodeInfo {
  return {
    id,
    kind: 'version',
    label: id,
    modelId: null,
    aliases: [],
    archived: false,
    known: false,
  };
}

/**
 * The steps of a path from its first node to its last. The ends of each step come from the
 * edge itself rather than from positions, so an `ancestor` path (walked against the edges)
 * still reads child first.
 */
export function pathSteps(path: LineagePathInfo): LineagePathStep[] {
  const nodes = new Map(path.nodes.map((node) => [node.id, node]));
  return path.edges.map((edge) => {
    const weight = edge.weight === undefined ? '' : ` (weight ${edge.weight})`;
    return {
      edge,
      child: nodes.get(edge.to) ?? unknownNode(edge.to),
      parent: nodes.get(edge.from) ?? unknownNode(edge.from),
      relation: `${RELATION_LABELS[edge.relation]}${weight}`,
    };
  });
}

/** `1 link` or `3 links`. */
export function linksText(count: number): string {
  return count === 1 ? '1 link' : `${count} links`;
}

/**
 * Where a common ancestor stands from each side: `1 link above bert v3, it is bert v1` when
 * one side is itself the ancestor (the other came from it).
 */
export function commonAncestorDetail(
  ancestor: LineageCommonAncestor,
  labelA: string,
  labelB: string,
): string {
  const from = (distance: number, label: string) =>
    distance === 0 ? `it is ${label}` : `${linksText(distance)} above ${label}`;
  return `${from(ancestor.distanceFromA, labelA)}, ${from(ancestor.distanceFromB, labelB)}`;
}

/** A walk's nodes grouped by depth, nearest first; nodes without a depth count as 1. */
export function groupByDepth(
  nodes: LineageNodeInfo[],
): { depth: number; nodes: LineageNodeInfo[] }[] {
  const groups = new Map<number, LineageNodeInfo[]>();
  for (const node of nodes) {
    const depth = node.depth ?? 1;
    const group = groups.get(depth);
    if (group) group.push(node);
    else groups.set(depth, [node]);
  }
  return [...groups.entries()]
    .sort(([x], [y]) => x - y)
    .map(([depth, members]) => ({ depth, nodes: members }));
}

/** The sentence above a comparison: how A and B are related, or that they are not. */
export function relationVerdict(
  a: string,
  b: string,
  path: LineagePathInfo | null,
  common: LineageCommonAncestor[],
): string {
  if (path) {
    const length = linksText(path.edges.length);
    return path.direction === 'descendant'
      ? `${b} came from ${a}, ${length} down.`
      : `${a} came from ${b}, ${length} down.`;
  }
  if (common.length === 0) {
    return `${a} and ${b} are unrelated: no path joins them and they share no ancestor.`;
  }
  const names = common.map((ancestor) => ancestor.node.label).join(', ');
  return `Neither came from the other; they meet at ${names}.`;
}
