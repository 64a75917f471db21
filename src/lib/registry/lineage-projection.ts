/**
 * Lineage in the event log: the folds of the lineage scopes, and the in-memory graph the
 * lineage queries walk.
 *
 * Every edge event shares the scope `lineage:edges`, folded by `EdgeFoldStep`. The graph of
 * active edges stays in memory, with the scope mark it is current for: a batch that continues
 * from that mark is folded straight into it, and so are the queries answered from it without
 * reading any event. When the stored mark differs (another tab wrote, a transaction failed,
 * or this is the first use) the graph is built again from the active edge rows; a late event
 * replays every edge event, as any scope does.
 *
 * Reading 200k edge rows costs seconds in Chromium, so a snapshot of the graph (a few typed
 * arrays, see `graph-snapshot.ts`) is kept in `meta` as a cache, stamped with the scope mark
 * and the number of edge events. The mark alone would not do: a late event changes the rows
 * but not the mark. Every event, late or not, changes the count. A start whose stamp matches
 * reads the snapshot instead of the rows; one that does not rebuilds from the rows and writes
 * a new snapshot, and so does the projection a few seconds after the last edit.
 *
 * @example const { log, lineage } = openWorkspaceLog('default'); await lineage.graph(log.db);
 */
import { Dexie } from 'dexie';
import { EdgeFoldStep, edgeOfRow } from './lineage-edge-step';
import { LineageEntityFold } from './lineage-entity-fold';
import { LineageGraphIndex } from '../lineage/graph-index';
import {
  graphFromSnapshot,
  isGraphSnapshot,
  snapshotGraph,
  type LineageGraphSnapshot,
} from '../lineage/graph-snapshot';
import { LINEAGE_EDGE_SCOPE, type StemmaEvent } from '../store/event';
import { EventLog, scopeMarkKey } from '../store/log';
import type { LineageEdgeRow, WorkspaceDb } from '../store/schema';
import type { EventMark, ScopeBatch, ScopeFold } from '../store/scope-fold';
import { logger } from '../logging/logger';

const log = logger('lineage');
const SNAPSHOT_KEY = 'lineage:graph-snapshot';
/** How long after the last edit the snapshot is refreshed: edits come in bursts. */
const SNAPSHOT_DELAY_MS = 3000;

interface LiveGraph {
  graph: LineageGraphIndex;
  /** The last edge event folded into `graph`; undefined when there was none. */
  mark: EventMark | undefined;
  /** How many edge events `graph` holds; undefined when not known exactly. */
  events: number | undefined;
}

interface StoredSnapshot {
  mark: EventMark | undefined;
  events: number;
  graph: LineageGraphSnapshot;
}

/** Edge events stored, counted on the index without reading them. */
function countEdgeEvents(db: WorkspaceDb): Promise<number> {
  return db.events
    .where('[scope+hlc]')
    .between([LINEAGE_EDGE_SCOPE, Dexie.minKey], [LINEAGE_EDGE_SCOPE, Dexie.maxKey])
    .count();
}

/** The stored snapshot when it is of exactly this state of the edge scope. */
async function readSnapshot(
  db: WorkspaceDb,
  mark: EventMark | undefined,
  events: number,
): Promise<LineageGraphIndex | null> {
  const stored = (await db.meta.get(SNAPSHOT_KEY))?.value as Partial<StoredSnapshot> | undefined;
  if (!stored || stored.events !== events || !sameMark(stored.mark, mark)) return null;
  if (!isGraphSnapshot(stored.graph)) return null;
  const started = performance.now();
  try {
    const graph = graphFromSnapshot(stored.graph);
    log.debug('built the lineage graph from its snapshot', {
      edges: graph.edgeCount,
      ms: Math.round(performance.now() - started),
    });
    return graph;
  } catch (error) {
    // A damaged cache is no reason to fail: the rows still hold the truth.
    log.warn('ignored an unreadable lineage snapshot', error);
    return null;
  }
}

function sameMark(a: EventMark | undefined, b: EventMark | undefined): boolean {
  return a === b || (!!a && !!b && a.id === b.id);
}

function markOf(events: StemmaEvent[]): EventMark | undefined {
  const last = events[events.length - 1];
  return last && { hlc: last.hlc, id: last.id };
}

/** The graph of the active edge rows, built in one pass. Call inside a transaction. */
async function loadGraph(db: WorkspaceDb): Promise<LineageGraphIndex> {
  const started = performance.now();
  const rows = await db.lineageEdges.where('state').equals('active').toArray();
  const graph = LineageGraphIndex.build([], rows.map(edgeOfRow));
  log.debug('built the lineage graph from its rows', {
    edges: rows.length,
    nodes: graph.nodeCount,
    ms: Math.round(performance.now() - started),
  });
  return graph;
}

export class LineageProjection {
  private live: LiveGraph | null = null;
  /** A build from the rows under way, shared by the callers that arrive meanwhile. */
  private loading: Promise<LiveGraph> | null = null;
  private snapshotTimer: ReturnType<typeof setTimeout> | null = null;
  readonly entityFold = new LineageEntityFold();
  readonly edgeFold: ScopeFold = {
    scopePrefix: LINEAGE_EDGE_SCOPE,
    applyNew: (db, batches) => this.applyNew(db, batches),
    replay: (db, scopes) => this.replay(db, scopes),
    discard: () => {
      this.live = null;
    },
  };

  /** The folds an `EventLog` needs for lineage events. */
  get folds(): ScopeFold[] {
    return [this.edgeFold, this.entityFold];
  }

  /**
   * The graph of active edges as stored now, for queries. Reads one mark when the graph in
   * memory is current; builds it from the edge rows otherwise.
   */
  async graph(db: WorkspaceDb): Promise<LineageGraphIndex> {
    const stored = await readMark(db);
    if (this.live && sameMark(this.live.mark, stored)) return this.live.graph;
    this.loading ??= db
      .transaction('r', [db.meta, db.lineageEdges, db.events], async () => {
        const mark = await readMark(db);
        const events = await countEdgeEvents(db);
        const cached = await readSnapshot(db, mark, events);
        const live = { mark, events, graph: cached ?? (await loadGraph(db)) };
        this.live = live;
        return { live, cached: cached !== null };
      })
      .then(({ live, cached }) => {
        if (!cached) this.saveSnapshot(db, live);
        return live;
      })
      .finally(() => {
        this.loading = null;
      });
    return (await this.loading).graph;
  }

  /**
   * Stores a snapshot of `live`, unless the graph has moved on or the stored scope no longer
   * matches it. Runs in the background; a failure only means the next start reads the rows.
   */
  private saveSnapshot(db: WorkspaceDb, live: LiveGraph): void {
    const events = live.events;
    if (this.live !== live || events === undefined) return;
    const value: StoredSnapshot = { mark: live.mark, events, graph: snapshotGraph(live.graph) };
    db.transaction('rw', [db.meta, db.events], async () => {
      const current = sameMark(await readMark(db), live.mark);
      if (current && (await countEdgeEvents(db)) === events) {
        await db.meta.put({ key: SNAPSHOT_KEY, value });
      }
    }).catch((error: unknown) => log.debug('could not store the lineage snapshot', error));
  }

  /** Refreshes the snapshot once edits pause, so the next start finds it current. */
  private scheduleSnapshot(db: WorkspaceDb): void {
    if (this.snapshotTimer !== null) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = null;
      if (this.live && db.isOpen()) this.saveSnapshot(db, this.live);
    }, SNAPSHOT_DELAY_MS);
  }

  /** Starts building the graph in the background, so the first query finds it ready. */
  prepare(db: WorkspaceDb): void {
    this.graph(db).catch((error: unknown) => {
      // A query builds it again; a closed database is the usual cause here.
      log.debug('could not prepare the lineage graph', error);
    });
  }

  private async applyNew(db: WorkspaceDb, batches: Map<string, ScopeBatch>): Promise<void> {
    const batch = batches.get(LINEAGE_EDGE_SCOPE);
    if (!batch) return;
    const current = this.live && sameMark(this.live.mark, batch.mark) ? this.live.graph : null;
    const previousEvents = this.live?.events;
    // Until this batch is folded and stored, the graph in memory matches no stored mark.
    this.live = null;
    const graph = current ?? (await loadGraph(db));

    const ids = [...new Set(batch.events.map((event) => event.entity))];
    const rows = new Map<string, LineageEdgeRow>();
    for (const row of await db.lineageEdges.bulkGet(ids)) if (row) rows.set(row.id, row);
    const step = new EdgeFoldStep(graph, rows);
    for (const event of batch.events) step.apply(event);
    await db.lineageEdges.bulkPut([...step.changed].map((id) => rows.get(id)!));
    const known = current ? previousEvents : undefined;
    const events = known === undefined ? undefined : known + batch.events.length;
    this.live = { graph, mark: markOf(batch.events), events };
    this.scheduleSnapshot(db);
  }

  private async replay(db: WorkspaceDb, scopes: Map<string, StemmaEvent[]>): Promise<void> {
    const events = scopes.get(LINEAGE_EDGE_SCOPE) ?? [];
    this.live = null;
    await db.lineageEdges.clear();
    const graph = new LineageGraphIndex();
    const rows = new Map<string, LineageEdgeRow>();
    const step = new EdgeFoldStep(graph, rows);
    for (const event of events) step.apply(event);
    await db.lineageEdges.bulkPut([...rows.values()]);
    this.live = { graph, mark: markOf(events), events: events.length };
    this.scheduleSnapshot(db);
    log.debug('replayed the lineage edge scope', { events: events.length });
  }
}

async function readMark(db: WorkspaceDb): Promise<EventMark | undefined> {
  const row = await db.meta.get(scopeMarkKey(LINEAGE_EDGE_SCOPE));
  return row?.value as EventMark | undefined;
}

/**
 * A workspace's event log with every fold it needs, and the lineage projection behind them.
 * Anything that appends events (the registry, sync, imports) should open the log this way.
 */
export function openWorkspaceLog(workspaceId: string): {
  log: EventLog;
  lineage: LineageProjection;
} {
  const lineage = new LineageProjection();
  return { log: new EventLog(workspaceId, lineage.folds), lineage };
}
