/**
 * How MLflow things become Stemma things, as pure functions (the writes are in `apply-*.ts`).
 *
 * - A run becomes a run record with the id `mlflow-run-<run id>`: its params, each metric's
 *   latest value and whole history (steps, values, timestamps; a very long one thinned by the
 *   rule in `$lib/registry/run-metric-history`, with a warning), the git commit and source as
 *   its code, and its run info and tags as its environment. A dataset input becomes a dataset
 *   record `mlflow-dataset-<digest>:<name>`
 *   linked to the run (`trained-on`, or `evaluated-on` for an eval/test context).
 * - A logged model becomes a version of the Stemma model `<experiment>/<model name>`, in the
 *   order the models were logged, carrying its run's params and whole metric histories (so
 *   the version page draws the run's curves), the run's datasets and code, and its artifact
 *   files hashed. Its run is linked as `produced-by`.
 * - A registered model becomes the Stemma model of the same name. Its versions are registered
 *   in MLflow's order with the same content taken from their run, the MLflow number kept in
 *   the tag `mlflow.version` (Stemma numbers follow registration order, so they match unless
 *   MLflow versions were purged). The run is linked as `produced-by`, the logged model the
 *   version registers as `derived-from`. Deleted versions (`Deleted_Internal`) are archived;
 *   aliases are set on the matching versions.
 * - Every record carries its MLflow id (`mlflow.run_id`, `mlflow.model_key`,
 *   `mlflow.version`), and the importer looks those up before writing anything: importing a
 *   store again adds nothing, and a newer copy adds only what is new.
 */
import type { RecordDatasetInput, RecordRunInput } from '$lib/registry/lineage-types';
import { countPoints, thinHistories, THINNING_RULE } from '$lib/registry/run-metric-history';
import type { CodeRef, DatasetRef, MetricPoint } from '$lib/registry/types';
import { isEvaluation } from './datasets';
import { UnsupportedValueError } from './errors';
import type {
  ImportIssue,
  MetricHistory,
  MlflowDataset,
  MlflowExperiment,
  MlflowLoggedModel,
  MlflowRun,
} from './types';

/** Longest text value Stemma keeps (see the registry's validation). */
export const VALUE_LIMIT = 5_000;
const NAME_LIMIT = 200;
/** Parsed into logged models; too long and too internal for a run's environment. */
const DROPPED_TAGS = new Set(['mlflow.log-model.history']);

export const runRecordId = (runId: string) => `mlflow-run-${runId}`;
export const datasetRecordId = (key: string) => `mlflow-dataset-${key}`;

/** Tags a version gets to find it again on the next import. */
export const VERSION_TAG = 'mlflow.version';
export const MODEL_KEY_TAG = 'mlflow.model_key';
export const STAGE_DELETED = 'Deleted_Internal';
/** On an exported model whose Stemma name MLflow cannot hold (it has a "/"). */
export const NAME_TAG = 'stemma.model_name';

/** A value cut to what Stemma stores, with a warning naming the file when it was cut. */
export function fit(value: string, what: string, file: string | null, issues: ImportIssue[]) {
  if (value.length <= VALUE_LIMIT) return value;
  issues.push(
    new UnsupportedValueError(
      file,
      `${what} is ${value.length} characters; Stemma keeps the first ${VALUE_LIMIT}`,
    ).toIssue('warning'),
  );
  return value.slice(0, VALUE_LIMIT);
}

/** Every value of a map cut to size; keys Stemma cannot hold are left out. */
export function fitMap(
  values: Record<string, string>,
  what: string,
  file: string | null,
  issues: ImportIssue[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (DROPPED_TAGS.has(key) || key.length > 250) continue;
    out[key] = fit(value, `${what} "${key}"`, file, issues);
  }
  return out;
}

// Control characters would make names unreadable and URIs ambiguous.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** A Stemma model name from MLflow names: `@` starts an alias in Stemma URIs. */
export function modelName(name: string): string {
  const clean = name.replace(/@/g, '_').replace(CONTROL, ' ').trim();
  return (clean || 'model').slice(0, NAME_LIMIT);
}

/** The Stemma model that holds an experiment's logged models of one name. */
export function loggedModelName(experiment: MlflowExperiment | undefined, model: string) {
  return modelName(`${experiment?.name ?? 'experiment'}/${model}`);
}

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

/** The last point of each history (highest step, then latest time). */
export function latest(metrics: MetricHistory): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, points] of Object.entries(metrics)) {
    if (points.length > 0) out[key] = points[points.length - 1].value;
  }
  return out;
}

/** A run's metric histories within the run record's bound; a warning says what was thinned. */
export function runHistory(run: MlflowRun, issues: ImportIssue[]): MetricHistory {
  const { histories, dropped } = thinHistories(run.metrics);
  if (dropped > 0) {
    const total = countPoints(run.metrics);
    issues.push(
      new UnsupportedValueError(
        run.origin,
        `Run "${run.name || run.id}" has ${total} metric points; its record keeps ` +
          `${total - dropped} (${THINNING_RULE}). Versions registered from the run keep ` +
          'every point',
      ).toIssue('warning'),
    );
  }
  return histories;
}

export function codeOf(run: MlflowRun): CodeRef | undefined {
  const ref: CodeRef = {};
  const repository = run.tags['mlflow.source.git.repoURL'] ?? run.tags['mlflow.gitRepoURL'];
  const commit = run.tags['mlflow.source.git.commit'];
  const path = run.tags['mlflow.source.name'];
  if (repository) ref.repository = repository.slice(0, VALUE_LIMIT);
  if (commit) ref.commit = commit.slice(0, VALUE_LIMIT);
  if (path) ref.path = path.slice(0, VALUE_LIMIT);
  return Object.keys(ref).length ? ref : undefined;
}

export function runRecord(
  run: MlflowRun,
  experiment: MlflowExperiment | undefined,
  issues: ImportIssue[],
): RecordRunInput {
  const info: Record<string, string | null> = {
    'mlflow.run_id': run.id,
    'mlflow.experiment_id': run.experimentId,
    'mlflow.experiment': experiment?.name ?? null,
    'mlflow.status': run.status,
    'mlflow.start_time': iso(run.startTime),
    'mlflow.end_time': iso(run.endTime),
    'mlflow.lifecycle_stage': run.lifecycleStage,
    'mlflow.artifact_uri': run.artifactUri || null,
  };
  if (run.user && !run.tags['mlflow.user']) info['mlflow.user'] = run.user;
  const environment = fitMap(run.tags, 'run tag', run.origin, issues);
  for (const [key, value] of Object.entries(info)) {
    if (value !== null && value !== '') environment[key] = fit(value, key, run.origin, issues);
  }
  const input: RecordRunInput = {
    id: runRecordId(run.id),
    name: run.name.slice(0, NAME_LIMIT),
    params: fitMap(run.params, 'parameter', run.origin, issues),
    metrics: latest(run.metrics),
    environment,
  };
  const history = runHistory(run, issues);
  if (Object.keys(history).length > 0) input.metricHistory = history;
  const code = codeOf(run);
  if (code) input.codeRef = code;
  return input;
}

export function datasetRecord(dataset: MlflowDataset): RecordDatasetInput {
  const input: RecordDatasetInput = {
    id: datasetRecordId(dataset.key),
    name: (dataset.name || dataset.digest || 'dataset').slice(0, NAME_LIMIT),
  };
  if (dataset.digest) input.version = dataset.digest.slice(0, VALUE_LIMIT);
  if (dataset.uri) input.uri = dataset.uri.slice(0, VALUE_LIMIT);
  return input;
}

export function datasetRefs(run: MlflowRun, datasets: Map<string, MlflowDataset>): DatasetRef[] {
  const refs: DatasetRef[] = [];
  for (const input of run.inputs) {
    const dataset = datasets.get(input.datasetKey);
    if (!dataset) continue;
    const ref: DatasetRef = { name: datasetRecord(dataset).name! };
    if (dataset.digest) ref.version = dataset.digest;
    if (dataset.uri) ref.uri = dataset.uri.slice(0, VALUE_LIMIT);
    if (input.context) ref.role = input.context;
    refs.push(ref);
  }
  return refs;
}

export const inputRelation = (context: string | null) =>
  isEvaluation(context) ? ('evaluated-on' as const) : ('trained-on' as const);

/** Tags without empty values, cut to size. */
export function cleanTags(
  tags: Record<string, string | null | undefined>,
  file: string | null,
  issues: ImportIssue[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    if (value === null || value === undefined || value === '') continue;
    if (DROPPED_TAGS.has(key) || key.length > 250) continue;
    out[key] = fit(value, `tag "${key}"`, file, issues);
  }
  return out;
}

/** The metric histories a version of a logged model carries: its own, else its run's. */
export function versionMetrics(
  model: MlflowLoggedModel | null,
  run: MlflowRun | null,
): Record<string, MetricPoint[]> {
  if (model && Object.keys(model.metrics).length > 0) return model.metrics;
  return run?.metrics ?? {};
}
