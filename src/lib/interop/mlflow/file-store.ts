/**
 * Reads an MLflow file store (`mlruns/`): experiments, their runs (params, metric histories,
 * tags, dataset inputs, models logged under artifacts), MLflow 3 logged models under
 * `<experiment>/models/<model_id>/`, and the model registry under `models/`. A part that
 * cannot be read is reported in `issues` and left out; the rest is read.
 *
 * Layout, as MLflow's FileStore writes it:
 *   <experiment>/meta.yaml, tags/<key>, datasets/<id>/meta.yaml, models/<model_id>/...
 *   <experiment>/<run>/meta.yaml, params/<key>, metrics/<key>, tags/<key>, inputs/<id>/,
 *     artifacts/<path>/MLmodel
 *   models/<name>/meta.yaml, tags/<key>, aliases/<alias>, version-<n>/meta.yaml, tags/<key>
 */
import { makeDataset } from './datasets';
import { issueOf, MalformedMetaError, MissingPartError } from './errors';
import { readLogModelHistory, readMlmodel, type MlmodelFacts } from './mlmodel';
import { millis, parseMeta, parseMetricFile, requireText, runStatus, text } from './read-meta';
import { readRegistry } from './registry-files';
import type { StoreTree } from './tree';
import type {
  ImportIssue,
  MetricHistory,
  MlflowDataset,
  MlflowExperiment,
  MlflowLoggedModel,
  MlflowRun,
  MlflowStore,
} from './types';

/** Experiment sub-folders that are not runs. */
const RESERVED = new Set(['tags', 'datasets', 'traces', 'models']);
const LOG_MODEL_HISTORY = 'mlflow.log-model.history';

export interface ReadOptions {
  issues: ImportIssue[];
  /** Called after each run, with the number read so far and the total. */
  onRun?: (done: number, total: number) => void;
}

async function metricsUnder(tree: StoreTree, folder: string, issues: ImportIssue[]) {
  const metrics: MetricHistory = {};
  for (const { key, file } of tree.filesUnder(folder)) {
    const points = parseMetricFile(await file.text(), file.path, issues);
    if (points.length > 0) metrics[key] = points;
  }
  return metrics;
}

const folderId = (folder: string) => folder.slice(folder.lastIndexOf('/') + 1);

async function readExperiment(tree: StoreTree, folder: string): Promise<MlflowExperiment> {
  const path = `${folder}/meta.yaml`;
  const meta = parseMeta(await tree.file(path)!.text(), tree.file(path)!.path);
  return {
    // Ids are text; a number read from YAML may have lost digits, so the folder name wins.
    id: typeof meta.experiment_id === 'string' ? meta.experiment_id : folderId(folder),
    name: requireText(meta, 'name', tree.file(path)!.path),
    lifecycleStage: text(meta, 'lifecycle_stage') ?? 'active',
    artifactLocation: text(meta, 'artifact_location') ?? '',
    creationTime: millis(meta, 'creation_time'),
    tags: await tree.values(`${folder}/tags`),
  };
}

async function readDatasets(tree: StoreTree, folder: string, issues: ImportIssue[]) {
  const byId = new Map<string, MlflowDataset>();
  for (const id of tree.folders(`${folder}/datasets`)) {
    const file = tree.file(`${folder}/datasets/${id}/meta.yaml`);
    if (!file) continue;
    try {
      const meta = parseMeta(await file.text(), file.path);
      const name = requireText(meta, 'name', file.path);
      const digest = text(meta, 'digest') ?? '';
      byId.set(
        id,
        makeDataset(name, digest, text(meta, 'source_type') ?? '', text(meta, 'source') ?? ''),
      );
    } catch (error) {
      issues.push(issueOf(error, file.path));
    }
  }
  return byId;
}

/** The models a run logged: MLmodel files under its artifacts, then the history tag. */
async function runModels(
  tree: StoreTree,
  folder: string,
  run: MlflowRun,
  issues: ImportIssue[],
): Promise<MlflowLoggedModel[]> {
  const models: MlflowLoggedModel[] = [];
  const artifacts = tree.filesUnder(`${folder}/artifacts`);
  for (const { key, file } of artifacts) {
    if (key !== 'MLmodel' && !key.endsWith('/MLmodel')) continue;
    const modelFolder = key === 'MLmodel' ? '' : key.slice(0, -'/MLmodel'.length);
    try {
      const facts = readMlmodel(await file.text(), file.path);
      const files = artifacts
        .filter((entry) => modelFolder === '' || entry.key.startsWith(`${modelFolder}/`))
        .map((entry) => ({
          path: modelFolder === '' ? entry.key : entry.key.slice(modelFolder.length + 1),
          file: entry.file,
        }));
      const blobs = await Promise.all(files.map(async (entry) => entry.file.blob()));
      models.push(
        loggedModelOf(facts, run, modelFolder || facts.artifactPath || 'model', file.path, {
          files: files.map((entry, index) => ({ path: entry.path, file: blobs[index] })),
        }),
      );
    } catch (error) {
      issues.push(issueOf(error, file.path));
    }
  }
  // Models whose artifacts were not part of the input are still known from the tag.
  const history = run.tags[LOG_MODEL_HISTORY];
  if (history) {
    for (const facts of readLogModelHistory(history)) {
      const path = facts.artifactPath ?? 'model';
      const known = models.some(
        (model) =>
          (facts.modelUuid !== null && model.modelUuid === facts.modelUuid) ||
          model.artifactPath === path,
      );
      if (!known)
        models.push(loggedModelOf(facts, run, path, `${folder}/tags/${LOG_MODEL_HISTORY}`));
    }
  }
  return models;
}

function loggedModelOf(
  facts: MlmodelFacts,
  run: MlflowRun,
  artifactPath: string,
  origin: string,
  extra: Partial<MlflowLoggedModel> = {},
): MlflowLoggedModel {
  return {
    key: facts.modelId ?? facts.modelUuid ?? `${run.id}/${artifactPath}`,
    experimentId: run.experimentId,
    name: artifactPath,
    runId: run.id,
    artifactPath,
    createdAt: facts.createdAt ?? run.endTime ?? run.startTime,
    flavors: facts.flavors,
    mlflowVersion: facts.mlflowVersion,
    modelUuid: facts.modelUuid,
    params: {},
    metrics: {},
    tags: {},
    files: [],
    origin,
    ...extra,
  };
}

async function readRun(
  tree: StoreTree,
  folder: string,
  experimentId: string,
  datasets: Map<string, MlflowDataset>,
  issues: ImportIssue[],
): Promise<{ run: MlflowRun; models: MlflowLoggedModel[] }> {
  const file = tree.file(`${folder}/meta.yaml`)!;
  const meta = parseMeta(await file.text(), file.path);
  // The folder name is the id MLflow looks runs up by; meta.yaml repeats it, unquoted, so a
  // hex id such as `...0e5` can read back as a number: then the folder name stands.
  const folderName = folder.slice(folder.lastIndexOf('/') + 1);
  const declaredId = meta.run_id ?? meta.run_uuid;
  const id = typeof declaredId === 'string' && declaredId ? declaredId : folderName;
  const declared = typeof meta.experiment_id === 'string' ? meta.experiment_id : null;
  if (declared !== null && declared !== experimentId) {
    throw new MalformedMetaError(
      file.path,
      `it says experiment ${declared} but lies in experiment ${experimentId}'s folder`,
    );
  }
  const tags = await tree.values(`${folder}/tags`);
  const run: MlflowRun = {
    id,
    experimentId,
    name: text(meta, 'run_name') || tags['mlflow.runName'] || id,
    status: runStatus(meta.status),
    startTime: millis(meta, 'start_time'),
    endTime: millis(meta, 'end_time'),
    user: text(meta, 'user_id') ?? tags['mlflow.user'] ?? '',
    lifecycleStage: text(meta, 'lifecycle_stage') ?? 'active',
    artifactUri: text(meta, 'artifact_uri') ?? '',
    params: await tree.values(`${folder}/params`),
    metrics: await metricsUnder(tree, `${folder}/metrics`, issues),
    tags,
    inputs: [],
    origin: file.path,
  };
  for (const input of tree.folders(`${folder}/inputs`)) {
    const inputFile = tree.file(`${folder}/inputs/${input}/meta.yaml`);
    if (!inputFile) continue;
    try {
      const inputMeta = parseMeta(await inputFile.text(), inputFile.path);
      const datasetId = requireText(inputMeta, 'source_id', inputFile.path);
      const dataset = datasets.get(datasetId);
      if (!dataset) {
        throw new MissingPartError(
          inputFile.path,
          `The run's input names dataset ${datasetId}, which is not in the experiment's ` +
            `datasets folder; the input was skipped`,
        );
      }
      const inputTags = inputMeta.tags as Record<string, unknown> | undefined;
      const context = inputTags?.['mlflow.data.context'];
      run.inputs.push({
        datasetKey: dataset.key,
        context: typeof context === 'string' ? context : null,
      });
    } catch (error) {
      issues.push(issueOf(error, inputFile.path));
    }
  }
  return { run, models: await runModels(tree, folder, run, issues) };
}

/** MLflow 3 logged models: `<experiment>/models/<model_id>/` with meta, params, metrics. */
async function readLoggedModels(
  tree: StoreTree,
  folder: string,
  experimentId: string,
  issues: ImportIssue[],
): Promise<MlflowLoggedModel[]> {
  const models: MlflowLoggedModel[] = [];
  for (const id of tree.folders(`${folder}/models`)) {
    const base = `${folder}/models/${id}`;
    const file = tree.file(`${base}/meta.yaml`);
    if (!file) continue;
    try {
      const meta = parseMeta(await file.text(), file.path);
      const modelId = text(meta, 'model_id') ?? id;
      const mlmodelFile = tree.file(`${base}/artifacts/MLmodel`);
      const facts = mlmodelFile ? readMlmodel(await mlmodelFile.text(), mlmodelFile.path) : null;
      const artifacts = tree.filesUnder(`${base}/artifacts`);
      const blobs = await Promise.all(artifacts.map((entry) => entry.file.blob()));
      models.push({
        key: modelId,
        experimentId,
        name: text(meta, 'name') ?? 'model',
        runId: text(meta, 'source_run_id'),
        artifactPath: null,
        createdAt: millis(meta, 'creation_timestamp') ?? facts?.createdAt ?? null,
        flavors: facts?.flavors ?? [],
        mlflowVersion: facts?.mlflowVersion ?? null,
        modelUuid: facts?.modelUuid ?? null,
        params: await tree.values(`${base}/params`),
        metrics: await metricsUnder(tree, `${base}/metrics`, issues),
        tags: await tree.values(`${base}/tags`),
        files: artifacts.map((entry, index) => ({ path: entry.key, file: blobs[index] })),
        origin: file.path,
      });
    } catch (error) {
      issues.push(issueOf(error, file.path));
    }
  }
  return models;
}

/** Reads the whole store below the tree's root. */
export async function readFileStore(tree: StoreTree, options: ReadOptions): Promise<MlflowStore> {
  const { issues } = options;
  const store: MlflowStore = {
    experiments: [],
    runs: [],
    datasets: [],
    loggedModels: [],
    registeredModels: [],
  };
  // Deleted experiments wait in .trash until garbage-collected; they are still history.
  const experimentFolders = [
    ...tree.folders('').filter((name) => name !== 'models' && name !== '.trash'),
    ...tree.folders('.trash').map((name) => `.trash/${name}`),
  ].filter((folder) => tree.file(`${folder}/meta.yaml`));
  const runFolders: { folder: string; experiment: string }[] = [];
  const datasetsByExperiment = new Map<string, Map<string, MlflowDataset>>();
  for (const folder of experimentFolders) {
    try {
      const experiment = await readExperiment(tree, folder);
      store.experiments.push(experiment);
      const datasets = await readDatasets(tree, folder, issues);
      datasetsByExperiment.set(folder, datasets);
      store.datasets.push(...datasets.values());
      store.loggedModels.push(...(await readLoggedModels(tree, folder, experiment.id, issues)));
      for (const run of tree.folders(folder)) {
        if (!RESERVED.has(run) && tree.file(`${folder}/${run}/meta.yaml`)) {
          runFolders.push({ folder: `${folder}/${run}`, experiment: experiment.id });
        }
      }
    } catch (error) {
      issues.push(issueOf(error, tree.file(`${folder}/meta.yaml`)!.path));
    }
  }
  const folderOf = new Map(experimentFolders.map((folder) => [folder, folder] as [string, string]));
  for (const [index, { folder, experiment }] of runFolders.entries()) {
    const experimentFolder = folderOf.get(folder.slice(0, folder.lastIndexOf('/')))!;
    try {
      const datasets = datasetsByExperiment.get(experimentFolder) ?? new Map();
      const { run, models } = await readRun(tree, folder, experiment, datasets, issues);
      store.runs.push(run);
      store.loggedModels.push(...models);
    } catch (error) {
      issues.push(issueOf(error, tree.file(`${folder}/meta.yaml`)!.path));
    }
    options.onRun?.(index + 1, runFolders.length);
  }
  store.registeredModels = await readRegistry(tree, issues);
  return store;
}
