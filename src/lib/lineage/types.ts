/**
 * The public shape of lineage: what the graph holds and what its queries return.
 *
 * Direction: every edge points from parent to child, from the source to what was derived
 * from it. `from` is the base model, the dataset, the run or the code; `to` is the version
 * (or run) that came out of it. A relation reads from the child's side:
 * `{ from: 'bert-base', to: 'bert-ner', relation: 'fine-tuned-from' }` says
 * "bert-ner was fine-tuned from bert-base", and `{ from: 'squad', to: 'bert-ner',
 * relation: 'trained-on' }` says "bert-ner was trained on squad". Ancestors are found by
 * walking edges backwards, descendants by walking them forwards.
 */

/** What a lineage node stands for. */
export type LineageEntityKind = 'version' | 'dataset' | 'run' | 'code';

export const LINEAGE_ENTITY_KINDS: readonly LineageEntityKind[] = [
  'version',
  'dataset',
  'run',
  'code',
];

/** The typed relations an edge can carry; the order is stable and used as a bit index. */
export const LINEAGE_RELATIONS = [
  'fine-tuned-from',
  'quantized-from',
  'adapter-of',
  'merged-from',
  'distilled-from',
  'trained-on',
  'evaluated-on',
  'produced-by',
  'derived-from',
] as const;

export type LineageRelation = (typeof LINEAGE_RELATIONS)[number];

/** How each relation reads in a sentence about the child. */
export const RELATION_LABELS: Record<LineageRelation, string> = {
  'fine-tuned-from': 'fine-tuned from',
  'quantized-from': 'quantized from',
  'adapter-of': 'adapter of',
  'merged-from': 'merged from',
  'distilled-from': 'distilled from',
  'trained-on': 'trained on',
  'evaluated-on': 'evaluated on',
  'produced-by': 'produced by',
  'derived-from': 'derived from',
};

/** True when `value` names one of the lineage relations. */
export function isLineageRelation(value: unknown): value is LineageRelation {
  return typeof value === 'string' && (LINEAGE_RELATIONS as readonly string[]).includes(value);
}

/** One typed edge of the lineage graph, pointing parent -> child. */
export interface LineageEdge {
  /** Stable id; the OR-set element the add and remove events name. */
  id: string;
  /** The parent: the source the child came from. */
  from: string;
  /** The child: what was derived. */
  to: string;
  relation: LineageRelation;
  note?: string;
  /** Share of this parent in a merge, where known (`merged-from` only). */
  weight?: number;
}

/** A node as the lineage index knows it. */
export interface LineageNode {
  id: string;
  kind: LineageEntityKind;
  /** What people read in messages and drawings, e.g. `bert-ner v3`. Defaults to the id. */
  label?: string;
}

/** Options shared by the walking queries. */
export interface WalkOptions {
  /** Stop this many edges away from the start (1 = parents or children only). */
  maxDepth?: number;
  /** Follow only edges of these relations; all when absent. */
  relations?: readonly LineageRelation[];
}

/** Options for `downstreamOf`. */
export interface DownstreamOptions extends WalkOptions {
  /** Report only nodes of these kinds (the walk still passes through every kind). */
  kinds?: readonly LineageEntityKind[];
}

/** The shortest directed path between two nodes. */
export interface LineagePath {
  /** `descendant`: `b` came from `a`; `ancestor`: `a` came from `b`. */
  direction: 'descendant' | 'ancestor';
  /** Node ids from `a` to `b`, both included. */
  nodes: string[];
  /** The edges along the way, in the same order (walked backwards for `ancestor`). */
  edges: LineageEdge[];
}

/** A lowest common ancestor and how far it lies from each side. */
export interface CommonAncestor {
  id: string;
  distanceFromA: number;
  distanceFromB: number;
}

/** The lineage difference between two nodes, by their ancestors. */
export interface LineageDiff {
  onlyA: string[];
  onlyB: string[];
  shared: string[];
}

/** A node reached by a walk and how many edges away it lies. */
export interface ReachedNode {
  id: string;
  depth: number;
}

/** A piece of the graph around a centre, for drawing and tables. */
export interface LineageSubgraph {
  center: string;
  /** `depth` is signed: negative above the centre (ancestors), positive below it. */
  nodes: (Required<LineageNode> & { depth: number })[];
  edges: LineageEdge[];
  /** True when `maxNodes` cut the walk short. */
  truncated: boolean;
}
