/**
 * Writes the MLflow model registry: each registered model as the Stemma model of that name,
 * its versions in MLflow's order with their run's content, deleted ones archived, aliases
 * set, and lineage to the run that produced each version and the logged model it registers.
 */
import type { ModelVersion, RegisterVersionInput } from '$lib/registry/types';
import { link, tick, type ApplyContext } from './apply-context';
import { ensureModel, fileRefs, versionsByTag } from './apply-models';
import { issueOf, MissingPartError } from './errors';
import {
  cleanTags,
  codeOf,
  datasetRefs,
  fitMap,
  modelName,
  NAME_TAG,
  runRecordId,
  STAGE_DELETED,
  VERSION_TAG,
  versionMetrics,
} from './mapping';
import type { MlflowLoggedModel, MlflowModelVersion, MlflowRegisteredModel } from './types';

/** The logged model a version registers: by model id, else by run and artifact path. */
function loggedModelOf(ctx: ApplyContext, version: MlflowModelVersion) {
  const models = ctx.store.loggedModels;
  const modelId = version.modelId ?? /^models:\/(m-[^/]+)$/.exec(version.source)?.[1] ?? null;
  if (modelId) return models.find((model) => model.key === modelId) ?? null;
  const path =
    /^runs:\/[^/]+\/(.+)$/.exec(version.source)?.[1] ??
    /\/artifacts\/(.+?)\/?$/.exec(version.source)?.[1] ??
    null;
  const ofRun = models.filter((model) => version.runId && model.runId === version.runId);
  return (
    ofRun.find((model) => model.artifactPath === path) ?? (ofRun.length === 1 ? ofRun[0] : null)
  );
}

async function versionInput(
  ctx: ApplyContext,
  name: string,
  version: MlflowModelVersion,
  logged: MlflowLoggedModel | null,
): Promise<RegisterVersionInput> {
  const run = version.runId ? (ctx.runs.get(version.runId) ?? null) : null;
  return {
    model: name,
    description: version.description,
    params: fitMap({ ...run?.params, ...logged?.params }, 'parameter', version.origin, ctx.issues),
    metrics: versionMetrics(logged, run),
    datasets: run ? datasetRefs(run, ctx.datasets) : [],
    code: run ? (codeOf(run) ?? null) : null,
    tags: cleanTags(
      {
        ...version.tags,
        [VERSION_TAG]: String(version.version),
        'mlflow.source': version.source,
        'mlflow.run_id': version.runId,
        'mlflow.model_id': version.modelId,
        'mlflow.current_stage': version.currentStage === 'None' ? null : version.currentStage,
        'mlflow.status': version.status === 'READY' ? null : version.status,
        'mlflow.user_id': version.userId,
      },
      version.origin,
      ctx.issues,
    ),
    files: logged ? await fileRefs(ctx, logged) : [],
  };
}

/** Brings an existing model's description and tags up to what the store says. */
async function updateModel(ctx: ApplyContext, name: string, source: MlflowRegisteredModel) {
  const model = await ctx.registry.getModel(name);
  let changed = false;
  if (source.description && source.description !== model.description) {
    await ctx.registry.describe({ kind: 'model', id: model.id }, source.description);
    changed = true;
  }
  for (const [key, value] of Object.entries(cleanTags(source.tags, source.origin, ctx.issues))) {
    if (model.tags[key] === value) continue;
    await ctx.registry.setTag({ kind: 'model', id: model.id }, key, value);
    changed = true;
  }
  if (changed) ctx.updated++;
}

async function setAliases(
  ctx: ApplyContext,
  name: string,
  source: MlflowRegisteredModel,
  byNumber: Map<string, ModelVersion>,
) {
  const model = await ctx.registry.getModel(name);
  for (const [alias, number] of Object.entries(source.aliases)) {
    const version = byNumber.get(String(number));
    try {
      if (!version) {
        throw new MissingPartError(
          source.origin,
          `Alias @${alias} points at version ${number}, which the store does not hold; the ` +
            `alias was skipped`,
        );
      }
      if (model.aliases[alias] === version.number) continue;
      await ctx.registry.setAlias(name, alias, version.number);
      ctx.added.aliases++;
    } catch (error) {
      ctx.issues.push(issueOf(error, source.origin));
    }
  }
}

async function linkVersion(
  ctx: ApplyContext,
  source: MlflowModelVersion,
  version: ModelVersion,
  fresh: boolean,
  loggedVersions: Map<string, string>,
  logged: MlflowLoggedModel | null,
) {
  if (source.runId) {
    const runId = runRecordId(source.runId);
    const known =
      ctx.runRecords.has(runId) ||
      (await ctx.registry.getLineageEntity(runId).then(
        () => true,
        () => false,
      ));
    if (known) await link(ctx, runId, version.id, 'produced-by', fresh);
    else if (fresh) {
      ctx.issues.push(
        new MissingPartError(
          source.origin,
          `Version ${source.version} names run ${source.runId}, which is not in this import; ` +
            `it was imported without a link to its run`,
        ).toIssue('warning'),
      );
    }
  }
  const loggedVersion = logged ? loggedVersions.get(logged.key) : undefined;
  if (loggedVersion && loggedVersion !== version.id) {
    await link(ctx, loggedVersion, version.id, 'derived-from', fresh);
  }
}

async function applyModel(
  ctx: ApplyContext,
  source: MlflowRegisteredModel,
  loggedVersions: Map<string, string>,
) {
  // A Stemma export keeps names MLflow cannot hold (with "/") in a tag; read it back.
  const { [NAME_TAG]: stemmaName, ...tags } = source.tags;
  const name = modelName(stemmaName || source.name);
  const { created } = await ensureModel(ctx, name, {
    description: source.description,
    tags: cleanTags(tags, source.origin, ctx.issues),
  });
  ctx.models.add(name);
  if (created) ctx.added.registeredModels++;
  else await updateModel(ctx, name, { ...source, tags });

  const known = await versionsByTag(ctx, name, VERSION_TAG);
  const fresh = source.versions.filter((version) => !known.has(String(version.version)));
  const logged = new Map(source.versions.map((v) => [v.version, loggedModelOf(ctx, v)]));
  const inputs = [];
  for (const version of fresh) {
    inputs.push(await versionInput(ctx, name, version, logged.get(version.version)!));
  }
  const made = inputs.length > 0 ? await ctx.registry.registerVersions(inputs) : [];
  ctx.added.versions += made.length;
  ctx.unchanged += source.versions.length - fresh.length;
  for (const [index, version] of fresh.entries()) known.set(String(version.version), made[index]);

  const isNew = new Set(made.map((version) => version.id));
  for (const version of source.versions) {
    const stemma = known.get(String(version.version))!;
    await linkVersion(
      ctx,
      version,
      stemma,
      isNew.has(stemma.id),
      loggedVersions,
      logged.get(version.version)!,
    );
    if (version.currentStage === STAGE_DELETED && !stemma.archived) {
      await ctx.registry.archive({ kind: 'version', id: stemma.id });
      if (!isNew.has(stemma.id)) ctx.updated++;
    }
  }
  await setAliases(ctx, name, source, known);
}

export async function applyRegisteredModels(
  ctx: ApplyContext,
  loggedVersions: Map<string, string>,
): Promise<void> {
  for (const source of ctx.store.registeredModels) {
    try {
      await applyModel(ctx, source, loggedVersions);
    } catch (error) {
      ctx.issues.push(issueOf(error, source.origin));
    }
    tick(ctx, `registered model ${source.name}`, source.versions.length || 1);
  }
}
