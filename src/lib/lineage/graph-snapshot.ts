/**
 * The lineage index as a few columns (typed arrays and two joined strings) that IndexedDB
 * stores and reads back as a handful of values. Reading 200k edge rows back as 200k objects
 * costs seconds in Chromium (each object is deserialised on its own); a snapshot of the same
 * graph comes back in one piece. The registry keeps one as a cache beside the edge rows.
 *
 * @example
 *   const snapshot = snapshotGraph(index);
 *   const again = graphFromSnapshot(snapshot); // same nodes, edges, notes and weights
 */
import { LineageGraphIndex } from './graph-index';
import {
  LINEAGE_ENTITY_KINDS,
  LINEAGE_RELATIONS,
  type LineageEdge,
  type LineageNode,
} from './types';

/** Bumped when the layout changes, so an old snapshot is ignored rather than misread. */
export const GRAPH_SNAPSHOT_FORMAT = 1;

export interface LineageGraphSnapshot {
  format: typeof GRAPH_SNAPSHOT_FORMAT;
  /** Node ids joined by `\n` (ids hold no control characters), in index order. */
  nodeIds: string;
  /** Index of each node's kind in `LINEAGE_ENTITY_KINDS`. */
  nodeKinds: Uint8Array;
  /** Edge ids joined by `\n`, one per live edge. */
  edgeIds: string;
  /** Per edge: parent and child node index, relation index in `LINEAGE_RELATIONS`. */
  from: Int32Array;
  to: Int32Array;
  relation: Uint8Array;
  /** Only the edges that have them: `[edge index, value]`. */
  notes: [number, string][];
  weights: [number, number][];
}

const kindIndex = new Map(LINEAGE_ENTITY_KINDS.map((kind, index) => [kind, index]));
const relationIndex = new Map(LINEAGE_RELATIONS.map((relation, index) => [relation, index]));

/** The live graph of `index` as columns. */
export function snapshotGraph(index: LineageGraphIndex): LineageGraphSnapshot {
  const nodes = index.nodes();
  const position = new Map(nodes.map((node, i) => [node.id, i]));
  const edges = index.edges();
  const snapshot: LineageGraphSnapshot = {
    format: GRAPH_SNAPSHOT_FORMAT,
    nodeIds: nodes.map((node) => node.id).join('\n'),
    nodeKinds: Uint8Array.from(nodes, (node) => kindIndex.get(node.kind) ?? 0),
    edgeIds: edges.map((edge) => edge.id).join('\n'),
    from: new Int32Array(edges.length),
    to: new Int32Array(edges.length),
    relation: new Uint8Array(edges.length),
    notes: [],
    weights: [],
  };
  edges.forEach((edge, i) => {
    snapshot.from[i] = position.get(edge.from)!;
    snapshot.to[i] = position.get(edge.to)!;
    snapshot.relation[i] = relationIndex.get(edge.relation)!;
    if (edge.note !== undefined) snapshot.notes.push([i, edge.note]);
    if (edge.weight !== undefined) snapshot.weights.push([i, edge.weight]);
  });
  return snapshot;
}

/** True when `value` looks like a snapshot this code can read. */
export function isGraphSnapshot(value: unknown): value is LineageGraphSnapshot {
  const snapshot = value as Partial<LineageGraphSnapshot> | null;
  return (
    !!snapshot &&
    snapshot.format === GRAPH_SNAPSHOT_FORMAT &&
    typeof snapshot.nodeIds === 'string' &&
    typeof snapshot.edgeIds === 'string' &&
    snapshot.from instanceof Int32Array &&
    snapshot.to instanceof Int32Array &&
    snapshot.relation instanceof Uint8Array &&
    snapshot.nodeKinds instanceof Uint8Array &&
    snapshot.from.length === snapshot.to.length &&
    snapshot.from.length === snapshot.relation.length &&
    Array.isArray(snapshot.notes) &&
    Array.isArray(snapshot.weights)
  );
}

/** Rebuilds the index a snapshot was taken of (throws `LineageCycleError` on a cycle). */
export function graphFromSnapshot(snapshot: LineageGraphSnapshot): LineageGraphIndex {
  const ids = snapshot.nodeIds === '' ? [] : snapshot.nodeIds.split('\n');
  const nodes: LineageNode[] = ids.map((id, i) => ({
    id,
    kind: LINEAGE_ENTITY_KINDS[snapshot.nodeKinds[i]] ?? 'version',
  }));
  const edgeIds = snapshot.edgeIds === '' ? [] : snapshot.edgeIds.split('\n');
  const edges: LineageEdge[] = edgeIds.map((id, i) => ({
    id,
    from: ids[snapshot.from[i]],
    to: ids[snapshot.to[i]],
    relation: LINEAGE_RELATIONS[snapshot.relation[i]],
  }));
  for (const [i, note] of snapshot.notes) edges[i].note = note;
  for (const [i, weight] of snapshot.weights) edges[i].weight = weight;
  return LineageGraphIndex.build(nodes, edges);
}
