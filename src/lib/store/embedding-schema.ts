/**
 * The table of trained GNN embeddings, added in schema version 4. Derived data kept apart
 * from the projections: it is not folded from events, not synced and not part of the state
 * hash, because each browser trains its own. One row per trained model (today one, the
 * lineage GNN), replaced whole on each training so a reader never sees half of one.
 */

/** One epoch of the stored loss curve. */
export interface EmbeddingEpochRow {
  epoch: number;
  loss: number;
  ms: number;
}

export interface EmbeddingRow {
  /** Which trained model: `lineage-gnn`. */
  id: string;
  trainedAt: number;
  /** Version ids in row order of `vectors`: the nodes of the graph trained on. */
  nodeIds: string[];
  /** The version-to-version links trained on, as `parent>child` keys. */
  linkKeys: string[];
  /** SHA-256 over the sorted node ids and link keys: equal graphs, equal hash. */
  graphHash: string;
  dimension: number;
  /** Row-major [nodeIds.length, dimension]. */
  vectors: Float32Array;
  backend: string;
  backendReason: string;
  epochs: EmbeddingEpochRow[];
  msPerEpoch: number;
  settings: Record<string, number>;
  /** The held-out link-prediction score, as the training worker reported it. */
  quality: unknown;
  qualityNote: string;
}

/** The Dexie stores schema version 4 adds. */
export const EMBEDDING_STORES = { embeddings: 'id' } as const;
