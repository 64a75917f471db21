/**
 * Messages between the page and the GNN training worker. Typed arrays travel as structured
 * clones (the features and embeddings of a registry are at most a few MB); progress comes one
 * epoch at a time so the page can draw the loss curve as it goes.
 */
import type { BackendTiming } from '../backend';
import type { LinkEpochRecord, LinkSettings } from '../link-train';
import type { SparseFeatures } from '../sparse-features';

/** What the page sends to train on. */
export interface TrainingInput {
  nodeCount: number;
  features: SparseFeatures;
  /** Lineage links, parent `source[k]` -> child `target[k]`, by node index. */
  links: { source: Int32Array; target: Int32Array };
  /** Node names, for the name-similarity baseline the score is compared with. */
  names: string[];
  settings?: Partial<LinkSettings>;
  /** Share of the children held out to score the run; 0.1 by default. */
  holdOutShare?: number;
  /** Backends to measure, in order of preference on a tie; every registered one by default. */
  backends?: string[];
}

/**
 * Hits@k and MRR on held-out links: for the ranking "likely parents" uses (the GNN blended
 * with names, see suggestion-score.ts), for the GNN alone, and for names alone.
 */
export interface LinkQuality {
  /** Held-out children ranked (each with all its parent links held out). */
  queries: number;
  heldOutLinks: number;
  /** Candidates ranked per query: every version but the child and its known parents. */
  candidates: number;
  suggestions: { hitsAt1: number; hitsAt10: number; mrr: number };
  gnn: { hitsAt1: number; hitsAt10: number; mrr: number };
  nameBaseline: { hitsAt1: number; hitsAt10: number; mrr: number };
}

export interface BackendReport {
  backend: string;
  /** One sentence for the page: the choice and the numbers behind it. */
  reason: string;
  timings: BackendTiming[];
}

export interface TrainingResult {
  /** Row-major [nodeCount, dimension] embeddings over every link, with the trained weights. */
  embeddings: Float32Array;
  dimension: number;
  backend: BackendReport;
  epochs: LinkEpochRecord[];
  msPerEpoch: number;
  settings: LinkSettings;
  /** Null when the registry has too few links to hold some out (the reason says why). */
  quality: LinkQuality | null;
  qualityNote: string;
}

export type TrainingRequest =
  | { type: 'train'; id: number; input: TrainingInput }
  | { type: 'pause' | 'resume' | 'cancel'; id: number };

export type TrainingResponse =
  | { type: 'backend'; id: number; report: BackendReport }
  | { type: 'epoch'; id: number; record: LinkEpochRecord; maxEpochs: number }
  | { type: 'paused' | 'resumed'; id: number }
  | { type: 'scoring'; id: number }
  | { type: 'done'; id: number; result: TrainingResult }
  | { type: 'failed'; id: number; error: { code: string; message: string } };

/** The part of a Worker scope (or a MessagePort) the service uses. */
export interface MessageEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}
