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
 * @example const { log, lineage } = openWorkspaceLog('default'); await lineage.graph(log.db);
 */
import { EdgeFoldStep, edgeOfRow } from './lineage-edge-step';
import { LineageEntityFold } from './lineage-entity-fold';
import { LineageGraphIndex } from '../lineage/graph-index';
import { LINEAGE_EDGE_SCOPE, type StemmaEvent } from '../store/event';
import { EventLog, scopeMarkKey } from '../store/log';
import type { LineageEdgeRow, WorkspaceDb } from '../store/schema';
import type { EventMark, ScopeBatch, ScopeFold } from '../store/scope-fold';
import { logger } from '../logging/logger';

const log = logger('lineage');

interface LiveGraph {
  graph: LineageGraphIndex;
  /** The last edge event folded into `graph`; undefined when there was none. */
  mark: EventMark | undefined;
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
      .transaction('r', [db.meta, db.lineageEdges], async () => {
        const live = { mark: await readMark(db), graph: await loadGraph(db) };
        this.live = live;
        return live;
      })
      .finally(() => {
        this.loading = null;
      });
    return (await this.loading).graph;
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
    // Until this batch is folded and stored, the graph in memory matches no stored mark.
    this.live = null;
    const graph = current ?? (await loadGraph(db));

    const ids = [...new Set(batch.events.map((event) => event.entity))];
    const rows = new Map<string, LineageEdgeRow>();
    for (const row of await db.lineageEdges.bulkGet(ids)) if (row) rows.set(row.id, row);
    const step = new EdgeFoldStep(graph, rows);
    for (const event of batch.events) step.apply(event);
    await db.lineageEdges.bulkPut([...step.changed].map((id) => rows.get(id)!));
    this.live = { graph, mark: markOf(batch.events) };
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
    this.live = { graph, mark: markOf(events) };
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
