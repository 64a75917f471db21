/**
 * The model registry of a file store: `models/<name>/meta.yaml` with `tags/` and `aliases/`
 * (each alias a file holding a version number), and `version-<n>/meta.yaml` with `tags/`.
 * Deleted versions stay on disk with `current_stage: Deleted_Internal`; they are read too.
 */
import { issueOf, MalformedMetaError } from './errors';
import { millis, parseMeta, requireText, text } from './read-meta';
import type { StoreTree } from './tree';
import type { ImportIssue, MlflowModelVersion, MlflowRegisteredModel } from './types';

/**
 * The version's run id. An unquoted hex id can read back from YAML as a number (`...0e5`),
 * losing its text: then the id is taken from the source path, `.../<run id>/artifacts/...`.
 */
function runIdOf(meta: Record<string, unknown>): string | null {
  if (typeof meta.run_id === 'string') return meta.run_id || null;
  const source = text(meta, 'source') ?? '';
  return /(?:^|\/)([0-9a-f]{32})\/artifacts(?:\/|$)/.exec(source)?.[1] ?? text(meta, 'run_id');
}

async function readVersion(tree: StoreTree, folder: string): Promise<MlflowModelVersion> {
  const file = tree.file(`${folder}/meta.yaml`)!;
  const meta = parseMeta(await file.text(), file.path);
  const raw = text(meta, 'version') ?? folder.slice(folder.lastIndexOf('version-') + 8);
  const version = Number(raw);
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new MalformedMetaError(file.path, `its version "${raw}" is not a whole number`);
  }
  return {
    version,
    description: text(meta, 'description') ?? '',
    currentStage: text(meta, 'current_stage') ?? 'None',
    source: text(meta, 'source') ?? '',
    runId: runIdOf(meta),
    modelId: text(meta, 'model_id') || null,
    status: text(meta, 'status') ?? 'READY',
    createdAt: millis(meta, 'creation_timestamp'),
    userId: text(meta, 'user_id') || null,
    tags: await tree.values(`${folder}/tags`),
    origin: file.path,
  };
}

async function readModel(
  tree: StoreTree,
  folder: string,
  issues: ImportIssue[],
): Promise<MlflowRegisteredModel> {
  const file = tree.file(`${folder}/meta.yaml`)!;
  const meta = parseMeta(await file.text(), file.path);
  const aliases: Record<string, number> = {};
  for (const [alias, value] of Object.entries(await tree.values(`${folder}/aliases`))) {
    const version = Number(value.trim());
    if (Number.isSafeInteger(version) && version > 0) aliases[alias] = version;
    else {
      issues.push(
        new MalformedMetaError(
          `${file.path.slice(0, -'meta.yaml'.length)}aliases/${alias}`,
          `alias @${alias} names version "${value.trim().slice(0, 20)}", not a number`,
          1,
        ).toIssue(),
      );
    }
  }
  const model: MlflowRegisteredModel = {
    name: requireText(meta, 'name', file.path),
    description: text(meta, 'description') ?? '',
    createdAt: millis(meta, 'creation_timestamp'),
    tags: await tree.values(`${folder}/tags`),
    aliases,
    versions: [],
    origin: file.path,
  };
  for (const name of tree.folders(folder)) {
    if (!/^version-\d+$/.test(name) || !tree.file(`${folder}/${name}/meta.yaml`)) continue;
    try {
      model.versions.push(await readVersion(tree, `${folder}/${name}`));
    } catch (error) {
      issues.push(issueOf(error, tree.file(`${folder}/${name}/meta.yaml`)!.path));
    }
  }
  model.versions.sort((a, b) => a.version - b.version);
  return model;
}

export async function readRegistry(
  tree: StoreTree,
  issues: ImportIssue[],
): Promise<MlflowRegisteredModel[]> {
  const models: MlflowRegisteredModel[] = [];
  for (const name of tree.folders('models')) {
    const folder = `models/${name}`;
    if (!tree.file(`${folder}/meta.yaml`)) continue;
    try {
      models.push(await readModel(tree, folder, issues));
    } catch (error) {
      issues.push(issueOf(error, tree.file(`${folder}/meta.yaml`)!.path));
    }
  }
  return models;
}
