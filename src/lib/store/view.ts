/**
 * Where the fold reads and writes projection rows. The same synchronous reducer runs over a
 * `MemoryView` (rebuilds, "as of" views) and over a `PreloadedView` (incremental application
 * inside a write transaction), so a rebuild and an incremental fold cannot drift apart.
 */
import type { StemmaEvent } from './event';
import type {
  ActorRow,
  AliasRow,
  FileRow,
  MetricRow,
  ModelRow,
  VersionRow,
  WorkspaceDb,
} from './schema';

export interface ProjectionView {
  getModel(id: string): ModelRow | undefined;
  putModel(row: ModelRow): void;
  getVersion(id: string): VersionRow | undefined;
  putVersion(row: VersionRow): void;
  versionsOfModel(modelId: string): VersionRow[];
  getAlias(modelId: string, alias: string): AliasRow | undefined;
  putAlias(row: AliasRow): void;
  deleteAlias(modelId: string, alias: string): void;
  addMetrics(rows: MetricRow[]): void;
  addFiles(rows: FileRow[]): void;
  putActor(row: ActorRow): void;
}

const aliasKey = (modelId: string, alias: string) => `${modelId}\u0000${alias}`;

/** Rows held in maps: the fold's scratch space, and the result of a full rebuild. */
export class MemoryView implements ProjectionView {
  readonly models = new Map<string, ModelRow>();
  readonly versions = new Map<string, VersionRow>();
  readonly aliases = new Map<string, AliasRow>();
  readonly metrics: MetricRow[] = [];
  readonly files: FileRow[] = [];
  readonly actors = new Map<string, ActorRow>();
  private readonly byModel = new Map<string, Set<string>>();

  getModel(id: string) {
    return this.models.get(id);
  }
  putModel(row: ModelRow) {
    this.models.set(row.id, row);
  }
  getVersion(id: string) {
    return this.versions.get(id);
  }
  putVersion(row: VersionRow) {
    this.versions.set(row.id, row);
    let ids = this.byModel.get(row.modelId);
    if (!ids) this.byModel.set(row.modelId, (ids = new Set()));
    ids.add(row.id);
  }
  versionsOfModel(modelId: string) {
    return [...(this.byModel.get(modelId) ?? [])].map((id) => this.versions.get(id)!);
  }
  getAlias(modelId: string, alias: string) {
    return this.aliases.get(aliasKey(modelId, alias));
  }
  putAlias(row: AliasRow) {
    this.aliases.set(aliasKey(row.modelId, row.alias), row);
  }
  deleteAlias(modelId: string, alias: string) {
    this.aliases.delete(aliasKey(modelId, alias));
  }
  addMetrics(rows: MetricRow[]) {
    for (const row of rows) this.metrics.push(row);
  }
  addFiles(rows: FileRow[]) {
    for (const row of rows) this.files.push(row);
  }
  putActor(row: ActorRow) {
    this.actors.set(row.id, row);
  }

  /** Writes every row into the database (inside the caller's transaction). */
  async writeTo(db: WorkspaceDb): Promise<void> {
    await db.models.bulkPut([...this.models.values()]);
    await db.versions.bulkPut([...this.versions.values()]);
    await db.aliases.bulkPut([...this.aliases.values()]);
    await db.metrics.bulkPut(this.metrics);
    await db.files.bulkPut(this.files);
    await db.actors.bulkPut([...this.actors.values()]);
  }
}

/**
 * A memory view seeded with the stored rows a batch of events can touch, that remembers what
 * changed so `flush` writes only that. `preload` reads those rows first, since the fold
 * itself cannot wait on IndexedDB.
 */
export class PreloadedView extends MemoryView {
  private readonly dirtyModels = new Set<string>();
  private readonly dirtyVersions = new Set<string>();
  private readonly dirtyAliases = new Map<string, AliasRow | null>();

  /**
   * Loads the stored rows that these scopes' events may read, in a few bulk reads rather than
   * a round trip per scope. Call inside the transaction.
   */
  async preload(db: WorkspaceDb, scopes: Map<string, StemmaEvent[]>): Promise<void> {
    const modelIds = [...scopes.keys()].filter((scope) => !scope.startsWith('actor:'));
    if (modelIds.length === 0) return;
    const models = await db.models.bulkGet(modelIds);
    for (const model of models) if (model) super.putModel(model);
    const aliases = await db.aliases.where('modelId').anyOf(modelIds).toArray();
    for (const alias of aliases) super.putAlias(alias);

    // Model tags feed every version's effective tags, so such events need all versions.
    const wholeModels: string[] = [];
    const ids = new Set<string>(aliases.map((alias) => alias.versionId));
    for (const scope of modelIds) {
      const events = scopes.get(scope)!;
      const touchesAll = events.some(
        (event) =>
          event.type === 'model.created' ||
          ((event.type === 'tag.set' || event.type === 'tag.removed') &&
            (event.payload as { target: string }).target === 'model'),
      );
      if (touchesAll) wholeModels.push(scope);
      for (const event of events) {
        ids.add(event.entity);
        const target = (event.payload as { versionId?: string }).versionId;
        if (target) ids.add(target);
      }
    }
    const versions = [
      ...(await db.versions.bulkGet([...ids])),
      ...(wholeModels.length
        ? await db.versions.where('modelId').anyOf(wholeModels).toArray()
        : []),
    ];
    for (const version of versions) if (version) super.putVersion(version);
  }

  putModel(row: ModelRow) {
    super.putModel(row);
    this.dirtyModels.add(row.id);
  }
  putVersion(row: VersionRow) {
    super.putVersion(row);
    this.dirtyVersions.add(row.id);
  }
  putAlias(row: AliasRow) {
    super.putAlias(row);
    this.dirtyAliases.set(aliasKey(row.modelId, row.alias), row);
  }
  deleteAlias(modelId: string, alias: string) {
    super.deleteAlias(modelId, alias);
    this.dirtyAliases.set(aliasKey(modelId, alias), null);
  }

  /** The ids of the version rows `flush` writes. */
  changedVersionIds(): Iterable<string> {
    return this.dirtyVersions;
  }

  /** Writes what the fold changed. */
  async flush(db: WorkspaceDb): Promise<void> {
    const removed = [...this.dirtyAliases]
      .filter(([, row]) => row === null)
      .map(([key]) => key.split('\u0000') as [string, string]);
    const aliasRows = [...this.dirtyAliases.values()].filter((row): row is AliasRow => !!row);
    await db.models.bulkPut([...this.dirtyModels].map((id) => this.models.get(id)!));
    await db.versions.bulkPut([...this.dirtyVersions].map((id) => this.versions.get(id)!));
    await db.aliases.bulkDelete(removed);
    await db.aliases.bulkPut(aliasRows);
    await db.metrics.bulkPut(this.metrics);
    await db.files.bulkPut(this.files);
    await db.actors.bulkPut([...this.actors.values()]);
  }
}
