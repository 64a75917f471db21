/**
 * The event log of one workspace and the projections folded from it.
 *
 * `append` takes verified events from any source (local commands, another tab, a peer, an
 * import), stores the new ones and folds them. Within one scope (a model and everything
 * about it) events that sort after the last one applied are folded incrementally; an event
 * that sorts earlier (it arrived late) makes the whole scope replay from its events. Either
 * way the result equals a rebuild from the log, which the tests check.
 */
import { Dexie } from 'dexie';
import { createSHA256 } from 'hash-wasm';
import { canonicalJson } from './canonical';
import { compareEvents, scopeOf, type StemmaEvent } from './event';
import { applyEvents } from './fold';
import { PROJECTION_TABLES, type EventRow, WorkspaceDb } from './schema';
import { MemoryView, PreloadedView } from './view';
import { logger } from '../logging/logger';

const log = logger('store');

interface ScopeMark {
  key: string;
  value: { hlc: string; id: string };
}

const markKey = (scope: string) => `scope:${scope}`;

export interface AppendResult {
  /** Events that were new to this log. */
  added: StemmaEvent[];
  /** Scopes that had to be replayed because an event arrived out of order. */
  replayed: string[];
}

export class EventLog {
  readonly db: WorkspaceDb;

  constructor(readonly workspaceId: string) {
    this.db = new WorkspaceDb(`stemma-ws-${workspaceId}`);
  }

  /** Stores and folds events; duplicates (same id) are ignored. One transaction. */
  async append(events: StemmaEvent[]): Promise<AppendResult> {
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
      const newMarks: ScopeMark[] = [];
      const incremental = new Map<string, StemmaEvent[]>();
      let index = 0;
      for (const [scope, scopeEvents] of byScope) {
        const mark = marks[index++]?.value;
        scopeEvents.sort(compareEvents);
        if (!mark || compareEvents(scopeEvents[0], mark) > 0) {
          incremental.set(scope, scopeEvents);
        } else {
          await this.replayScope(scope);
          replayed.push(scope);
        }
        const last = scopeEvents[scopeEvents.length - 1];
        const top = mark && compareEvents(mark, last) > 0 ? mark : { hlc: last.hlc, id: last.id };
        newMarks.push({ key: markKey(scope), value: top });
      }
      await view.preload(db, incremental);
      for (const scopeEvents of incremental.values()) applyEvents(view, scopeEvents);
      await view.flush(db);
      await db.meta.bulkPut(newMarks);
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

  /** Drops the projection rows of one scope and folds its events again. */
  private async replayScope(scope: string): Promise<void> {
    const db = this.db;
    if (scope.startsWith('actor:')) {
      await db.actors.delete(scope.slice('actor:'.length));
    } else {
      const versionIds = await db.versions.where('modelId').equals(scope).primaryKeys();
      await db.models.delete(scope);
      await db.versions.bulkDelete(versionIds);
      await db.aliases.where('modelId').equals(scope).delete();
      await db.metrics.where('versionId').anyOf(versionIds).delete();
      await db.files.where('versionId').anyOf(versionIds).delete();
    }
    const memory = new MemoryView();
    applyEvents(memory, await this.scopeEvents(scope));
    await memory.writeTo(db);
  }

  /** Throws away every projection and folds the whole log again. */
  async rebuildProjections(): Promise<void> {
    const db = this.db;
    await db.transaction('rw', [db.events, db.meta, ...PROJECTION_TABLES], async () => {
      await Promise.all(PROJECTION_TABLES.map((name) => db.table(name).clear()));
      await db.meta.where('key').startsWith('scope:').delete();
      const rows = await db.events.toArray();
      const memory = new MemoryView();
      const marks = new Map<string, { hlc: string; id: string }>();
      const events = rows.sort(compareEvents);
      for (const row of events) marks.set(row.scope, { hlc: row.hlc, id: row.id });
      applyEvents(memory, events.map(stripScope));
      await memory.writeTo(db);
      await db.meta.bulkPut([...marks].map(([scope, value]) => ({ key: markKey(scope), value })));
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
    const db = this.db;
    await db.transaction('rw', [db.events, db.meta, ...PROJECTION_TABLES], async () => {
      await Promise.all(
        [db.events, db.meta, ...PROJECTION_TABLES.map((n) => db.table(n))].map((table) =>
          table.clear(),
        ),
      );
    });
  }

  close(): void {
    this.db.close();
  }
}

function stripScope(row: EventRow): StemmaEvent {
  const { id, hlc, actor, type, entity, payload, sig } = row;
  return { id, hlc, actor, type, entity, payload, sig };
}
