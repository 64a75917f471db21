/**
 * The public shape of the registry: what pages read and what commands take.
 * Implementation lives in `registry.ts` (commands and queries) and `$lib/store` (event log).
 */

/** A value a parameter can hold. Parameters are recorded as strings, as in MLflow. */
export type ParamValue = string;

export type { ModelFileSummary } from './formats/summary';
import type { ModelFileSummary } from './formats/summary';

/** One measured value of a metric. Several points per key make a curve. */
export interface MetricPoint {
  value: number;
  /** Training step (0 when unknown). */
  step: number;
  /** Milliseconds since the epoch when the value was measured. */
  timestamp: number;
}

/** A dataset a version was trained or evaluated on. */
export interface DatasetRef {
  name: string;
  version?: string;
  sha256?: string;
  uri?: string;
  /** How the version used it, e.g. `train`, `eval`. */
  role?: string;
}

/** The code a version was built from. */
export interface CodeRef {
  repository?: string;
  commit?: string;
  path?: string;
}

/** A file recorded on a version. The bytes are not part of the log. */
export interface FileRef {
  name: string;
  size: number;
  sha256: string;
  /** What the format reader found in the file's headers, when it was inspected. */
  summary?: ModelFileSummary;
}

export type EntityKind = 'model' | 'version';

/** The lineage nodes that are not model versions. */
export type LineageRecordKind = 'dataset' | 'run' | 'code';

/** What every dataset, run and code record may carry besides its own fields. */
export interface LineageRecordMarks {
  /** Labels, as on models and versions, e.g. `team=speech`; replaced as a whole. */
  tags?: Record<string, string>;
  /** Set by archiving: the record leaves default lists; its history and links stay. */
  archived?: boolean;
}

/** What a dataset record holds besides its name. */
export interface DatasetFields extends LineageRecordMarks {
  version?: string;
  sha256?: string;
  /** Where the data lives, e.g. `s3://bucket/squad-v2/` or `hf://datasets/squad`. */
  uri?: string;
}

/** What a training or evaluation run record holds besides its name. */
export interface RunFields extends LineageRecordMarks {
  params?: Record<string, string>;
  /** The latest value of each metric. */
  metrics?: Record<string, number>;
  /** Each metric's curve in step order, bounded (see `run-metric-history.ts`). */
  metricHistory?: Record<string, MetricPoint[]>;
  codeRef?: CodeRef;
  /** Library versions, hardware, image: anything needed to run it again. */
  environment?: Record<string, string>;
}

/** What a code record holds besides its name. */
export interface CodeFields extends LineageRecordMarks {
  repository?: string;
  commit?: string;
  path?: string;
}

/** The payload of a `lineage.entity.recorded` event. */
export type LineageEntityRecord =
  | { kind: 'dataset'; name: string; fields: DatasetFields }
  | { kind: 'run'; name: string; fields: RunFields }
  | { kind: 'code'; name: string; fields: CodeFields };

/** Points at a model or a version by id. */
export interface EntityRef {
  kind: EntityKind;
  id: string;
}

/** A registered model as projected from the event log. */
export interface Model {
  id: string;
  name: string;
  description: string;
  tags: Record<string, string>;
  archived: boolean;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  /** Number of versions ever registered (archived ones included). */
  versionCount: number;
  /** Number of the newest version, 0 when none. */
  latestVersion: number;
  /** Alias name to version number. */
  aliases: Record<string, number>;
}

/** A model version as projected from the event log. */
export interface ModelVersion {
  id: string;
  modelId: string;
  modelName: string;
  number: number;
  /**
   * The number the author saw when registering it offline. When it differs from `number`,
   * another peer registered the same number first and this one was renumbered.
   */
  requestedNumber: number;
  description: string;
  params: Record<string, ParamValue>;
  /** Latest value of each metric (the point with the highest step, then timestamp). */
  metrics: Record<string, number>;
  tags: Record<string, string>;
  aliases: string[];
  datasets: DatasetRef[];
  code: CodeRef | null;
  files: FileRef[];
  archived: boolean;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
}

export interface CreateModelInput {
  name: string;
  description?: string;
  tags?: Record<string, string>;
}

export interface RegisterVersionInput {
  /** Model name or id. */
  model: string;
  description?: string;
  params?: Record<string, ParamValue | number | boolean>;
  /** A single number per key, or a list of points to draw a curve. */
  metrics?: Record<string, number | MetricPoint[]>;
  datasets?: DatasetRef[];
  code?: CodeRef | null;
  tags?: Record<string, string>;
  files?: FileRef[];
}

export type SortField = 'created' | 'name' | 'version' | `metrics.${string}`;

export interface SearchRequest {
  /** MLflow filter grammar, or a `models:/` URI. Empty means every version. */
  query: string;
  sort?: SortField;
  order?: 'asc' | 'desc';
  /** Zero-based page index. */
  page?: number;
  pageSize?: number;
  includeArchived?: boolean;
}

/** Which search path answered: the in-memory index, or IndexedDB while that is not ready. */
export type SearchPath = 'memory' | 'candidates' | 'walk';

export interface SearchPage {
  versions: ModelVersion[];
  page: number;
  pageSize: number;
  /** True when another page follows. */
  hasMore: boolean;
  /** Total matches when it was cheap to count, otherwise null. */
  total: number | null;
  tookMs: number;
  /**
   * What answered: the in-memory index, or IndexedDB (`candidates`, `walk`) while that index
   * is being built; `uri` for a `models:/` URI.
   */
  via: SearchPath | 'uri';
}

export interface ModelListRequest {
  page?: number;
  pageSize?: number;
  includeArchived?: boolean;
  /** Case-insensitive name prefix. */
  namePrefix?: string;
}

export interface ModelListPage {
  models: Model[];
  page: number;
  pageSize: number;
  hasMore: boolean;
  total: number;
}

/** What a history entry is about: a model, a version, a lineage record or a lineage edge. */
export interface HistoryEntityRef {
  kind: EntityKind | LineageRecordKind | 'lineage-edge';
  id: string;
}

/** One change in the history of a model, version, alias or lineage node. */
export interface HistoryEntry {
  eventId: string;
  type: string;
  entity: HistoryEntityRef;
  /** The model the change belongs to (null for workspace-wide changes such as names). */
  modelId: string | null;
  /** Milliseconds since the epoch, from the event's clock. */
  at: number;
  hlc: string;
  actor: string;
  actorName: string;
  /** A one-line human summary, e.g. "set alias champion → v3". */
  summary: string;
  payload: unknown;
}

/** One position an alias held. */
export interface AliasMove {
  alias: string;
  /** Version number, or null when the alias was removed. */
  version: number | null;
  versionId: string | null;
  at: number;
  actor: string;
  actorName: string;
  eventId: string;
}

/** A model and its versions as they stood at a given time. */
export interface ModelSnapshot {
  at: number;
  model: Model | null;
  versions: ModelVersion[];
}

export interface ImportSummary {
  events: number;
  added: number;
  duplicates: number;
  stateHash: string;
}

export interface StorageReport {
  usage: number | null;
  quota: number | null;
  persisted: boolean;
  events: number;
  models: number;
  versions: number;
}

/** Who this browser is: the signing identity made on first start. */
export interface ActorInfo {
  /** Public key, base64url of the raw P-256 point. */
  id: string;
  displayName: string;
}
