/**
 * One step of the lineage edge fold: how an add or remove event changes the edge rows and
 * the graph. Synchronous, because it runs inside IndexedDB transactions.
 *
 * The rule is `LineageEdgeFold`'s (see `$lib/lineage/fold.ts`), applied to projection rows so
 * that it can resume from what is stored instead of from every event:
 * - an edge is an OR-set element; each accepted add tags it, a remove takes away the tags it
 *   observed, and the edge is in the graph while a tag remains;
 * - an add that would close a cycle is left out (`dropped`), for good;
 * - an add that reuses an accepted edge id for other ends or another relation is left out.
 * What the step records depends only on the events folded before it, never on how the graph
 * was reached (built from rows or folded event by event): the cycle it names is the shortest
 * one, ties broken by id, from the live edges alone. The tests hold it to `foldEdges`.
 */
import { LineageCycleError, LineageEdgeConflictError } from '../lineage/errors';
import type { LineageGraphIndex } from '../lineage/graph-index';
import { isLineageRelation, type LineageEdge } from '../lineage/types';
import type { StemmaEvent } from '../store/event';
import { hlcTime } from '../store/hlc';
import type { LineageEdgeRow } from '../store/schema';

/** The edge an add event carries, or null when its payload is malformed (ignored). */
export function edgeOfEvent(event: StemmaEvent<'lineage.edge.added'>): LineageEdge | null {
  const { from, to, relation, note, weight } = (event.payload ?? {}) as Partial<
    StemmaEvent<'lineage.edge.added'>['payload']
  >;
  if (typeof from !== 'string' || typeof to !== 'string' || !from || !to) return null;
  if (!isLineageRelation(relation)) return null;
  if (note !== undefined && typeof note !== 'string') return null;
  if (weight !== undefined && (typeof weight !== 'number' || !Number.isFinite(weight))) return null;
  const edge: LineageEdge = { id: event.entity, from, to, relation };
  if (note !== undefined) edge.note = note;
  if (weight !== undefined) edge.weight = weight;
  return edge;
}

/** The row as the graph sees it. */
export function edgeOfRow(row: LineageEdgeRow): LineageEdge {
  const edge = { id: row.id, from: row.from, to: row.to, relation: row.relation } as LineageEdge;
  if (row.note !== undefined) edge.note = row.note;
  if (row.weight !== undefined) edge.weight = row.weight;
  return edge;
}

/**
 * The loop an edge `from -> to` would close, as ids `[from, to, ..., from]`: a shortest path
 * back from `to` to `from`, breadth first with children taken in id order, so that it depends
 * only on which edges are live.
 */
export function canonicalCycle(graph: LineageGraphIndex, from: string, to: string): string[] {
  if (from === to) return [from, to];
  const via = new Map<string, string>([[to, to]]);
  let frontier = [to];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const node of frontier) {
      const children = [...new Set(graph.outgoing(node).map((edge) => edge.to))].sort();
      for (const child of children) {
        if (via.has(child)) continue;
        via.set(child, node);
        if (child === from) return [from, ...pathBack(via, from, to)];
        next.push(child);
      }
    }
    frontier = next;
  }
  return [from, to, from];
}

function pathBack(via: Map<string, string>, from: string, to: string): string[] {
  const path = [from];
  for (let node = from; node !== to;) {
    node = via.get(node)!;
    path.push(node);
  }
  return path.reverse();
}

/** Applies edge events to a graph and to the rows of the edges they touch. */
export class EdgeFoldStep {
  /** Ids of the rows this step changed. */
  readonly changed = new Set<string>();

  /**
   * @param graph the live edges, changed in place
   * @param rows the stored rows of at least every edge the events name
   */
  constructor(
    readonly graph: LineageGraphIndex,
    readonly rows: Map<string, LineageEdgeRow>,
  ) {}

  apply(event: StemmaEvent): void {
    if (event.type === 'lineage.edge.added') this.add(event as StemmaEvent<'lineage.edge.added'>);
    if (event.type === 'lineage.edge.removed') {
      this.remove(event as StemmaEvent<'lineage.edge.removed'>);
    }
  }

  private put(row: LineageEdgeRow): void {
    this.rows.set(row.id, row);
    this.changed.add(row.id);
  }

  private add(event: StemmaEvent<'lineage.edge.added'>): void {
    const edge = edgeOfEvent(event);
    if (!edge) return;
    const at = hlcTime(event.hlc);
    const row = this.rows.get(edge.id);
    if (row?.accepted && !sameEnds(row, edge)) {
      // A live edge keeps its ends; only an edge out of the graph shows the refusal.
      if (row.state !== 'active') this.drop(row, event.id, 'conflict', [], at);
      return;
    }
    if (row?.state === 'active') {
      this.graph.addEdge(edge);
      this.put(withNoteAndWeight({ ...row, tags: [...row.tags, event.id], updatedAt: at }, edge));
      return;
    }

    // An id never accepted takes the ends of its latest add; an accepted one keeps its own.
    const base: LineageEdgeRow = row?.accepted
      ? row
      : withNoteAndWeight(
          {
            ...edgeFields(edge),
            state: 'dropped',
            reason: null,
            cycle: [],
            droppedEvent: null,
            tags: [],
            accepted: 0,
            addedAt: row?.addedAt ?? at,
            addedBy: row?.addedBy ?? event.actor,
            updatedAt: at,
          },
          edge,
        );
    try {
      this.graph.addEdge(edge);
    } catch (error) {
      if (error instanceof LineageCycleError) {
        this.drop(base, event.id, 'cycle', canonicalCycle(this.graph, edge.from, edge.to), at);
      } else if (error instanceof LineageEdgeConflictError) {
        this.drop(base, event.id, 'conflict', [], at);
      } else {
        throw error;
      }
      return;
    }
    this.put(
      withNoteAndWeight(
        {
          ...base,
          state: 'active',
          reason: null,
          cycle: [],
          droppedEvent: null,
          tags: [event.id],
          accepted: 1,
          updatedAt: at,
        },
        edge,
      ),
    );
  }

  private drop(
    row: LineageEdgeRow,
    eventId: string,
    reason: 'cycle' | 'conflict',
    cycle: string[],
    at: number,
  ): void {
    this.put({ ...row, state: 'dropped', reason, cycle, droppedEvent: eventId, updatedAt: at });
  }

  private remove(event: StemmaEvent<'lineage.edge.removed'>): void {
    const row = this.rows.get(event.entity);
    if (!row || row.state !== 'active') return;
    const observed = (event.payload as { observed?: unknown })?.observed;
    const tags = Array.isArray(observed) ? row.tags.filter((tag) => !observed.includes(tag)) : [];
    const at = hlcTime(event.hlc);
    if (tags.length > 0) {
      this.put({ ...row, tags, updatedAt: at });
      return;
    }
    this.graph.removeEdge(row.id);
    this.put({ ...row, tags, state: 'removed', updatedAt: at });
  }
}

function sameEnds(row: LineageEdgeRow, edge: LineageEdge): boolean {
  return row.from === edge.from && row.to === edge.to && row.relation === edge.relation;
}

function edgeFields(edge: LineageEdge) {
  return { id: edge.id, from: edge.from, to: edge.to, relation: edge.relation };
}

/** Note and weight are last-writer-wins: the latest accepted add sets both, or clears them. */
function withNoteAndWeight(row: LineageEdgeRow, edge: LineageEdge): LineageEdgeRow {
  const next: LineageEdgeRow = { ...row };
  delete next.note;
  delete next.weight;
  if (edge.note !== undefined) next.note = edge.note;
  if (edge.weight !== undefined) next.weight = edge.weight;
  return next;
}
