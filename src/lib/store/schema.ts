/**
 * The Dexie database of one workspace: the event log and the projections folded from it.
 *
 * Projections are derived data: `rebuildProjections` can drop and refill them from `events`.
 * Tags, parameters and latest metric values are kept on the model and version rows and
 * indexed there through multi-entry indexes of `[key, value]` pairs (`*tkv`, `*pkv`, `*mkv`),
 * so one row read answers a filter and one index walk answers a range.
 */
import { Dexie, type EntityTable } from 'dexie';
import type { StemmaEvent } from './event';
import { EMBEDDING_STORES, type EmbeddingRow } from './embedding-schema';
import { LINEAGE_STORES, type LineageEdgeRow, type LineageEntityRow } from './lineage-schema';
import type { CodeRef, DatasetRef, FileRef, MetricPoint } from '../registry/types';

export type { LineageEdgeRow, LineageEdgeState, LineageEntityRow } from './lineage-schema';
export type { EmbeddingEpochRow, EmbeddingRow } from './embedding-schema';

/** A `[key, value]` pair as stored in the multi-entry indexes. Numbers sort before strings. */
export type IndexPair = [string, string | number];

/** An event as stored: the signed event plus the scope (model id) it belongs to. */
export interface EventRow extends StemmaEvent {
  /** The model every event of this scope touches; the fold replays one scope at a time. */
  scope: string;
}

export interface ModelRow {
  id: string;
  name: string;
  nameLower: string;
  description: string;
  tags: Record<string, string>;
  tkv: IndexPair[];
  archived: 0 | 1;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  versionCount: number;
  latestVersion: number;
}

export interface VersionRow {
  id: string;
  modelId: string;
  modelName: string;
  nameLower: string;
  number: number;
  requestedNumber: number;
  description: string;
  params: Record<string, string>;
  metrics: Record<string, number>;
  tags: Record<string, string>;
  aliases: string[];
  datasets: DatasetRef[];
  code: CodeRef | null;
  files: FileRef[];
  archived: 0 | 1;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  /** Effective tags (model tags overlaid by version tags) as `[key, value]`. */
  tkv: IndexPair[];
  /** Parameters as `[key, value]`; numeric-looking values are stored as numbers. */
  pkv: IndexPair[];
  /** Latest metric values as `[key, value]`. */
  mkv: IndexPair[];
}

export interface AliasRow {
  modelId: string;
  alias: string;
  versionId: string;
  setAt: number;
  setBy: string;
}

export interface MetricRow extends MetricPoint {
  versionId: string;
  key: string;
  /** Position in the recorded list, so equal (step, timestamp) points stay distinct. */
  seq: number;
}

export interface FileRow extends FileRef {
  versionId: string;
}

export interface ActorRow {
  id: string;
  displayName: string;
  updatedAt: number;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

/** A stored Yjs update of the sync document; compaction merges old rows into one. */
export interface SyncUpdateRow {
  seq?: number;
  update: Uint8Array;
}

/** One link of the local hash chain over every event this browser took in (see sync/chain). */
export interface SyncChainRow {
  seq: number;
  id: string;
  hash: string;
}

/** Version 2 added the lineage tables; IndexedDB upgrades older databases in place. */
/** The bytes of a file this browser keeps, by SHA-256; never replicated, never folded. */
export interface BlobRow {
  sha256: string;
  blob: Blob;
  size: number;
  storedAt: number;
}

/**
 * A saved copy of search's in-memory index (see `registry/search/memory-index.ts`), so that a
 * new tab loads one row instead of every version. Derived, per browser, never replicated.
 */
export interface SearchCacheRow {
  key: string;
  value: unknown;
}

export const SCHEMA_VERSION = 7;

export class WorkspaceDb extends Dexie {
  events!: EntityTable<EventRow, 'id'>;
  models!: EntityTable<ModelRow, 'id'>;
  versions!: EntityTable<VersionRow, 'id'>;
  aliases!: Dexie.Table<AliasRow, [string, string]>;
  metrics!: Dexie.Table<MetricRow, [string, string, number]>;
  files!: Dexie.Table<FileRow, [string, string]>;
  actors!: EntityTable<ActorRow, 'id'>;
  lineageEntities!: EntityTable<LineageEntityRow, 'id'>;
  lineageEdges!: EntityTable<LineageEdgeRow, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;
  embeddings!: EntityTable<EmbeddingRow, 'id'>;
  syncUpdates!: Dexie.Table<SyncUpdateRow, number>;
  syncChain!: EntityTable<SyncChainRow, 'seq'>;
  blobs!: EntityTable<BlobRow, 'sha256'>;
  searchCache!: EntityTable<SearchCacheRow, 'key'>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({
      events: 'id, [scope+hlc], hlc, entity, actor',
      models: 'id, &name, nameLower, createdAt, updatedAt, archived, *tkv',
      versions:
        'id, [modelId+number], modelId, nameLower, number, createdAt, archived, ' +
        '*aliases, *tkv, *pkv, *mkv',
      aliases: '[modelId+alias], modelId, versionId',
      metrics: '[versionId+key+seq], versionId, [versionId+key]',
      files: '[versionId+sha256], versionId, sha256',
      actors: 'id',
      meta: 'key',
    });
    // A version lists only what it adds; Dexie keeps the stores of the versions before it.
    this.version(2).stores(LINEAGE_STORES);
    // Sorting by name walks this index, so one model's thousands of versions are not read
    // as one run before the first page can be cut.
    this.version(3).stores({
      versions:
        'id, [modelId+number], modelId, nameLower, [nameLower+number], number, createdAt, ' +
        'archived, *aliases, *tkv, *pkv, *mkv',
    });
    // Trained GNN embeddings: derived, per browser, outside the projections and their hash.
    this.version(4).stores(EMBEDDING_STORES);
    // Sync: the Yjs document's stored updates and the audit chain; neither is a projection.
    this.version(5).stores({ syncUpdates: '++seq', syncChain: 'seq, &id' });
    // Kept file bytes, for downloads and for teammates who fetch them.
    this.version(6).stores({ blobs: 'sha256' });
    // The saved search index.
    this.version(7).stores({ searchCache: 'key' });
  }
}

/** The tables that hold derived state; `events` and `meta` are not among them. */
export const PROJECTION_TABLES = [
  'models',
  'versions',
  'aliases',
  'metrics',
  'files',
  'actors',
  'lineageEntities',
  'lineageEdges',
] as const;
