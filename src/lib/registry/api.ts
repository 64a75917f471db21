/**
 * The registry's typed API: the one door pages and components go through.
 * `openRegistry()` (in `./index`) returns an implementation backed by the event log.
 */
import type { ClientInspectOptions, FileInspection } from './formats';
import type { InsightsRegistry } from './insights-types';
import type { TeamRegistry } from './team-types';
import type {
  AddLineageEdgeInput,
  DroppedLineageEdge,
  LineageEdgeBatchResult,
  LineageCommonAncestor,
  LineageDiffInfo,
  LineageEdgeInfo,
  LineageEntity,
  LineageNeighbourhood,
  LineageNeighbourhoodOptions,
  LineageNodeInfo,
  LineagePathInfo,
  LineageQueryOptions,
  RecordCodeInput,
  RecordDatasetInput,
  RecordRunInput,
} from './lineage-types';
import type {
  ActorInfo,
  AliasMove,
  CreateModelInput,
  EntityRef,
  FileRef,
  HistoryEntry,
  ImportSummary,
  LineageRecordKind,
  MetricPoint,
  Model,
  ModelListPage,
  ModelListRequest,
  ModelSnapshot,
  ModelVersion,
  RegisterVersionInput,
  SearchPage,
  SearchRequest,
  StorageReport,
} from './types';

/** A version reference a user types: a number, or a version id. */
export type VersionSelector = number | string;

/**
 * Lineage: where versions came from. Nodes are model versions (by id) and recorded datasets,
 * runs and code; edges point parent -> child and are events like any other change.
 */
export interface LineageRegistry {
  /** Records a dataset (name, version, SHA-256, URI); with an existing `id`, updates it. */
  recordDataset(input: RecordDatasetInput): Promise<LineageEntity>;
  /** Records a run (parameters, metrics, code reference, environment). */
  recordRun(input: RecordRunInput): Promise<LineageEntity>;
  /** Records code (repository and commit). */
  recordCode(input: RecordCodeInput): Promise<LineageEntity>;
  getLineageEntity(id: string): Promise<LineageEntity>;
  /** Recorded datasets, runs and code, of one kind when given, by name; archived on request. */
  listLineageEntities(
    kind?: LineageRecordKind,
    options?: { includeArchived?: boolean },
  ): Promise<LineageEntity[]>;
  /** Takes a dataset, run or code record out of default lists; its links and history stay. */
  archiveLineageEntity(id: string): Promise<LineageEntity>;
  restoreLineageEntity(id: string): Promise<LineageEntity>;

  /**
   * Links parent `from` to child `to`. Throws `LineageCycleError` naming the cycle
   * (`bert v3 -> bert v5 -> bert v2 -> bert v3`), and changes nothing, when it would close one.
   */
  addLineageEdge(input: AddLineageEdgeInput): Promise<LineageEdgeInfo>;
  /**
   * Adds many links in one transaction (imports). Each input is checked as `addLineageEdge`
   * checks it, but one that cannot be added is reported in `refused` (a cycle with its
   * `LineageCycleError`) while the rest go in; one already in the lineage is `existing`.
   */
  addLineageEdges(inputs: AddLineageEdgeInput[]): Promise<LineageEdgeBatchResult>;
  /** Takes a link out of the lineage; it stays in history and can be restored. */
  removeLineageEdge(edgeId: string): Promise<void>;
  /** Puts a removed or dropped link back, unless that would close a cycle now. */
  restoreLineageEdge(edgeId: string): Promise<LineageEdgeInfo>;
  /** Every link into or out of a node, in any state. */
  lineageEdgesOf(id: string): Promise<LineageEdgeInfo[]>;
  /** Links the fold left out (two peers closed a cycle while apart), and why. */
  droppedLineageEdges(): Promise<DroppedLineageEdge[]>;

  /** Everything `id` came from, nearest first, each with its distance in `depth`. */
  lineageAncestors(id: string, options?: LineageQueryOptions): Promise<LineageNodeInfo[]>;
  /** Everything that came from `id`, nearest first. */
  lineageDescendants(id: string, options?: LineageQueryOptions): Promise<LineageNodeInfo[]>;
  /** The shortest directed path between two nodes, either way; null when unrelated. */
  lineagePath(a: string, b: string): Promise<LineagePathInfo | null>;
  /** The nearest common ancestors of two nodes. */
  lineageCommonAncestors(a: string, b: string): Promise<LineageCommonAncestor[]>;
  /** The versions built on a dataset, directly or not: "which models used this bad data?" */
  downstreamOfDataset(id: string, options?: LineageQueryOptions): Promise<LineageNodeInfo[]>;
  /** Ancestors only `a` has, only `b` has, and shared. */
  lineageDiff(a: string, b: string): Promise<LineageDiffInfo>;
  /** The labelled graph around a node, ready for `toVisData`. */
  lineageNeighbourhood(
    id: string,
    options?: LineageNeighbourhoodOptions,
  ): Promise<LineageNeighbourhood>;
  /** Every change to one lineage node: its records and the links into and out of it. */
  lineageHistory(id: string): Promise<HistoryEntry[]>;
}

export interface Registry extends LineageRegistry {
  /** This browser's signing identity. */
  readonly actor: ActorInfo;
  /** The lineage GNN: training in a worker, stored embeddings, suggestions, the map. */
  readonly insights: InsightsRegistry;
  /** Team sharing: invite, roles, connection, refused events, conflicts and the audit. */
  readonly team: TeamRegistry;

  /** Keeps a registered file's bytes in this browser, so it can be downloaded or fetched. */
  keepFileBytes(file: Blob, ref: FileRef): Promise<void>;
  /** Which of these files (by SHA-256) this browser keeps the bytes of. */
  keptFiles(sha256s: string[]): Promise<Set<string>>;
  /** The kept bytes of a file; null when this browser does not keep them. */
  fileBytes(sha256: string): Promise<Blob | null>;

  /** Called after every change, local or from another tab; returns an unsubscribe. */
  subscribe(listener: () => void): () => void;

  setDisplayName(name: string): Promise<void>;

  createModel(input: CreateModelInput): Promise<Model>;
  /**
   * Creates, in one transaction, the models that do not exist yet; returns every model asked
   * for, in input order, and the names created. Existing models stay unchanged (imports).
   */
  ensureModels(inputs: CreateModelInput[]): Promise<{ models: Model[]; created: string[] }>;
  /** Many versions by model name (or id) and number at once; null where there is none. */
  findVersions(selectors: { model: string; version: number }[]): Promise<(ModelVersion | null)[]>;
  /** Registers the next version of a model; numbers run 1, 2, 3 per model. */
  registerVersion(input: RegisterVersionInput): Promise<ModelVersion>;
  /** Registers many versions in one transaction (imports, benchmarks). */
  registerVersions(inputs: RegisterVersionInput[]): Promise<ModelVersion[]>;

  /** Points `alias` of `model` at a version, moving it if it pointed elsewhere. */
  setAlias(model: string, alias: string, version: VersionSelector): Promise<void>;
  removeAlias(model: string, alias: string): Promise<void>;
  setTag(target: EntityRef, key: string, value: string): Promise<void>;
  removeTag(target: EntityRef, key: string): Promise<void>;
  /** Replaces the Markdown description of a model or version (at most 1 MB). */
  describe(target: EntityRef, markdown: string): Promise<void>;
  archive(target: EntityRef): Promise<void>;
  restore(target: EntityRef): Promise<void>;

  getModel(nameOrId: string): Promise<Model>;
  listModels(request?: ModelListRequest): Promise<ModelListPage>;
  getVersion(model: string, version: VersionSelector): Promise<ModelVersion>;
  getVersionById(id: string): Promise<ModelVersion>;
  listVersions(model: string, options?: { includeArchived?: boolean }): Promise<ModelVersion[]>;
  /** Every recorded point of every metric of a version, by key, in step order. */
  metricHistory(versionId: string): Promise<Record<string, MetricPoint[]>>;

  /** MLflow filter grammar search over versions; a `models:/` URI resolves instead. */
  search(request: SearchRequest): Promise<SearchPage>;
  /**
   * Resolves true once searches run from the in-memory index (building or loading it if need
   * be), false when the registry is too large for one.
   */
  prepareSearch(): Promise<boolean>;
  /** `models:/<name>/<version>` or `models:/<name>@<alias>` to a version. */
  resolveUri(uri: string): Promise<ModelVersion>;

  /**
   * Every change to a model (and its versions and aliases) or to one version, oldest first,
   * lineage links on its versions included.
   */
  history(target: EntityRef): Promise<HistoryEntry[]>;
  /** The newest changes across the workspace, newest first, older than `beforeHlc` if given. */
  recentHistory(limit: number, beforeHlc?: string): Promise<HistoryEntry[]>;
  aliasHistory(model: string, alias?: string): Promise<AliasMove[]>;
  /** The model as it stood at `time` (ms since the epoch). */
  asOf(model: string, time: number): Promise<ModelSnapshot>;

  /**
   * Reads model files' headers in a Web Worker (never executing them) and reports each
   * file's format, metadata and safety verdict as it finishes.
   */
  inspectFiles(files: File[], options?: ClientInspectOptions): Promise<FileInspection[]>;

  /** Streams a file through SHA-256, reporting progress as a fraction from 0 to 1. */
  hashFile(
    file: Blob & { name: string },
    onProgress?: (fraction: number) => void,
  ): Promise<FileRef>;

  exportWorkspace(): Promise<Blob>;
  importWorkspace(file: Blob): Promise<ImportSummary>;
  /** SHA-256 over every projection row: equal on two browsers that hold the same events. */
  stateHash(): Promise<string>;
  storage(): Promise<StorageReport>;
  /** Asks the browser to keep this site's data under storage pressure. */
  persistStorage(): Promise<boolean>;
  /** Deletes every local event and projection of this workspace (used before an import). */
  wipe(): Promise<void>;
  close(): void;
}
