/**
 * Writes logged models as versions of `<experiment>/<model name>` models, oldest first, one
 * transaction per model, each linked to the run that produced it.
 */
import { countPoints } from '$lib/registry/run-metric-history';
import type { RegisterVersionInput } from '$lib/registry/types';
import { link, tick, type ApplyContext } from './apply-context';
import { ensureModel, fileRefs, versionsByTag } from './apply-models';
import { issueOf } from './errors';
import {
  cleanTags,
  codeOf,
  datasetRefs,
  fitMap,
  loggedModelName,
  MODEL_KEY_TAG,
  runRecordId,
  versionMetrics,
} from './mapping';
import type { MlflowLoggedModel } from './types';

async function versionInput(
  ctx: ApplyContext,
  name: string,
  model: MlflowLoggedModel,
): Promise<RegisterVersionInput> {
  const run = model.runId ? (ctx.runs.get(model.runId) ?? null) : null;
  const experiment = ctx.experiments.get(model.experimentId)?.name ?? model.experimentId;
  return {
    model: name,
    description:
      `Logged as "${model.name}" by MLflow run "${run?.name ?? model.runId ?? 'unknown'}" ` +
      `in experiment "${experiment}".`,
    params: fitMap({ ...run?.params, ...model.params }, 'parameter', model.origin, ctx.issues),
    metrics: versionMetrics(model, run),
    datasets: run ? datasetRefs(run, ctx.datasets) : [],
    code: run ? (codeOf(run) ?? null) : null,
    tags: cleanTags(
      {
        ...model.tags,
        [MODEL_KEY_TAG]: model.key,
        'mlflow.run_id': model.runId,
        'mlflow.model_id': model.artifactPath === null ? model.key : null,
        'mlflow.model_uuid': model.modelUuid,
        'mlflow.artifact_path': model.artifactPath,
        'mlflow.flavors': model.flavors.join(', '),
        'mlflow.mlflow_version': model.mlflowVersion,
      },
      model.origin,
      ctx.issues,
    ),
    files: await fileRefs(ctx, model),
  };
}

/** Logged model key to the Stemma version id that holds it, for the registered versions. */
export async function applyLoggedModels(ctx: ApplyContext): Promise<Map<string, string>> {
  const versionOf = new Map<string, string>();
  const groups = new Map<string, MlflowLoggedModel[]>();
  const seen = new Set<string>();
  for (const model of ctx.store.loggedModels) {
    // The same model can be known from its MLmodel and from the run's history tag.
    if (seen.has(model.key)) continue;
    seen.add(model.key);
    const name = loggedModelName(ctx.experiments.get(model.experimentId), model.name);
    groups.set(name, [...(groups.get(name) ?? []), model]);
  }
  for (const [name, models] of groups) {
    try {
      const experiment = ctx.experiments.get(models[0].experimentId);
      await ensureModel(ctx, name, {
        description:
          `Models logged as "${models[0].name}" by the runs of the MLflow experiment ` +
          `"${experiment?.name ?? models[0].experimentId}", one version per logged model.`,
        tags: cleanTags(
          { 'mlflow.experiment_id': models[0].experimentId, 'mlflow.logged_model': 'true' },
          null,
          ctx.issues,
        ),
      });
      ctx.models.add(name);
      const known = await versionsByTag(ctx, name, MODEL_KEY_TAG);
      const fresh = models
        .filter((model) => !known.has(model.key))
        .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0));
      const inputs = [];
      for (const model of fresh) inputs.push(await versionInput(ctx, name, model));
      const created = inputs.length > 0 ? await ctx.registry.registerVersions(inputs) : [];
      ctx.added.loggedModels += created.length;
      // An MLflow 3 model's own metrics live on its version; a run's are counted on the run.
      for (const model of fresh) ctx.added.metricPoints += countPoints(model.metrics);
      ctx.unchanged += models.length - fresh.length;
      const isNew = new Set(created.map((version) => version.id));
      for (const [index, model] of fresh.entries()) known.set(model.key, created[index]);
      for (const model of models) {
        const version = known.get(model.key)!;
        versionOf.set(model.key, version.id);
        const runId = model.runId ? runRecordId(model.runId) : null;
        if (runId && ctx.runRecords.has(runId)) {
          await link(ctx, runId, version.id, 'produced-by', isNew.has(version.id));
        }
      }
    } catch (error) {
      ctx.issues.push(issueOf(error, models[0].origin));
    }
    tick(ctx, `logged models of ${name}`, models.length);
  }
  return versionOf;
}
