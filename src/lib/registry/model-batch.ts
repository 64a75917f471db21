/**
 * Models and versions in bulk, for imports: make sure many models exist with one transaction,
 * and look many versions up with a few index reads instead of one query each.
 */
import { InvalidInputError } from './errors';
import type { Commit } from './lineage-service';
import { toModel, toVersion } from './rows';
import type { CreateModelInput, Model, ModelVersion } from './types';
import { checkDescription, checkModelName, checkTags } from './validate';
import type { ModelRow, WorkspaceDb } from '../store/schema';

/** Models by name or id, in one pass over each index. */
async function modelRows(db: WorkspaceDb, keys: readonly string[]): Promise<Map<string, ModelRow>> {
  const unique = [...new Set(keys)];
  const found = new Map<string, ModelRow>();
  for (const row of await db.models.where('name').anyOf(unique).toArray()) found.set(row.name, row);
  const rest = unique.filter((key) => !found.has(key));
  for (const row of await db.models.bulkGet(rest)) if (row) found.set(row.id, row);
  return found;
}

/** Models with their aliases, read for all of them at once. */
async function withAliases(db: WorkspaceDb, rows: ModelRow[]): Promise<Model[]> {
  const ids = [...new Set(rows.map((row) => row.id))];
  const aliasRows = await db.aliases.where('modelId').anyOf(ids).toArray();
  const targets = await db.versions.bulkGet(aliasRows.map((alias) => alias.versionId));
  const aliases = new Map<string, Record<string, number>>();
  aliasRows.forEach((alias, index) => {
    const target = targets[index];
    if (target)
      (aliases.get(alias.modelId) ?? aliases.set(alias.modelId, {}).get(alias.modelId)!)[
        alias.alias
      ] = target.number;
  });
  return rows.map((row) => toModel(row, aliases.get(row.id) ?? {}));
}

/** What `ensureModels` returns: every model asked for, and the names it created. */
export interface EnsuredModels {
  /** In input order. */
  models: Model[];
  created: string[];
}

/**
 * Creates the models that do not exist yet, in one transaction, and returns every model
 * asked for, in input order. Existing models keep their description and tags.
 */
export async function ensureModels(
  db: WorkspaceDb,
  commit: Commit,
  modelIdFor: (name: string) => Promise<string>,
  inputs: readonly CreateModelInput[],
): Promise<EnsuredModels> {
  const checked = inputs.map((input) => ({
    name: checkModelName(input?.name),
    description: checkDescription(input.description),
    tags: checkTags(input.tags),
  }));
  const names = checked.map((input) => input.name);
  const known = await modelRows(db, names);
  const drafts = [];
  const planned = new Set<string>();
  for (const input of checked) {
    if (known.has(input.name) || planned.has(input.name)) continue;
    planned.add(input.name);
    drafts.push({
      type: 'model.created' as const,
      entity: await modelIdFor(input.name),
      payload: input,
    });
  }
  if (drafts.length > 0) await commit(drafts);
  const rows = drafts.length > 0 ? await modelRows(db, names) : known;
  const models = await withAliases(
    db,
    names.map((name) => rows.get(name)!),
  );
  return { models, created: [...planned] };
}

/**
 * Looks versions up by model (name or id) and number; null where the model or the version
 * does not exist.
 */
export async function findVersions(
  db: WorkspaceDb,
  selectors: readonly { model: string; version: number }[],
): Promise<(ModelVersion | null)[]> {
  for (const { version } of selectors) {
    if (!Number.isSafeInteger(version) || version < 1) {
      throw new InvalidInputError(`"${String(version)}" is not a version number.`, 'version');
    }
  }
  const models = await modelRows(
    db,
    selectors.map((selector) => selector.model),
  );
  const keys = selectors.flatMap(({ model, version }) => {
    const row = models.get(model);
    return row ? [[row.id, version] as [string, number]] : [];
  });
  const rows = keys.length ? await db.versions.where('[modelId+number]').anyOf(keys).toArray() : [];
  const byKey = new Map(rows.map((row) => [`${row.modelId}\u0000${row.number}`, row]));
  return selectors.map(({ model, version }) => {
    const row = models.get(model);
    const found = row && byKey.get(`${row.id}\u0000${version}`);
    return found ? toVersion(found) : null;
  });
}
