/**
 * What writing logged and registered models shares: finding or creating the Stemma model,
 * finding the versions an earlier import made (by an MLflow id kept in a tag), and hashing a
 * logged model's artifact files once for every version that carries them.
 */
import { UnknownModelError } from '$lib/registry/errors';
import { inspectFile } from '$lib/registry/formats/inspect';
import { summarizeInspection } from '$lib/registry/formats/summary';
import type { CreateModelInput, FileRef, Model, ModelVersion } from '$lib/registry/types';
import type { ApplyContext } from './apply-context';
import { issueOf } from './errors';
import type { MlflowLoggedModel } from './types';

/** The model named `name`, created from `input` when missing; `created` says which. */
export async function ensureModel(
  ctx: ApplyContext,
  name: string,
  input: Omit<CreateModelInput, 'name'>,
): Promise<{ model: Model; created: boolean }> {
  try {
    return { model: await ctx.registry.getModel(name), created: false };
  } catch (error) {
    // By code as well as class: a second copy of the registry module has its own classes.
    const unknown =
      error instanceof UnknownModelError || (error as { code?: string })?.code === 'unknown-model';
    if (!unknown) throw error;
    return { model: await ctx.registry.createModel({ name, ...input }), created: true };
  }
}

/** The model's versions (archived too) by the value of `tag`. */
export async function versionsByTag(
  ctx: ApplyContext,
  name: string,
  tag: string,
): Promise<Map<string, ModelVersion>> {
  const versions = await ctx.registry.listVersions(name, { includeArchived: true });
  const out = new Map<string, ModelVersion>();
  for (const version of versions) {
    const value = version.tags[tag];
    if (value !== undefined && !out.has(value)) out.set(value, version);
  }
  return out;
}

const fileRefCache = new WeakMap<MlflowLoggedModel, Promise<FileRef[]>>();

/**
 * The artifact files of a logged model as file references: each hashed, and the MLmodel
 * read for its flavors and signature so the version page shows them.
 */
export function fileRefs(ctx: ApplyContext, model: MlflowLoggedModel): Promise<FileRef[]> {
  let refs = fileRefCache.get(model);
  if (!refs) {
    refs = hashFiles(ctx, model);
    fileRefCache.set(model, refs);
  }
  return refs;
}

async function hashFiles(ctx: ApplyContext, model: MlflowLoggedModel): Promise<FileRef[]> {
  const refs: FileRef[] = [];
  const sizes = new Map(model.files.map((entry) => [entry.path, entry.file.size]));
  for (const entry of model.files) {
    try {
      const file = new File([entry.file], entry.path);
      const ref = await ctx.registry.hashFile(file);
      ref.name = entry.path;
      if (entry.path === 'MLmodel') {
        const inspection = await inspectFile(
          { blob: entry.file, name: 'MLmodel', path: 'MLmodel' },
          {},
          sizes,
        );
        if (!inspection.error) ref.summary = summarizeInspection(inspection);
      }
      refs.push(ref);
    } catch (error) {
      ctx.issues.push({ ...issueOf(error, `${model.origin}: ${entry.path}`), severity: 'warning' });
    }
  }
  return refs;
}
