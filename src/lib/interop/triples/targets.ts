/**
 * Which registry node a term from an imported file stands for, creating what is missing.
 *
 * The mapping, in order, for a term on a model end of a link:
 * 1. `models:/name/3` or `models:/name@champion`: that version (it must exist);
 * 2. the id of a version, or of a recorded dataset, run or code: that node;
 * 3. a label as Stemma shows it, `bert v3`: that version, when it exists;
 * 4. anything else is a model name (a Hugging Face id `org/name`, spelled as cards spell it:
 *    URLs and stray slashes removed): **version 1 of the model with that name**, created
 *    with its first version when missing. A repository id names a repository, not a release,
 *    and version 1 is the one choice that stays the same on every re-import; to point at a
 *    later version, write `models:/name/N`.
 *
 * A term on a dataset end (`trained-on`, `evaluated-on`) is a recorded dataset's id, else the
 * dataset with that name, else a new dataset record named by the term; a run end likewise.
 */
import type { Registry } from '../../registry/api';
import { InvalidInputError, StemmaError } from '../../registry/errors';
import type { RecordDatasetInput } from '../../registry/lineage-types';
import type { CreateModelInput, RegisterVersionInput } from '../../registry/types';
import { checkModelName } from '../../registry/validate';
import { normaliseHfModelId } from '../../lineage/hf-card-lineage';
import type { ImportReport } from './report';

export type TargetKind = 'version' | 'dataset' | 'run';

export interface TargetRequest {
  kind: TargetKind;
  term: string;
}

export interface TargetOptions {
  /** Description and tags of a model made for a name not yet registered. */
  newModel?: (name: string) => Omit<CreateModelInput, 'name'>;
  /** What version 1 of such a model holds. */
  newVersion?: (name: string) => Omit<RegisterVersionInput, 'model'>;
  /** Fields of a dataset record made for a dataset term. */
  newDataset?: (term: string) => Omit<RecordDatasetInput, 'id' | 'name'>;
  /**
   * Every version term is a model name: skip the id, URI and label look-ups (one read per
   * term), for large graphs whose terms are all repository ids.
   */
  namesOnly?: boolean;
  /** Models and versions written per transaction. */
  chunk?: number;
  onProgress?: (done: number, total: number) => void;
}

/** The key a request's answer is kept under. */
export function targetKey(kind: TargetKind, term: string): string {
  return `${kind}\u0000${term}`;
}

/** The model name a term stands for when it is nothing else. */
export function modelNameOf(term: string): string {
  return checkModelName(normaliseHfModelId(term));
}

const LABEL = /^(.+) v(\d{1,9})$/;
const VERSION_ID = /^[0-9a-f]{32}$/;

/**
 * Resolves terms to node ids, remembering answers across calls so one import resolves each
 * term once. Creations are counted in `report`.
 */
export class TargetResolver {
  private readonly answers = new Map<string, string | StemmaError>();
  /** Models whose version 1 this resolver registered (so it holds what the import gave). */
  readonly createdNames = new Set<string>();

  constructor(
    private readonly registry: Registry,
    private readonly report: ImportReport,
    private readonly options: TargetOptions = {},
  ) {}

  /** Each request's node id, or the error that kept it from resolving, by `targetKey`. */
  async resolve(requests: readonly TargetRequest[]): Promise<Map<string, string | StemmaError>> {
    const open = new Map<string, TargetRequest>();
    for (const request of requests) {
      const key = targetKey(request.kind, request.term);
      if (!this.answers.has(key)) open.set(key, request);
    }
    const byKind = (kind: TargetKind) =>
      [...open.values()].filter((request) => request.kind === kind).map(({ term }) => term);
    await this.resolveVersions(byKind('version'));
    await this.resolveRecords('dataset', byKind('dataset'));
    await this.resolveRecords('run', byKind('run'));
    return this.answers;
  }

  private answer(kind: TargetKind, term: string, value: string | StemmaError) {
    this.answers.set(targetKey(kind, term), value);
  }

  private async resolveVersions(terms: string[]): Promise<void> {
    const byName: string[] = [];
    const labels: { term: string; model: string; version: number }[] = [];
    for (const term of terms) {
      if (this.options.namesOnly) {
        byName.push(term);
        continue;
      }
      const found = await this.lookUp(term);
      if (found !== null) {
        this.answer('version', term, found);
        continue;
      }
      const label = LABEL.exec(term);
      if (label) labels.push({ term, model: label[1], version: Number(label[2]) });
      else byName.push(term);
    }
    if (labels.length > 0) {
      const versions = await this.registry.findVersions(labels);
      labels.forEach(({ term }, index) => {
        const version = versions[index];
        if (version) this.answer('version', term, version.id);
        else byName.push(term);
      });
    }
    await this.resolveNames(byName);
  }

  /** A URI's version, or a node with exactly this id; null when the term is neither. */
  private async lookUp(term: string): Promise<string | StemmaError | null> {
    if (term.startsWith('models:/')) {
      try {
        return (await this.registry.resolveUri(term)).id;
      } catch (error) {
        return error instanceof StemmaError ? error : new InvalidInputError(String(error));
      }
    }
    if (VERSION_ID.test(term)) {
      const version = await this.registry.getVersionById(term).catch(() => null);
      if (version) return version.id;
    }
    const entity = await this.registry.getLineageEntity(term).catch(() => null);
    return entity ? entity.id : null;
  }

  /** Version 1 of the model each term names, creating models and versions in chunks. */
  private async resolveNames(terms: string[]): Promise<void> {
    const names = new Map<string, string[]>();
    for (const term of terms) {
      try {
        const name = modelNameOf(term);
        names.set(name, [...(names.get(name) ?? []), term]);
      } catch (error) {
        this.answer('version', term, error as StemmaError);
      }
    }
    const all = [...names.keys()];
    const chunk = this.options.chunk ?? 2_000;
    for (let start = 0; start < all.length; start += chunk) {
      const slice = all.slice(start, start + chunk);
      const ids = await this.firstVersions(slice);
      slice.forEach((name, index) => {
        for (const term of names.get(name)!) this.answer('version', term, ids[index]);
      });
      this.options.onProgress?.(Math.min(all.length, start + chunk), all.length);
    }
  }

  private async firstVersions(names: string[]): Promise<(string | StemmaError)[]> {
    const { models, created } = await this.registry.ensureModels(
      names.map((name) => ({ name, ...this.options.newModel?.(name) })),
    );
    this.report.created.models += created.length;
    // An archived model takes no new version; its terms are reported below.
    const bare = models.filter((model) => model.versionCount === 0 && !model.archived);
    if (bare.length > 0) {
      await this.registry.registerVersions(
        bare.map((model) => ({ ...this.options.newVersion?.(model.name), model: model.name })),
      );
      this.report.created.versions += bare.length;
      for (const model of bare) this.createdNames.add(model.name);
    }
    const versions = await this.registry.findVersions(
      names.map((model) => ({ model, version: 1 })),
    );
    return versions.map(
      (version, index) =>
        version?.id ??
        new InvalidInputError(`Model "${names[index]}" has no version 1 to link to.`, 'model'),
    );
  }

  private async resolveRecords(kind: 'dataset' | 'run', terms: string[]): Promise<void> {
    if (terms.length === 0) return;
    const known = await this.registry.listLineageEntities(kind, { includeArchived: true });
    const byId = new Map(known.map((entity) => [entity.id, entity.id]));
    const byName = new Map<string, string>();
    for (const entity of known) if (!byName.has(entity.name)) byName.set(entity.name, entity.id);
    for (const term of terms) {
      const found = byId.get(term) ?? byName.get(term);
      if (found) {
        this.answer(kind, term, found);
        continue;
      }
      try {
        const id = `${kind}:${term}`;
        const entity =
          kind === 'dataset'
            ? await this.registry.recordDataset({
                ...this.options.newDataset?.(term),
                id,
                name: term,
              })
            : await this.registry.recordRun({ id, name: term });
        byName.set(term, entity.id);
        this.report.created[kind === 'dataset' ? 'datasets' : 'runs'] += 1;
        this.answer(kind, term, entity.id);
      } catch (error) {
        this.answer(kind, term, error as StemmaError);
      }
    }
  }
}
