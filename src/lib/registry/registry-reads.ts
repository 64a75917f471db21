/**
 * The registry's queries over the projections: models and versions by name, number or id,
 * lists, metric curves, search, model URIs and history. `EventRegistry` extends it with the
 * commands; the query helpers (`history.ts`, `model-queries.ts`, `search-service.ts`) need
 * no more than this.
 */
import type { VersionSelector } from './api';
import { UnknownModelError, UnknownVersionError } from './errors';
import { aliasHistory, asOf, history, lineageHistory, recentHistory } from './history';
import { listModels, listVersions, metricHistory, modelWithAliases } from './model-queries';
import { toVersion } from './rows';
import { resolveUri, runSearch } from './search-service';
import { memoryIndexOf } from './search/memory-index';
import type { EntityRef, ModelListRequest, SearchRequest } from './types';
import type { EventLog } from '../store/log';
import type { ModelRow, VersionRow } from '../store/schema';

export class RegistryReads {
  constructor(readonly log: EventLog) {}

  async modelRow(nameOrId: string): Promise<ModelRow> {
    const db = this.log.db;
    const row =
      (await db.models.where('name').equals(nameOrId).first()) ?? (await db.models.get(nameOrId));
    if (!row) throw new UnknownModelError(nameOrId);
    return row;
  }

  async versionRow(model: string, selector: VersionSelector): Promise<VersionRow> {
    const row = await this.modelRow(model);
    const db = this.log.db;
    const asNumber =
      typeof selector === 'number' ? selector : /^\d{1,9}$/.test(selector) ? Number(selector) : NaN;
    const version = Number.isInteger(asNumber)
      ? await db.versions.where('[modelId+number]').equals([row.id, asNumber]).first()
      : await db.versions.get(String(selector));
    if (!version || version.modelId !== row.id) throw new UnknownVersionError(row.name, selector);
    return version;
  }

  async getModel(nameOrId: string) {
    return modelWithAliases(this.log.db, await this.modelRow(nameOrId));
  }

  listModels(request: ModelListRequest = {}) {
    return listModels(this, request);
  }

  async getVersion(model: string, selector: VersionSelector) {
    return toVersion(await this.versionRow(model, selector));
  }

  async getVersionById(id: string) {
    const row = await this.log.db.versions.get(id);
    if (!row) throw new UnknownVersionError('(any model)', id);
    return toVersion(row);
  }

  listVersions(model: string, options: { includeArchived?: boolean } = {}) {
    return listVersions(this, model, options);
  }

  metricHistory(versionId: string) {
    return metricHistory(this.log.db, versionId);
  }

  search(request: SearchRequest) {
    return runSearch(this, request);
  }

  /**
   * Builds or loads the in-memory search index now (searches otherwise start it themselves);
   * false when the registry is too large for one and searches stay on IndexedDB.
   */
  prepareSearch(): Promise<boolean> {
    return memoryIndexOf(this.log.db).warm();
  }

  resolveUri(uri: string) {
    return resolveUri(this, uri);
  }

  history(target: EntityRef) {
    return history(this, target);
  }

  recentHistory(limit: number, beforeHlc?: string) {
    return recentHistory(this, limit, beforeHlc);
  }

  aliasHistory(model: string, alias?: string) {
    return aliasHistory(this, model, alias);
  }

  asOf(model: string, time: number) {
    return asOf(this, model, time);
  }

  lineageHistory(id: string) {
    return lineageHistory(this, id);
  }
}
