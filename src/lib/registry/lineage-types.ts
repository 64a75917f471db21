/**
 * The public shape of lineage in the registry: what the lineage commands take and what its
 * queries return. Edges point parent -> child (see `$lib/lineage/types`): `from` is what the
 * child came from, `to` is the child.
 */
import type {
  LineageEdge,
  LineageEntityKind,
  LineageRelation,
  LineageSubgraph,
} from '../lineage/types';
import type { LineageNodeFacets, LineageTagFilter } from '../lineage/subgraph-filter';
import type { LineageNodeFacts } from '../lineage/vis-adapter';
import type { StemmaError } from './errors';
import type {
  CodeFields,
  CodeRef,
  DatasetFields,
  LineageRecordKind,
  MetricPoint,
  ParamValue,
  RunFields,
} from './types';

interface LineageEntityBase {
  id: string;
  name: string;
  /** What people read, e.g. `squad 2.0`. */
  label: string;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  /** The record's tags (also in `fields.tags`); empty when it has none. */
  tags: Record<string, string>;
  /** Archived records leave default lists and can be restored. */
  archived: boolean;
}

/** A dataset, run or code record as projected from the event log. */
export type LineageEntity =
  | (LineageEntityBase & { kind: 'dataset'; fields: DatasetFields })
  | (LineageEntityBase & { kind: 'run'; fields: RunFields })
  | (LineageEntityBase & { kind: 'code'; fields: CodeFields });

/**
 * Records a dataset. With the `id` of an existing dataset it updates the fields given (the
 * others stay); with a new `id` (say, from an import) it records the dataset under that id;
 * without one it makes a random id. Runs and code work the same way.
 */
export interface RecordDatasetInput extends Omit<DatasetFields, 'archived'> {
  id?: string;
  /** Required for a new dataset; kept when an update leaves it out. */
  name?: string;
}

export interface RecordRunInput {
  id?: string;
  name?: string;
  params?: Record<string, ParamValue | number | boolean>;
  /** Latest values; taken from the last point of each history when left out. */
  metrics?: Record<string, number>;
  /**
   * Whole curves, in step order: at most `RUN_POINTS_PER_METRIC` points per metric and
   * `RUN_POINTS_PER_RUN` per run (`thinHistories` brings a longer one within the bound).
   */
  metricHistory?: Record<string, MetricPoint[]>;
  codeRef?: CodeRef;
  environment?: Record<string, string>;
  tags?: Record<string, string>;
}

export interface RecordCodeInput extends Omit<CodeFields, 'archived'> {
  id?: string;
  /** Defaults to `<repository name>@<short commit>`. */
  name?: string;
}

export interface AddLineageEdgeInput {
  /** The parent: a version id or a lineage record id. */
  from: string;
  /** The child: a version id or a lineage record id. */
  to: string;
  relation: LineageRelation;
  note?: string;
  /** Share of this parent in a merge, where known (`merged-from` only). */
  weight?: number;
}

/** A lineage node with what a list or a drawing shows of it. */
export interface LineageNodeInfo {
  id: string;
  kind: LineageEntityKind;
  /** `bert v3` for a version, the record's label otherwise. */
  label: string;
  /** The model of a version; null for other kinds. */
  modelId: string | null;
  /** Alias names of a version, without `@`. */
  aliases: string[];
  archived: boolean;
  /** False for an id an edge names but whose version or record has not arrived yet. */
  known: boolean;
  /** Edges away from the node a query started at, where the query walks. */
  depth?: number;
}

/** A lineage edge with its state and the labels of its ends. */
export interface LineageEdgeInfo extends LineageEdge {
  state: 'active' | 'removed' | 'dropped';
  fromLabel: string;
  toLabel: string;
  addedAt: number;
  addedBy: string;
  updatedAt: number;
}

/** An add the fold left out, and why, in words a user can act on. */
export interface DroppedLineageEdge {
  edge: LineageEdgeInfo;
  /** The add event that was left out. */
  eventId: string;
  reason: 'cycle' | 'conflict';
  /** For `cycle`: the loop as labels, first and last equal: `bert v3 -> bert v5 -> bert v3`. */
  cycle: string[];
  cycleIds: string[];
  message: string;
}

/** Options of the walking queries. */
export interface LineageQueryOptions {
  /** Stop this many edges away (1 = parents or children only); unlimited when absent. */
  maxDepth?: number;
  /** Follow only these relations. */
  relations?: readonly LineageRelation[];
  /** Report only nodes of these kinds (the walk still passes through every kind). */
  kinds?: readonly LineageEntityKind[];
}

export interface LineagePathInfo {
  /** `descendant`: `b` came from `a`; `ancestor`: `a` came from `b`. */
  direction: 'descendant' | 'ancestor';
  nodes: LineageNodeInfo[];
  edges: LineageEdge[];
}

export interface LineageCommonAncestor {
  node: LineageNodeInfo;
  distanceFromA: number;
  distanceFromB: number;
}

export interface LineageDiffInfo {
  onlyA: LineageNodeInfo[];
  onlyB: LineageNodeInfo[];
  shared: LineageNodeInfo[];
}

export interface LineageNeighbourhoodOptions {
  /** Edges away from the centre, up and down; 2 when absent. */
  depth?: number;
  relations?: readonly LineageRelation[];
  /** Keep only nodes of these kinds (the centre always stays). */
  kinds?: readonly LineageEntityKind[];
  /** Most nodes, nearest first; 500 when absent. */
  maxNodes?: number;
  /** Keep only versions of these models (ids); other kinds stay. The centre always stays. */
  models?: readonly string[];
  /** Keep only versions holding one of these aliases (without `@`); other kinds stay. */
  aliases?: readonly string[];
  /** Keep only versions and records carrying every one of these tags. */
  tags?: readonly LineageTagFilter[];
}

/** What the unfiltered neighbourhood holds, for offering the model, alias and tag filters. */
export type LineageFacets = LineageNodeFacets;

export type { LineageTagFilter };

/**
 * The graph around a node, labelled, with what `toVisData` needs: pass
 * `{ facts: (id) => result.facts[id] }` as its options.
 */
export interface LineageNeighbourhood extends LineageSubgraph {
  facts: Record<string, LineageNodeFacts>;
  /** The models, aliases and tags around the centre before the filters took any away. */
  facets: LineageFacets;
}

/** What `addLineageEdges` did with each input, by its index in the list given. */
export interface LineageEdgeBatchResult {
  /** The links added, in input order. */
  added: LineageEdge[];
  /** Inputs already in the lineage (same parent, child and relation): nothing was added. */
  existing: number[];
  /** Inputs refused, each with the error `addLineageEdge` would have thrown. */
  refused: { index: number; input: AddLineageEdgeInput; error: StemmaError }[];
}

export type { LineageRecordKind };
