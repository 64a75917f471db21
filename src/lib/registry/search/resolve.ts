/**
 * Resolves a model URI to the version row it names, through the `models`, `aliases` and
 * `versions` projections. Archived versions resolve too: a URI pinned in a deployment should
 * keep pointing at what it named; the caller decides whether to warn.
 */
import type { VersionRow, WorkspaceDb } from '../../store/schema';
import { UnknownAliasError, UnknownModelError, UnknownVersionError } from '../errors';
import { parseModelUri } from './uri';

/**
 * The version `uri` names. Throws `InvalidUriError` for a malformed URI, and
 * `UnknownModelError`, `UnknownVersionError` or `UnknownAliasError` when it names nothing.
 *
 * @example await resolveModelUri(db, 'models:/bert-base@champion')
 */
export async function resolveModelUri(db: WorkspaceDb, uri: string): Promise<VersionRow> {
  const target = parseModelUri(uri);

  return db.transaction('r', db.models, db.aliases, db.versions, async () => {
    const model = await db.models.where('name').equals(target.model).first();
    if (!model) throw new UnknownModelError(target.model);

    if (target.kind === 'version') {
      const version = await db.versions
        .where('[modelId+number]')
        .equals([model.id, target.version])
        .first();
      if (!version) throw new UnknownVersionError(target.model, target.version);
      return version;
    }

    if (target.kind === 'alias') {
      const alias = await db.aliases.get([model.id, target.alias]);
      const version = alias ? await db.versions.get(alias.versionId) : undefined;
      if (!version) throw new UnknownAliasError(target.model, target.alias);
      return version;
    }

    const latest = await db.versions
      .where('[modelId+number]')
      .between([model.id, -Infinity], [model.id, Infinity])
      .reverse()
      .filter((version) => version.archived === 0)
      .first();
    if (!latest) throw new UnknownVersionError(target.model, 'latest');
    return latest;
  });
}
