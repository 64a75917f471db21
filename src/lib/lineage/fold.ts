/**
 * Folding lineage edge events into the graph, the same way on every peer.
 *
 * The rule, which every peer applies to the same events in the same order:
 *
 * 1. Events are applied in `(hlc, id)` order, comparing the strings code unit by code unit.
 *    Each peer sees that order once it holds the same events, whatever order they arrived in.
 * 2. An edge is an element of an OR-set keyed by its id. Each add event tags it; a remove
 *    event takes away the tags it names in `observed` (all tags applied so far when it names
 *    none). The edge is in the graph while any tag remains, so an add the remover had not
 *    seen survives, and adding a removed edge again restores it.
 * 3. An add that would close a cycle is dropped: its tag is never recorded, and the edge
 *    stays out of the graph until a later add succeeds. Two peers that each add one half of
 *    a cycle while apart thus both drop the half that sorts later. Dropping is final for that
 *    event; removing another edge later does not bring a dropped add back.
 * 4. An add that reuses an edge id for other ends or another relation is dropped likewise.
 *
 * When an event arrives that sorts before one already applied, the fold starts over from
 * the first event, so the result never depends on arrival order.
 */
import { LineageCycleError, LineageEdgeConflictError } from './errors';
import { LineageGraphIndex } from './graph-index';
import type { LineageEdge, LineageNode } from './types';

/** A lineage edge change as it sits in the event log. */
export type LineageEdgeEvent =
  | { id: string; hlc: string; op: 'add'; edge: LineageEdge }
  | { id: string; hlc: string; op: 'remove'; edgeId: string; observed?: readonly string[] };

/** An add the fold left out, and why. */
export interface DroppedEdge {
  edge: LineageEdge;
  eventId: string;
  hlc: string;
  reason: 'cycle' | 'conflict';
  /** For `cycle`: the cycle the edge would have closed, as ids `[from, to, ..., from]`. */
  cycle: string[];
  /** A sentence for the user, with display labels. */
  message: string;
}

/** The total order every peer folds in. */
export function compareEdgeEvents(
  a: { hlc: string; id: string },
  b: { hlc: string; id: string },
): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Keeps a lineage graph folded from edge events, incrementally where the order allows. */
export class LineageEdgeFold {
  graph = new LineageGraphIndex();
  dropped: DroppedEdge[] = [];
  private readonly nodes = new Map<string, LineageNode>();
  private events: LineageEdgeEvent[] = [];
  private readonly seen = new Set<string>();
  private tags = new Map<string, Set<string>>();
  /** How many times the fold has started over (for tests and diagnostics). */
  refolds = 0;

  /** Records a node's kind and label; kept across refolds. */
  addNode(node: LineageNode): void {
    this.nodes.set(node.id, node);
    this.graph.addNode(node);
  }

  /**
   * Applies new events (duplicates by id are ignored). Returns true when the fold had to
   * start over because an event sorted before one already applied.
   */
  apply(events: Iterable<LineageEdgeEvent>): boolean {
    const fresh: LineageEdgeEvent[] = [];
    for (const event of events) {
      if (this.seen.has(event.id)) continue;
      this.seen.add(event.id);
      fresh.push(event);
    }
    if (fresh.length === 0) return false;
    fresh.sort(compareEdgeEvents);

    const last = this.events[this.events.length - 1];
    if (last && compareEdgeEvents(fresh[0], last) < 0) {
      this.events = mergeSorted(this.events, fresh);
      this.refold();
      return true;
    }
    for (const event of fresh) {
      this.step(event);
      this.events.push(event);
    }
    return false;
  }

  private refold(): void {
    this.refolds++;
    this.graph = new LineageGraphIndex();
    this.dropped = [];
    this.tags = new Map();
    for (const node of this.nodes.values()) this.graph.addNode(node);
    for (const event of this.events) this.step(event);
  }

  private step(event: LineageEdgeEvent): void {
    if (event.op === 'remove') {
      const tags = this.tags.get(event.edgeId);
      if (!tags) return;
      if (event.observed) for (const tag of event.observed) tags.delete(tag);
      else tags.clear();
      if (tags.size === 0) this.graph.removeEdge(event.edgeId);
      return;
    }

    try {
      this.graph.addEdge(event.edge);
    } catch (error) {
      if (error instanceof LineageCycleError) this.drop(event, 'cycle', error);
      else if (error instanceof LineageEdgeConflictError) this.drop(event, 'conflict', error);
      else throw error;
      return;
    }
    let tags = this.tags.get(event.edge.id);
    if (!tags) this.tags.set(event.edge.id, (tags = new Set()));
    tags.add(event.id);
  }

  private drop(
    event: Extract<LineageEdgeEvent, { op: 'add' }>,
    reason: DroppedEdge['reason'],
    error: LineageCycleError | LineageEdgeConflictError,
  ): void {
    const cycle = error instanceof LineageCycleError ? error.cycleIds : [];
    this.dropped.push({
      edge: event.edge,
      eventId: event.id,
      hlc: event.hlc,
      reason,
      cycle,
      message: error.message,
    });
  }
}

function mergeSorted(a: LineageEdgeEvent[], b: LineageEdgeEvent[]): LineageEdgeEvent[] {
  const merged: LineageEdgeEvent[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < merged.length; k++) {
    merged[k] =
      j >= b.length || (i < a.length && compareEdgeEvents(a[i], b[j]) <= 0) ? a[i++] : b[j++];
  }
  return merged;
}

/**
 * Folds edge events, in any arrival order, into a graph; reports the adds it dropped.
 *
 * @example
 *   const { graph, dropped } = foldEdges(events, nodes);
 *   for (const d of dropped) show(d.message);
 */
export function foldEdges(
  events: Iterable<LineageEdgeEvent>,
  nodes: Iterable<LineageNode> = [],
): { graph: LineageGraphIndex; dropped: DroppedEdge[] } {
  const fold = new LineageEdgeFold();
  for (const node of nodes) fold.addNode(node);
  fold.apply(events);
  return { graph: fold.graph, dropped: fold.dropped };
}
