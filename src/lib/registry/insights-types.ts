/**
 * The public shape of the registry's insights: the lineage GNN trained in a worker on this
 * registry, its stored embeddings and what they give a user (likely parents, similar models,
 * the registry map, the held-out score).
 */
import type { GraphDrift } from '../gnn/graph-drift';
import type { SuggestionReason } from '../gnn/parent-reasons';
import type { LinkQuality, TrainingHooks } from '../gnn/training-client';

export type { GraphDrift } from '../gnn/graph-drift';
export type { SuggestionReason, ReasonKind } from '../gnn/parent-reasons';
export type { BackendReport, LinkQuality, TrainingHooks } from '../gnn/training-client';
export type { LinkEpochRecord } from '../gnn/link-train';

/** What is stored about the current embeddings, without the vectors. */
export interface EmbeddingsInfo {
  trainedAt: number;
  versions: number;
  links: number;
  dimension: number;
  backend: string;
  backendReason: string;
  epochs: { epoch: number; loss: number; ms: number }[];
  msPerEpoch: number;
  /** Held-out Hits@1, Hits@10 and MRR; null when there were too few links to hold out. */
  quality: LinkQuality | null;
  qualityNote: string;
}

export interface InsightsStatus {
  /** The registry now. */
  versions: number;
  links: number;
  /** Null until the GNN has been trained in this browser. */
  embeddings: EmbeddingsInfo | null;
  /** Changes since training; null without embeddings. */
  drift: GraphDrift | null;
  /** No embeddings yet, or the registry changed enough (see `RETRAIN_SHARE`). */
  retrainSuggested: boolean;
}

export interface TrainOptions {
  /** Epochs to train; 200 by default. */
  epochs?: number;
  seed?: number;
  /** Backends to measure; every one this browser has by default. */
  backends?: string[];
}

/** A run under way; `result` resolves once the embeddings are stored. */
export interface InsightsTrainingJob {
  pause(): void;
  resume(): void;
  cancel(): void;
  result: Promise<EmbeddingsInfo>;
}

/** A version on the registry map. */
export interface MapPoint {
  versionId: string;
  modelName: string;
  number: number;
  x: number;
  y: number;
  family: string | null;
  task: string | null;
  format: string | null;
}

export interface RegistryMap {
  points: MapPoint[];
  /** Share of the embeddings' variance along each axis. */
  explained: [number, number];
  /** Versions registered after training, which have no place yet. */
  unplaced: number;
}

export interface VersionLink {
  versionId: string;
  modelName: string;
  number: number;
}

export interface ParentSuggestion extends VersionLink {
  /**
   * 0 to 1: the GNN's link probability blended with name similarity (`gnn`), or the name
   * similarity alone (`names`).
   */
  score: number;
  reasons: SuggestionReason[];
}

export interface ParentSuggestions {
  /**
   * `suggested`: suggestions below. `has-parents`: the version has recorded parents.
   * `untrained`: no embeddings yet.
   */
  state: 'suggested' | 'has-parents' | 'untrained';
  /** `gnn`: ranked by embeddings. `names`: the version is newer than them, ranked by name. */
  basis: 'gnn' | 'names';
  suggestions: ParentSuggestion[];
}

export interface SimilarVersion extends VersionLink {
  /** Cosine similarity of the embeddings, -1 to 1. */
  similarity: number;
}

export interface InsightsRegistry {
  status(): Promise<InsightsStatus>;
  /** Reads the registry, trains in a Web Worker, and stores the embeddings when done. */
  train(options?: TrainOptions, hooks?: TrainingHooks): Promise<InsightsTrainingJob>;
  /** Every embedded version in 2-D (PCA); null until trained. */
  map(): Promise<RegistryMap | null>;
  /** Versions likely to be `versionId`'s parent, best first. */
  likelyParents(versionId: string, count?: number): Promise<ParentSuggestions>;
  /** The nearest versions by embedding; null when the version has no embedding. */
  similarVersions(versionId: string, count?: number): Promise<SimilarVersion[] | null>;
  /** Forgets the stored embeddings. */
  clear(): Promise<void>;
}
