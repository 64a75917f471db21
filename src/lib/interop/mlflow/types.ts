/**
 * An MLflow tracking store and model registry as read from a `mlruns/` folder or an
 * `mlflow.db` database, before anything is written to Stemma. Both readers produce this one
 * shape, so the mapping onto the registry (`apply.ts`) is written once.
 */
import type { MetricPoint } from '$lib/registry/types';

/** One file handed to the importer: its path inside the chosen folder or zip, and its bytes. */
export interface ImportEntry {
  path: string;
  file: Blob;
}

export interface MlflowExperiment {
  id: string;
  name: string;
  lifecycleStage: string;
  artifactLocation: string;
  creationTime: number | null;
  tags: Record<string, string>;
}

/** A dataset a run logged as an input (`mlflow.log_input`). */
export interface MlflowDataset {
  /** Stable across the file store and the database: derived from name and digest. */
  key: string;
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  /** Where the data lives, read from the source JSON when it names a uri, path or url. */
  uri: string | null;
}

export interface MlflowDatasetInput {
  datasetKey: string;
  /** `mlflow.data.context`: training, eval, test... */
  context: string | null;
}

export type MetricHistory = Record<string, MetricPoint[]>;

export interface MlflowRun {
  id: string;
  experimentId: string;
  name: string;
  /** RUNNING, SCHEDULED, FINISHED, FAILED or KILLED. */
  status: string;
  startTime: number | null;
  endTime: number | null;
  user: string;
  lifecycleStage: string;
  artifactUri: string;
  params: Record<string, string>;
  /** Every point of every metric, in (step, timestamp) order. */
  metrics: MetricHistory;
  tags: Record<string, string>;
  inputs: MlflowDatasetInput[];
  /** Where the run was read from, for messages. */
  origin: string;
}

/**
 * A model a run logged: an `MLmodel` under the run's artifacts (MLflow 2), an entry of the
 * run's `mlflow.log-model.history` tag, or an MLflow 3 logged model with its own id.
 */
export interface MlflowLoggedModel {
  /** MLflow 3 `model_id`, else the MLmodel `model_uuid`, else `<run id>/<artifact path>`. */
  key: string;
  experimentId: string;
  name: string;
  runId: string | null;
  artifactPath: string | null;
  createdAt: number | null;
  flavors: string[];
  mlflowVersion: string | null;
  modelUuid: string | null;
  /** MLflow 3 logged models carry their own params, metrics and tags. */
  params: Record<string, string>;
  metrics: MetricHistory;
  tags: Record<string, string>;
  /** The artifact files found beside the MLmodel, by path relative to the model folder. */
  files: { path: string; file: Blob }[];
  origin: string;
}

export interface MlflowModelVersion {
  version: number;
  description: string;
  /** None, Staging, Production, Archived or Deleted_Internal. */
  currentStage: string;
  source: string;
  runId: string | null;
  /** MLflow 3: the logged model this version registers. */
  modelId: string | null;
  status: string;
  createdAt: number | null;
  userId: string | null;
  tags: Record<string, string>;
  origin: string;
}

export interface MlflowRegisteredModel {
  name: string;
  description: string;
  createdAt: number | null;
  tags: Record<string, string>;
  /** Alias name to MLflow version number. */
  aliases: Record<string, number>;
  versions: MlflowModelVersion[];
  origin: string;
}

export interface MlflowStore {
  experiments: MlflowExperiment[];
  runs: MlflowRun[];
  datasets: MlflowDataset[];
  loggedModels: MlflowLoggedModel[];
  registeredModels: MlflowRegisteredModel[];
}

/** What went wrong with one part of the input; the rest of the import goes on. */
export interface ImportIssue {
  /** The error class name, e.g. `MalformedMetaError`. */
  error: string;
  message: string;
  file: string | null;
  line: number | null;
  /** `skipped`: that part was left out; `warning`: it was imported with a change. */
  severity: 'skipped' | 'warning';
}

export interface ImportCounts {
  experiments: number;
  runs: number;
  params: number;
  metricPoints: number;
  datasets: number;
  loggedModels: number;
  registeredModels: number;
  versions: number;
  aliases: number;
  lineageEdges: number;
}

export interface MlflowImportSummary {
  /** What the input held, as read. */
  found: ImportCounts;
  /** What this import wrote (a second import of the same store writes nothing). */
  added: ImportCounts;
  /** Runs, versions and models already in the registry from an earlier import. */
  unchanged: number;
  /** Records an earlier import wrote and this one brought up to date. */
  updated: number;
  /**
   * Metric points of runs that their run records do not keep (a curve longer than the bound
   * in `$lib/registry/run-metric-history` is thinned); 0 when every point was kept.
   */
  metricPointsThinned: number;
  issues: ImportIssue[];
  /** Stemma model names touched, for links. */
  models: string[];
  tookMs: number;
}

export interface ImportProgress {
  phase: 'reading' | 'parsing' | 'writing' | 'done';
  done: number;
  total: number;
  /** What is being worked on, for the progress label. */
  detail: string;
}

export type ProgressListener = (progress: ImportProgress) => void;

export function emptyCounts(): ImportCounts {
  return {
    experiments: 0,
    runs: 0,
    params: 0,
    metricPoints: 0,
    datasets: 0,
    loggedModels: 0,
    registeredModels: 0,
    versions: 0,
    aliases: 0,
    lineageEdges: 0,
  };
}
