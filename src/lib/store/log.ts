/**
 * The event log of one workspace and the projections folded from it.
 *
 * `append` takes verified events from any source (local commands, another tab, a peer, an
 * import), stores the new ones and folds them. Within one scope (a model and everything
 * about it, or a lineage scope) events that sort after the last one applied are folded
 * incrementally; an event that sorts earlier (it arrived late) makes the whole scope replay
 * from its events. Either way the result equals a rebuild from the log, which the tests check.
 * Lineage scopes fold through the `ScopeFold`s the log is opened with (see `scope-fold.ts`).
 */
import { Dexie } from 'dexie';
import { createSHA256 } from 'hash-wasm';
import { canonicalJson } from './canonical';
import { MissingScopeFoldError } from './errors';
import { compareEvents, needsScopeFold, scopeOf, type StemmaEvent } from './event';
import { applyEvents } from './fold';
import { PROJECTION_TABLES, type EventRow, WorkspaceDb } from './schema';
import type { EventMark, ScopeBatch, ScopeFold } from './scope-fold';
import { noteVersionChanges } from './version-journal';
import { MemoryView, PreloadedView } from './view';
import { logger } from '../logging/logger';

const log = logger('store');

interface ScopeMark {
  key: string;
  value: EventMark;
}

/** The `meta` key under which a scope's mark (its last applied event) is kept. */
export const scopeMarkKey = (scope: string) => `scope:${scope}`;

/** A workspace's IndexedDB database is this prefix and its id (`src/app.html` opens it too). */
export const WORKSPACE_DB_PREFIX = 'stemma-ws-';
const markKey = scopeMarkKey;

export interface AppendResult {
  /** Events that were new to this log. */
  added: StemmaEvent[];
  /** Scopes that had to be replayed because an event arrived out of order. */
  replayed: string[];
}

export class EventLog {
  readonly db: WorkspaceDb;

  /**
   * @param folds projections for the scopes the model fold does not handle; without the one a
   *   scope needs, appending its events fails with `MissingScopeFoldError`.
   */
  constructor(
    readonly workspaceId: string,
    private readonly folds: readonly ScopeFold[] = [],
  ) {
    this.db = new WorkspaceDb(`${WORKSPACE_DB_PREFIX}${workspaceId}`);
  }

  /** Stores and folds events; duplicates (same id) are ignored. One transaction. */
  async append(events: StemmaEvent[]): Promise<AppendResult> {
    try {
      return await this.appendInTransaction(events);
    } catch (error) {
      // A fold may have changed its memory before the transaction failed.
      this.discardFoldState();
      throw error;
    }
  }

  private appendInTransaction(events: StemmaEvent[]): Promise<AppendResult> {
    const db = this.db;
    return db.transaction('rw', [db.events, db.meta, ...PROJECTION_TABLES], async () => {
      const unique = new Map<string, StemmaEvent>();
      for (const event of events) unique.set(event.id, event);
      const known = await db.events.bulkGet([...unique.keys()]);
      const added = [...unique.values()].filter((_, index) => !known[index]);
      if (added.length === 0) return { added, replayed: [] };

      const rows: EventRow[] = added.map((event) => ({ ...event, scope: scopeOf(event) }));
      await db.events.bulkAdd(rows);

      const byScope = new Map<string, StemmaEvent[]>();
      for (const row of rows) {
        const { scope, ...event } = row;
        let list = byScope.get(scope);
        if (!list) byScope.set(scope, (list = []));
        list.push(event);
      }

      const marks = (await db.meta.bulkGet([...byScope.keys()].map(markKey))) as (
        ScopeMark | undefined
      )[];
      const view = new PreloadedView();
      const replayed: string[] = [];
      const touched = new Set<string>();
      const newMarks: ScopeMark[] = [];
      const incremental = new Map<string, StemmaEvent[]>();
      const folded = new Map<ScopeFold, Map<string, ScopeBatch>>();
      let index = 0;
      for (const [scope, scopeEvents] of byScope) {
        const mark = marks[index++]?.value;
        const fold = this.foldFor(scope, scopeEvents[0].type);
        scopeEvents.sort(compareEvents);
        if (!mark || compareEvents(scopeEvents[0], mark) > 0) {
          if (!fold) incremental.set(scope, scopeEvents);
          else groupFor(folded, fold).set(scope, { events: scopeEvents, mark });
        } else {
          for (const id of await this.replayScope(scope, fold)) touched.add(id);
          replayed.push(scope);
        }
        const last = scopeEvents[scopeEvents.length - 1];
        const top = mark && compareEvents(mark, last) > 0 ? mark : { hlc: last.hlc, id: last.id };
        newMarks.push({ key: markKey(scope), value: top });
      }
      await view.preload(db, incremental);
      for (const scopeEvents of incremental.values()) applyEvents(view, scopeEvents);
      await view.flush(db);
      for (const id of view.changedVersionIds()) touched.add(id);
      for (const [fold, batches] of folded) await fold.applyNew(db, batches);
      await db.meta.bulkPut(newMarks);
      await noteVersionChanges(db, touched);
      if (replayed.length) log.debug('replayed scopes after late events', replayed);
      return { added, replayed };
    });
  }

  /** Every event of a scope in fold order. */
  async scopeEvents(scope: string): Promise<StemmaEvent[]> {
    const rows = await this.db.events
      .where('[scope+hlc]')
      .between([scope, Dexie.minKey], [scope, Dexie.maxKey])
      .toArray();
    return rows.map(stripScope).sort(compareEvents);
  }

  /** The fold a scope's events go through; undefined for the model fold. */
  private foldFor(scope: string, eventType: string): ScopeFold | undefined {
    const fold = this.folds.find((candidate) => scope.startsWith(candidate.scopePrefix));
    if (!fold && needsScopeFold(scope)) throw new MissingScopeFoldError(scope, eventType);
    return fold;
  }

  private discardFoldState(): void {
    for (const fold of this.folds) fold.discard();
  }

  /**
   * Drops the projection rows of one scope and folds its events again. Returns the ids of the
   * version rows it deleted or wrote.
   */
  private async replayScope(scope: string, fold: ScopeFold | undefined): Promise<string[]> {
    const db = this.db;
    if (fold) {
      await fold.replay(db, new Map([[scope, await this.scopeEvents(scope)]]));
      return [];
    }
    let versionIds: string[] = [];
    if (scope.startsWith('actor:')) {
      await db.actors.delete(scope.slice('actor:'.length));
    } else {
      versionIds = (await db.versions.where('modelId').equals(scope).primaryKeys()) as string[];
      await db.models.delete(scope);
      await db.versions.bulkDelete(versionIds);
      await db.aliases.where('modelId').equals(scope).delete();
      await db.metrics.where('versionId').anyOf(versionIds).delete();
      await db.files.where('versionId').anyOf(versionIds).delete();
    }
    const memory = new MemoryView();
    applyEvents(memory, await this.scopeEvents(scope));
    await memory.writeTo(db);
    return [...versionIds, ...memory.versions.keys()];
  }

  /** Throws away every projection and folds the whole log again. */
  async rebuildProjections(): Promise<void> {
    try {
      await this.rebuildInTransaction();
    } catch (error) {
      this.discardFoldState();
      throw error;
    }
  }

  private async rebuildInTransaction(): Promise<void> {
    const db = this.db;
    await db.transaction('rw', [db.events, db.meta, ...PROJECTION_TABLES], async () => {
      await Promise.all(PROJECTION_TABLES.map((name) => db.table(name).clear()));
      await db.meta.where('key').startsWith('scope:').delete();
      const rows = await db.events.toArray();
      const memory = new MemoryView();
      const marks = new Map<string, EventMark>();
      const modelEvents: StemmaEvent[] = [];
      const folded = new Map<ScopeFold, Map<string, StemmaEvent[]>>();
      for (const row of rows.sort(compareEvents)) {
        marks.set(row.scope, { hlc: row.hlc, id: row.id });
        const fold = this.foldFor(row.scope, row.type);
        if (!fold) modelEvents.push(stripScope(row));
        else listFor(groupFor(folded, fold), row.scope).push(stripScope(row));
      }
      applyEvents(memory, modelEvents);
      await memory.writeTo(db);
      for (const [fold, scopes] of folded) await fold.replay(db, scopes);
      await db.meta.bulkPut([...marks].map(([scope, value]) => ({ key: markKey(scope), value })));
      await noteVersionChanges(db, null);
    });
  }

  /** SHA-256 over every projection row in key order; equal state gives an equal hash. */
  async stateHash(): Promise<string> {
    const hasher = await createSHA256();
    hasher.init();
    const db = this.db;
    await db.transaction('r', [...PROJECTION_TABLES], async () => {
      for (const name of PROJECTION_TABLES) {
        hasher.update(`#${name}\n`);
        await db.table(name).each((row) => hasher.update(canonicalJson(row) + '\n'));
      }
    });
    return hasher.digest('hex');
  }

  /** Every event in fold order (exports, audits). */
  async allEvents(): Promise<StemmaEvent[]> {
    const rows = await this.db.events.toArray();
    return rows.map(stripScope).sort(compareEvents);
  }

  /** The greatest clock stamp in the log, so the local clock starts past it. */
  async latestStamp(): Promise<string | null> {
    const last = await this.db.events.orderBy('hlc').last();
    return last?.hlc ?? null;
  }

  async wipe(): Promise<void> {
    this.discardFoldState();
    const db = this.db;
    const tables = [
      db.events,
      db.meta,
      db.searchCache,
      ...PROJECTION_TABLES.map((n) => db.table(n)),
    ];
    await db.transaction('rw', tables, async () => {
      await Promise.all(tables.map((table) => table.clear()));
      // A new epoch, so that search's copy of the old versions is not taken as current.
      await noteVersionChanges(db, null);
    });
  }

  close(): void {
    this.db.close();
  }
}

function groupFor<K, V>(groups: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let group = groups.get(key);
  if (!group) groups.set(key, (group = new Map()));
  return group;
}

function listFor<T>(lists: Map<string, T[]>, key: string): T[] {
  let list = lists.get(key);
  if (!list) lists.set(key, (list = []));
  return list;
}

function stripScope(row: EventRow): StemmaEvent {
  const { id, hlc, actor, type, entity, payload, sig } = row;
  return { id, hlc, actor, type, entity, payload, sig };
}
