/**
 * Writes a read MLflow store into the registry, in the order lineage needs (datasets, runs,
 * logged models, registered models), through the registry's own commands only. Each step
 * looks up what an earlier import wrote and adds only what is missing; a step that fails is
 * an issue in the summary and the next one goes on.
 */
import type { Registry } from '$lib/registry/api';
import type { ApplyContext } from './apply-context';
import { applyLoggedModels } from './apply-logged';
import { applyRegisteredModels } from './apply-registered';
import { applyDatasets, applyRuns } from './apply-runs';
import {
  emptyCounts,
  type ImportCounts,
  type ImportIssue,
  type MlflowStore,
  type ProgressListener,
} from './types';

const points = (history: Record<string, unknown[]>) =>
  Object.values(history).reduce((sum, list) => sum + list.length, 0);

/** What the store holds, counted as MLflow counts it. */
export function countStore(store: MlflowStore): ImportCounts {
  const counts = emptyCounts();
  counts.experiments = store.experiments.length;
  counts.runs = store.runs.length;
  counts.params = store.runs.reduce((sum, run) => sum + Object.keys(run.params).length, 0);
  counts.metricPoints =
    store.runs.reduce((sum, run) => sum + points(run.metrics), 0) +
    store.loggedModels.reduce((sum, model) => sum + points(model.metrics), 0);
  counts.datasets = new Set(store.datasets.map((dataset) => dataset.key)).size;
  counts.loggedModels = new Set(store.loggedModels.map((model) => model.key)).size;
  counts.registeredModels = store.registeredModels.length;
  counts.versions = store.registeredModels.reduce((sum, model) => sum + model.versions.length, 0);
  counts.aliases = store.registeredModels.reduce(
    (sum, model) => sum + Object.keys(model.aliases).length,
    0,
  );
  return counts;
}

export interface ApplyResult {
  added: ImportCounts;
  unchanged: number;
  updated: number;
  thinnedPoints: number;
  models: string[];
}

export async function applyStore(
  registry: Registry,
  store: MlflowStore,
  issues: ImportIssue[],
  onProgress?: ProgressListener,
): Promise<ApplyResult> {
  const found = countStore(store);
  const ctx: ApplyContext = {
    registry,
    store,
    issues,
    added: emptyCounts(),
    unchanged: 0,
    updated: 0,
    thinnedPoints: 0,
    experiments: new Map(store.experiments.map((experiment) => [experiment.id, experiment])),
    datasets: new Map(store.datasets.map((dataset) => [dataset.key, dataset])),
    runs: new Map(store.runs.map((run) => [run.id, run])),
    runRecords: new Set(),
    models: new Set(),
    done: 0,
    total: found.datasets + found.runs + found.loggedModels + Math.max(found.versions, 1),
    onProgress,
  };
  await applyDatasets(ctx);
  await applyRuns(ctx);
  const loggedVersions = await applyLoggedModels(ctx);
  await applyRegisteredModels(ctx, loggedVersions);
  return {
    added: ctx.added,
    unchanged: ctx.unchanged,
    updated: ctx.updated,
    thinnedPoints: ctx.thinnedPoints,
    models: [...ctx.models].sort(),
  };
}
