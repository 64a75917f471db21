/**
 * Exports the workspace's registry as an MLflow file-store registry folder, zipped:
 *   mlruns/models/<name>/meta.yaml, tags/<key>, aliases/<alias>,
 *   mlruns/models/<name>/version-<n>/meta.yaml, tags/<key>
 * Version numbers are the MLflow ones an import kept (`mlflow.version`) when every version
 * has one, else Stemma's. Archived versions are written as deleted (`Deleted_Internal`), the
 * mirror of the import. A name MLflow cannot hold ("/", "%") is made safe for the folder and
 * the meta, and the Stemma name kept in the `stemma.model_name` tag.
 */
import { stringify } from 'yaml';
import type { Registry } from '$lib/registry/api';
import type { Model, ModelVersion } from '$lib/registry/types';
import { NAME_TAG, STAGE_DELETED, VERSION_TAG } from './mapping';
import { writeZip, type ZipInput } from './zip-writer';

/** Version tags that become meta.yaml fields instead of tag files. */
const META_TAGS = new Set([
  VERSION_TAG,
  'mlflow.source',
  'mlflow.run_id',
  'mlflow.model_id',
  'mlflow.current_stage',
  'mlflow.status',
  'mlflow.user_id',
]);

/** A path segment MLflow and every unzip accept. */
function safeSegment(name: string): string {
  const clean = name.replace(/[/\\%]/g, '_').replace(/^\.+$/, '_');
  return clean === '' ? '_' : clean;
}

/** A tag key as a relative path; null when it could escape (`..`, absolute, empty parts). */
function keyPath(key: string): string | null {
  const parts = key.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..' || part.includes('\\'))) {
    return null;
  }
  return key;
}

async function allModels(registry: Registry): Promise<Model[]> {
  const models: Model[] = [];
  for (let page = 0; ; page++) {
    const result = await registry.listModels({ page, pageSize: 200, includeArchived: true });
    models.push(...result.models);
    if (!result.hasMore) return models;
  }
}

/** MLflow numbers by version id: the kept ones when all are there and distinct. */
function mlflowNumbers(versions: ModelVersion[]): Map<string, number> {
  const kept = versions.map((version) => Number(version.tags[VERSION_TAG]));
  const usable =
    kept.every((number) => Number.isSafeInteger(number) && number > 0) &&
    new Set(kept).size === kept.length;
  return new Map(versions.map((version, i) => [version.id, usable ? kept[i] : version.number]));
}

function tagFiles(folder: string, tags: Record<string, string>, skip: Set<string>): ZipInput[] {
  const out: ZipInput[] = [];
  for (const [key, value] of Object.entries(tags)) {
    const path = keyPath(key);
    if (skip.has(key) || path === null) continue;
    out.push({ path: `${folder}/tags/${path}`, content: value });
  }
  return out;
}

function versionMeta(name: string, version: ModelVersion, number: number) {
  const tags = version.tags;
  const source = tags['mlflow.source'] ?? `models:/${name}/${number}`;
  const meta: Record<string, unknown> = {
    aliases: [],
    creation_timestamp: version.createdAt,
    current_stage: version.archived ? STAGE_DELETED : (tags['mlflow.current_stage'] ?? 'None'),
    description: version.description,
    last_updated_timestamp: version.updatedAt,
    name,
    run_id: tags['mlflow.run_id'] ?? '',
    run_link: '',
    source,
    status: tags['mlflow.status'] ?? 'READY',
    status_message: null,
    storage_location: source,
    user_id: tags['mlflow.user_id'] ?? null,
    version: number,
  };
  if (tags['mlflow.model_id']) meta.model_id = tags['mlflow.model_id'];
  return meta;
}

/** The files of the export, by path, before zipping. */
export async function mlflowRegistryFiles(registry: Registry): Promise<ZipInput[]> {
  const files: ZipInput[] = [];
  const used = new Set<string>();
  for (const model of await allModels(registry)) {
    let mlflowName = safeSegment(model.name);
    for (let n = 2; used.has(mlflowName.toLowerCase()); n++) {
      mlflowName = `${safeSegment(model.name)}_${n}`;
    }
    used.add(mlflowName.toLowerCase());
    const folder = `mlruns/models/${mlflowName}`;
    const modelTags = { ...model.tags };
    if (mlflowName !== model.name) modelTags[NAME_TAG] = model.name;
    files.push({
      path: `${folder}/meta.yaml`,
      content: stringify({
        creation_timestamp: model.createdAt,
        description: model.description,
        last_updated_timestamp: model.updatedAt,
        name: mlflowName,
      }),
    });
    files.push(...tagFiles(folder, modelTags, new Set()));
    const versions = await registry.listVersions(model.id, { includeArchived: true });
    const numbers = mlflowNumbers(versions);
    const byNumber = new Map(versions.map((version) => [version.number, version]));
    for (const [alias, number] of Object.entries(model.aliases)) {
      const version = byNumber.get(number);
      if (version) {
        files.push({
          path: `${folder}/aliases/${alias}`,
          content: String(numbers.get(version.id)),
        });
      }
    }
    for (const version of versions) {
      const number = numbers.get(version.id)!;
      const versionFolder = `${folder}/version-${number}`;
      files.push({
        path: `${versionFolder}/meta.yaml`,
        content: stringify(versionMeta(mlflowName, version, number)),
      });
      files.push(...tagFiles(versionFolder, version.tags, META_TAGS));
    }
  }
  return files;
}

/** The registry as a zip of an MLflow `mlruns/models/` folder. */
export async function exportMlflowRegistry(registry: Registry): Promise<Blob> {
  return writeZip(await mlflowRegistryFiles(registry));
}
