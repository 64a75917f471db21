/**
 * The registry's typed API: the one door pages and components go through.
 * `openRegistry()` (in `./index`) returns an implementation backed by the event log.
 */
import type { ClientInspectOptions, FileInspection } from './formats';
import type {
  ActorInfo,
  AliasMove,
  CreateModelInput,
  EntityRef,
  FileRef,
  HistoryEntry,
  ImportSummary,
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

export interface Registry {
  /** This browser's signing identity. */
  readonly actor: ActorInfo;

  /** Called after every change, local or from another tab; returns an unsubscribe. */
  subscribe(listener: () => void): () => void;

  setDisplayName(name: string): Promise<void>;

  createModel(input: CreateModelInput): Promise<Model>;
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
  /** `models:/<name>/<version>` or `models:/<name>@<alias>` to a version. */
  resolveUri(uri: string): Promise<ModelVersion>;

  /** Every change to a model (and its versions and aliases) or to one version, oldest first. */
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
