/**
 * The registry: commands that turn what a user asks for into signed events, on top of the
 * queries over the projections (`registry-reads.ts`). Every command validates first, then
 * appends its events in one transaction, so a failure leaves nothing half-written.
 */
import type { Registry, VersionSelector } from './api';
import {
  ArchivedError,
  DuplicateModelError,
  InvalidInputError,
  QuotaError,
  UnknownVersionError,
} from './errors';
import { blobStore, keepFileBytes, keptFiles } from './file-bytes';
import { hashFile } from './file-hash';
import { InspectionClient, type ClientInspectOptions } from './formats/client';
import { InsightsService } from './insights-service';
import type { LineageProjection } from './lineage-projection';
import { LineageQueries } from './lineage-queries';
import { LineageService } from './lineage-service';
import { ensureModels, findVersions } from './model-batch';
import { TeamService } from './team-service';
import { RegistryReads } from './registry-reads';
import { toVersion } from './rows';
import { persistStorage, storageReport } from './storage-report';
import type {
  AddLineageEdgeInput,
  LineageNeighbourhoodOptions,
  LineageQueryOptions,
  RecordCodeInput,
  RecordDatasetInput,
  RecordRunInput,
} from './lineage-types';
import type {
  ActorInfo,
  CreateModelInput,
  EntityRef,
  FileRef,
  LineageRecordKind,
  RegisterVersionInput,
} from './types';
import {
  checkAliasName,
  checkDescription,
  checkKey,
  checkModelName,
  checkTags,
  checkVersionInput,
} from './validate';
import { exportWorkspace, importWorkspace } from './workspace-file';
import { sha256Hex } from '../store/bytes';
import { sealEvent, type EventPayloads, type EventType, type StemmaEvent } from '../store/event';
import { HybridClock } from '../store/hlc';
import { saveDisplayName, type Identity } from '../store/identity';
import type { EventLog } from '../store/log';
import type { ModelRow } from '../store/schema';

/** Model ids derive from names, so peers that create the same name meet in one model. */
export async function modelIdFor(name: string): Promise<string> {
  return (await sha256Hex(`model\u0000${name}`)).slice(0, 32);
}

function randomId(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

export class EventRegistry extends RegistryReads implements Registry {
  readonly actor: ActorInfo;
  private readonly listeners = new Set<() => void>();
  private readonly channel: BroadcastChannel | null;
  private inspector: InspectionClient | null = null;
  private readonly lineage: LineageService;
  private readonly lineageQueries: LineageQueries;
  readonly insights: InsightsService;
  readonly team: TeamService;

  /** @param lineageProjection the projection whose folds `log` was opened with */
  constructor(
    log: EventLog,
    private readonly identity: Identity,
    private readonly clock: HybridClock,
    lineageProjection: LineageProjection,
    private readonly identityDbName = 'stemma-identity',
  ) {
    super(log);
    this.actor = { id: identity.actor, displayName: identity.displayName };
    this.lineage = new LineageService(log.db, lineageProjection, (drafts) => this.commit(drafts));
    this.lineageQueries = new LineageQueries(log.db, lineageProjection);
    this.insights = new InsightsService(log.db, this);
    this.team = new TeamService(this, identityDbName, blobStore(log.db));
    this.channel =
      typeof BroadcastChannel === 'undefined'
        ? null
        : new BroadcastChannel(`stemma-changes-${log.workspaceId}`);
    this.channel?.addEventListener('message', () => this.notify(false));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(broadcast = true) {
    if (broadcast) this.channel?.postMessage('changed');
    for (const listener of this.listeners) listener();
  }

  /** Signs events made from `drafts` and appends them in one transaction. */
  private async commit(
    drafts: { type: EventType; entity: string; payload: EventPayloads[EventType] }[],
  ): Promise<StemmaEvent[]> {
    const events = await Promise.all(
      drafts.map((draft) =>
        sealEvent({ ...draft, hlc: this.clock.now(), actor: this.identity.actor }, this.identity),
      ),
    );
    this.commitGuard?.(events);
    try {
      await this.log.append(events);
    } catch (cause) {
      const name = (cause as { name?: string; inner?: { name?: string } })?.name;
      const inner = (cause as { inner?: { name?: string } })?.inner?.name;
      if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
        throw new QuotaError(cause);
      }
      throw cause;
    }
    this.notify();
    return events;
  }

  async setDisplayName(raw: string): Promise<void> {
    const displayName = typeof raw === 'string' ? raw.trim() : '';
    if (!displayName || displayName.length > 80) {
      throw new InvalidInputError('Pick a display name of 1 to 80 characters.', 'displayName');
    }
    await this.commit([{ type: 'actor.named', entity: this.actor.id, payload: { displayName } }]);
    await saveDisplayName(displayName, this.identityDbName);
    this.actor.displayName = displayName;
  }

  async createModel(input: CreateModelInput) {
    const name = checkModelName(input?.name);
    const description = checkDescription(input.description);
    const tags = checkTags(input.tags);
    if (await this.log.db.models.where('name').equals(name).first()) {
      throw new DuplicateModelError(name);
    }
    const id = await modelIdFor(name);
    await this.commit([
      { type: 'model.created', entity: id, payload: { name, description, tags } },
    ]);
    return this.getModel(id);
  }

  ensureModels(inputs: CreateModelInput[]) {
    return ensureModels(this.log.db, (drafts) => this.commit(drafts), modelIdFor, inputs);
  }

  findVersions(selectors: { model: string; version: number }[]) {
    return findVersions(this.log.db, selectors);
  }

  async registerVersion(input: RegisterVersionInput) {
    const [version] = await this.registerVersions([input]);
    return version;
  }

  async registerVersions(inputs: RegisterVersionInput[]) {
    const now = Date.now();
    const models = new Map<string, ModelRow>();
    const counts = new Map<string, number>();
    const drafts = [];
    for (const input of inputs) {
      let model = models.get(input.model);
      if (!model) {
        model = await this.modelRow(input.model);
        if (model.archived) throw new ArchivedError(`Model "${model.name}"`, 'get new versions');
        models.set(input.model, model);
      }
      const requestedNumber = (counts.get(model.id) ?? model.versionCount) + 1;
      counts.set(model.id, requestedNumber);
      const payload = { modelId: model.id, requestedNumber, ...checkVersionInput(input, now) };
      drafts.push({ type: 'version.registered' as const, entity: randomId(), payload });
    }
    const events = await this.commit(drafts);
    const rows = await this.log.db.versions.bulkGet(events.map((event) => event.entity));
    return rows.map((row) => toVersion(row!));
  }

  async setAlias(model: string, rawAlias: string, selector: VersionSelector) {
    const alias = checkAliasName(rawAlias);
    const version = await this.versionRow(model, selector);
    if (version.archived) {
      throw new ArchivedError(
        `Version ${version.number} of "${version.modelName}"`,
        'hold an alias',
      );
    }
    const current = await this.log.db.aliases.get([version.modelId, alias]);
    const payload = { alias, versionId: version.id, previous: current?.versionId ?? null };
    await this.commit([{ type: 'alias.set', entity: version.modelId, payload }]);
  }

  async removeAlias(model: string, rawAlias: string) {
    const alias = checkAliasName(rawAlias);
    const row = await this.modelRow(model);
    if (!(await this.log.db.aliases.get([row.id, alias]))) {
      throw new InvalidInputError(`Model "${row.name}" has no alias @${alias} to remove.`, 'alias');
    }
    await this.commit([{ type: 'alias.removed', entity: row.id, payload: { alias } }]);
  }

  async setTag(target: EntityRef, rawKey: string, value: string) {
    const key = checkKey(rawKey, 'tag', 'tags');
    const [checked] = Object.values(checkTags({ [key]: value }));
    const { modelId } = await this.scopeOf(target);
    await this.commit([
      {
        type: 'tag.set',
        entity: target.id,
        payload: { modelId, target: target.kind, key, value: checked },
      },
    ]);
  }

  async removeTag(target: EntityRef, rawKey: string) {
    const key = checkKey(rawKey, 'tag', 'tags');
    const { modelId } = await this.scopeOf(target);
    await this.commit([
      { type: 'tag.removed', entity: target.id, payload: { modelId, target: target.kind, key } },
    ]);
  }

  async describe(target: EntityRef, markdown: string) {
    const description = checkDescription(markdown);
    const { modelId } = await this.scopeOf(target);
    if (target.kind === 'model') {
      await this.commit([{ type: 'model.described', entity: modelId, payload: { description } }]);
    } else {
      await this.commit([
        { type: 'version.described', entity: target.id, payload: { modelId, description } },
      ]);
    }
  }

  async archive(target: EntityRef) {
    await this.flipArchive(target, true);
  }

  async restore(target: EntityRef) {
    await this.flipArchive(target, false);
  }

  private async flipArchive(target: EntityRef, archived: boolean) {
    const { modelId } = await this.scopeOf(target);
    if (target.kind === 'model') {
      const type = archived ? 'model.archived' : 'model.restored';
      await this.commit([{ type, entity: modelId, payload: {} }]);
    } else {
      const type = archived ? 'version.archived' : 'version.restored';
      await this.commit([{ type, entity: target.id, payload: { modelId } }]);
    }
  }

  /** The model a target belongs to; throws when the target does not exist. */
  private async scopeOf(target: EntityRef): Promise<{ modelId: string }> {
    if (target?.kind === 'model') return { modelId: (await this.modelRow(target.id)).id };
    if (target?.kind === 'version') {
      const version = await this.log.db.versions.get(target.id);
      if (!version) throw new UnknownVersionError('(unknown)', target.id);
      return { modelId: version.modelId };
    }
    throw new InvalidInputError('Say whether the change is for a model or a version.', 'target');
  }

  // Lineage: commands in lineage-service.ts, queries in lineage-queries.ts.
  recordDataset = (input: RecordDatasetInput) => this.lineage.recordDataset(input);
  recordRun = (input: RecordRunInput) => this.lineage.recordRun(input);
  recordCode = (input: RecordCodeInput) => this.lineage.recordCode(input);
  getLineageEntity = (id: string) => this.lineageQueries.entity(id);
  listLineageEntities = (kind?: LineageRecordKind, options?: { includeArchived?: boolean }) =>
    this.lineageQueries.entities(kind, options);
  archiveLineageEntity = (id: string) => this.lineage.setRecordArchived(id, true);
  restoreLineageEntity = (id: string) => this.lineage.setRecordArchived(id, false);
  addLineageEdge = (input: AddLineageEdgeInput) => this.lineage.addEdge(input);
  addLineageEdges = (inputs: AddLineageEdgeInput[]) => this.lineage.addEdges(inputs);
  removeLineageEdge = (edgeId: string) => this.lineage.removeEdge(edgeId);
  restoreLineageEdge = (edgeId: string) => this.lineage.restoreEdge(edgeId);
  lineageEdgesOf = (id: string) => this.lineageQueries.edgesOf(id);
  droppedLineageEdges = () => this.lineageQueries.dropped();
  lineageAncestors = (id: string, options?: LineageQueryOptions) =>
    this.lineageQueries.ancestors(id, options);
  lineageDescendants = (id: string, options?: LineageQueryOptions) =>
    this.lineageQueries.descendants(id, options);
  lineagePath = (a: string, b: string) => this.lineageQueries.path(a, b);
  lineageCommonAncestors = (a: string, b: string) => this.lineageQueries.commonAncestors(a, b);
  downstreamOfDataset = (id: string, options?: LineageQueryOptions) =>
    this.lineageQueries.downstreamOfDataset(id, options);
  lineageDiff = (a: string, b: string) => this.lineageQueries.diff(a, b);
  lineageNeighbourhood = (id: string, options?: LineageNeighbourhoodOptions) =>
    this.lineageQueries.neighbourhood(id, options);

  inspectFiles(files: File[], options?: ClientInspectOptions) {
    this.inspector ??= new InspectionClient();
    return this.inspector.inspect(files, options);
  }

  hashFile(file: Blob & { name: string }, onProgress?: (fraction: number) => void) {
    return hashFile(file, onProgress);
  }

  keepFileBytes(file: Blob, ref: FileRef) {
    return keepFileBytes(this.log.db, file, ref);
  }

  keptFiles(sha256s: string[]) {
    return keptFiles(this.log.db, sha256s);
  }

  fileBytes(sha256: string) {
    return blobStore(this.log.db).get(sha256);
  }

  exportWorkspace() {
    return exportWorkspace(this.log);
  }

  async importWorkspace(file: Blob) {
    const summary = await importWorkspace(this.log, file);
    const latest = await this.log.latestStamp();
    if (latest) this.clock.observe(latest);
    this.notify();
    return summary;
  }

  stateHash() {
    return this.log.stateHash();
  }

  /** Set by team sync: throws (NotAllowedError) for events this member's role forbids. */
  private commitGuard: ((events: StemmaEvent[]) => void) | null = null;

  setCommitGuard(guard: ((events: StemmaEvent[]) => void) | null) {
    this.commitGuard = guard;
  }

  /** Sync appended peers' events: move the clock past them and refresh every view. */
  absorbed(latest: string | null) {
    if (latest) this.clock.observe(latest);
    this.notify();
  }

  storage() {
    return storageReport(this.log.db);
  }

  persistStorage() {
    return persistStorage();
  }

  async wipe() {
    await this.log.wipe();
    this.notify();
  }

  close() {
    void this.team.stop();
    this.insights.dispose();
    this.channel?.close();
    this.log.close();
  }
}
