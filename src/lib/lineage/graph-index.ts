/**
 * The in-memory lineage index: node ids interned to integers, edges in typed arrays
 * (`Adjacency`), a live topological order that checks every new edge for a cycle, and the
 * walks the queries are made of. Edges point parent -> child (see `types.ts`).
 *
 * @example
 *   const index = LineageGraphIndex.build(nodes, edges);
 *   index.addEdge({ id: 'e9', from: 'v2', to: 'v7', relation: 'fine-tuned-from' });
 *   index.ancestors('v7'); // ['v2', ...], nearest first
 */
import { Adjacency } from './adjacency';
import { LineageCycleError, LineageEdgeConflictError } from './errors';
import * as queries from './queries';
import { TopoOrder } from './topo-order';
import { InvalidInputError } from '../registry/errors';
import {
  LINEAGE_ENTITY_KINDS,
  LINEAGE_RELATIONS,
  type CommonAncestor,
  type DownstreamOptions,
  type LineageDiff,
  type LineageEdge,
  type LineageNode,
  type LineagePath,
  type LineageRelation,
  type LineageSubgraph,
  type ReachedNode,
  type WalkOptions,
} from './types';
import { collect, relationMask, walk, WalkScratch, type RelationMask } from './walk';

const relationIndex = new Map(LINEAGE_RELATIONS.map((relation, i) => [relation, i]));
const kindIndex = new Map(LINEAGE_ENTITY_KINDS.map((kind, i) => [kind, i]));
const UNLIMITED = 0x7fffffff;

/** The bit index of a relation; throws on a value that is not one. */
function relationNumber(relation: LineageRelation): number {
  const index = relationIndex.get(relation);
  if (index !== undefined) return index;
  throw new InvalidInputError(
    `"${relation}" is not a lineage relation; use one of ${LINEAGE_RELATIONS.join(', ')}.`,
    'relation',
  );
}

function depthLimit(options?: WalkOptions): number {
  const limit = options?.maxDepth;
  return limit === undefined || limit < 0 ? UNLIMITED : Math.min(limit, UNLIMITED);
}

export class LineageGraphIndex {
  /** Exposed to the query functions beside this class; not part of the public API. */
  readonly adjacency = new Adjacency();
  readonly scratch = new WalkScratch();
  readonly order = new TopoOrder();
  private readonly nodeIndex = new Map<string, number>();
  private readonly nodeIds: string[] = [];
  private readonly labels: (string | undefined)[] = [];
  private kinds = new Uint8Array(16);
  private readonly edgeIndex = new Map<string, number>();
  private readonly edgeIds: string[] = [];
  private readonly notes: (string | undefined)[] = [];
  private readonly weights: (number | undefined)[] = [];

  /**
   * Builds an index in one pass (the start-up path). Throws `LineageCycleError` when the
   * edges hold a cycle; fold untrusted edges with `foldEdges` instead, which drops them.
   */
  static build(nodes: Iterable<LineageNode>, edges: Iterable<LineageEdge>): LineageGraphIndex {
    const index = new LineageGraphIndex();
    for (const node of nodes) index.addNode(node);

    const list = Array.isArray(edges) ? (edges as LineageEdge[]) : [...edges];
    const from = new Int32Array(list.length);
    const to = new Int32Array(list.length);
    const relation = new Uint8Array(list.length);
    let count = 0;
    for (const edge of list) {
      if (index.edgeIndex.has(edge.id)) continue;
      from[count] = index.intern(edge.from);
      to[count] = index.intern(edge.to);
      relation[count] = relationNumber(edge.relation);
      index.remember(edge, count++);
    }

    index.adjacency.load(from, to, relation, count);
    const cycle = index.order.rebuild(index.adjacency, index.scratch);
    if (cycle) throw index.cycleError(cycle.map((node) => index.nodeIds[node]));
    return index;
  }

  get nodeCount(): number {
    return this.nodeIds.length;
  }

  get edgeCount(): number {
    return this.adjacency.liveCount;
  }

  /** Adds a node, or updates the kind and label of one already known. */
  addNode(node: LineageNode): void {
    const kind = kindIndex.get(node.kind);
    if (kind === undefined) {
      const kinds = LINEAGE_ENTITY_KINDS.join(', ');
      throw new InvalidInputError(`"${node.kind}" is not a lineage entity kind; use ${kinds}.`);
    }
    const index = this.intern(node.id);
    this.kinds[index] = kind;
    this.labels[index] = node.label;
  }

  hasNode(id: string): boolean {
    return this.nodeIndex.has(id);
  }

  /** The node as known here; nodes first seen as an edge's end count as versions. */
  node(id: string): Required<LineageNode> | undefined {
    const index = this.nodeIndex.get(id);
    return index === undefined ? undefined : this.nodeAt(index);
  }

  /**
   * Adds an edge; its ends are added as nodes when unknown. Adding a live edge again does
   * nothing; adding a removed one restores it. Throws `LineageCycleError` (and changes
   * nothing) when the edge would close a cycle, `LineageEdgeConflictError` when the id is
   * taken by an edge with other ends or relation.
   */
  addEdge(edge: LineageEdge): void {
    const relation = relationNumber(edge.relation);
    const known = this.edgeIndex.get(edge.id);
    if (known !== undefined && !this.sameEnds(known, edge)) {
      throw new LineageEdgeConflictError(edge.id);
    }
    if (known !== undefined && this.adjacency.edgeAlive[known]) {
      this.notes[known] = edge.note;
      this.weights[known] = edge.weight;
      return;
    }

    // Only an edge between two known nodes can close a cycle (a self-loop aside).
    const bothKnown = this.nodeIndex.has(edge.from) && this.nodeIndex.has(edge.to);
    if (bothKnown || edge.from === edge.to) {
      const cycle = this.wouldCycle(edge.from, edge.to);
      if (cycle) throw this.cycleError(cycle);
    }

    const from = this.intern(edge.from, true);
    const to = this.intern(edge.to);
    if (!bothKnown) this.order.admit(this.adjacency, this.scratch, from, to);
    if (known !== undefined) {
      this.remember(edge, known);
      this.adjacency.revive(known);
      return;
    }
    const slot = this.adjacency.addEdge(from, to, relation);
    this.remember(edge, slot);
  }

  /**
   * The cycle an edge `from -> to` would close, as node ids `[from, to, ..., from]`, or
   * null when it is safe. Safe edges may reorder the internal topological order.
   */
  wouldCycle(from: string, to: string): string[] | null {
    if (from === to) return [from, to];
    const parent = this.nodeIndex.get(from);
    const child = this.nodeIndex.get(to);
    if (parent === undefined || child === undefined) return null;
    const cycle = this.order.admit(this.adjacency, this.scratch, parent, child);
    return cycle && cycle.map((node) => this.nodeIds[node]);
  }

  /** Removes an edge; returns false when no live edge has that id. */
  removeEdge(id: string): boolean {
    const slot = this.edgeIndex.get(id);
    if (slot === undefined || !this.adjacency.edgeAlive[slot]) return false;
    this.adjacency.kill(slot);
    return true;
  }

  /** The live edge with this id. */
  edge(id: string): LineageEdge | undefined {
    const slot = this.edgeIndex.get(id);
    return slot !== undefined && this.adjacency.edgeAlive[slot] ? this.edgeAt(slot) : undefined;
  }

  /** Every live edge, in the order they were first added. */
  edges(): LineageEdge[] {
    const result: LineageEdge[] = [];
    for (let slot = 0; slot < this.adjacency.slotCount; slot++) {
      if (this.adjacency.edgeAlive[slot]) result.push(this.edgeAt(slot));
    }
    return result;
  }

  /** Every node, in the order they became known. */
  nodes(): Required<LineageNode>[] {
    return this.nodeIds.map((_, index) => this.nodeAt(index));
  }

  /** Live edges into `id` (its parents' side), optionally of some relations only. */
  incoming(id: string, relations?: readonly LineageRelation[]): LineageEdge[] {
    return this.edgesAround(id, 'in', relationMask(relations));
  }

  /** Live edges out of `id` (its children's side). */
  outgoing(id: string, relations?: readonly LineageRelation[]): LineageEdge[] {
    return this.edgesAround(id, 'out', relationMask(relations));
  }

  /** Every ancestor of `id`, nearest first (the node itself excluded). */
  ancestors(id: string, options?: WalkOptions): string[] {
    return this.walkIds(id, false, options);
  }

  /** Every descendant of `id`, nearest first (the node itself excluded). */
  descendants(id: string, options?: WalkOptions): string[] {
    return this.walkIds(id, true, options);
  }

  /** Ancestors or descendants with how many edges away each lies, nearest first. */
  reach(id: string, direction: 'ancestors' | 'descendants', options?: WalkOptions): ReachedNode[] {
    const start = this.nodeIndex.get(id);
    if (start === undefined) return [];
    const count = this.walkFrom(start, direction === 'descendants', options);
    const { queue, depth } = this.scratch;
    const reached: ReachedNode[] = new Array(count - 1);
    for (let i = 1; i < count; i++) {
      reached[i - 1] = { id: this.nodeIds[queue[i]], depth: depth[queue[i]] };
    }
    return reached;
  }

  /** The shortest directed path between `a` and `b`, either way; null when unrelated. */
  path(a: string, b: string, options?: Pick<WalkOptions, 'relations'>): LineagePath | null {
    return queries.findPath(this, a, b, options);
  }

  /** The lowest common ancestors of `a` and `b`, nearest first. */
  nearestCommonAncestors(
    a: string,
    b: string,
    options?: Pick<WalkOptions, 'relations'>,
  ): CommonAncestor[] {
    return queries.nearestCommonAncestors(this, a, b, options);
  }

  /** Everything derived from `id` transitively, e.g. the models built on a bad dataset. */
  downstreamOf(id: string, options?: DownstreamOptions): string[] {
    return queries.downstreamOf(this, id, options);
  }

  /** Ancestors only `a` has, only `b` has, and shared. */
  diff(a: string, b: string, options?: WalkOptions): LineageDiff {
    return queries.lineageDiff(this, a, b, options);
  }

  /** The centre with its ancestors and descendants to a depth, and the edges among them. */
  neighbourhood(center: string, options?: queries.NeighbourhoodOptions): LineageSubgraph {
    return queries.neighbourhood(this, center, options);
  }

  /** Runs a walk and leaves it in `scratch`; returns the number of nodes reached. */
  walkFrom(start: number, outward: boolean, options?: WalkOptions, target = -1): number {
    const mask = relationMask(options?.relations);
    return walk(this.adjacency, this.scratch, start, outward, mask, depthLimit(options), target);
  }

  /** The interned number of a node id, if known. */
  indexOf(id: string): number | undefined {
    return this.nodeIndex.get(id);
  }

  idAt(index: number): string {
    return this.nodeIds[index];
  }

  nodeAt(index: number): Required<LineageNode> {
    const id = this.nodeIds[index];
    return { id, kind: LINEAGE_ENTITY_KINDS[this.kinds[index]], label: this.labels[index] ?? id };
  }

  /** The edge held in an adjacency slot. */
  edgeAt(slot: number): LineageEdge {
    const adjacency = this.adjacency;
    const edge: LineageEdge = {
      id: this.edgeIds[slot],
      from: this.nodeIds[adjacency.edgeFrom[slot]],
      to: this.nodeIds[adjacency.edgeTo[slot]],
      relation: LINEAGE_RELATIONS[adjacency.edgeRelation[slot]],
    };
    if (this.notes[slot] !== undefined) edge.note = this.notes[slot];
    if (this.weights[slot] !== undefined) edge.weight = this.weights[slot];
    return edge;
  }

  /** The display label of a node id (the id itself when none was given). */
  labelOf(id: string): string {
    const index = this.nodeIndex.get(id);
    return (index !== undefined && this.labels[index]) || id;
  }

  private walkIds(id: string, outward: boolean, options?: WalkOptions): string[] {
    const start = this.nodeIndex.get(id);
    if (start === undefined) return [];
    const plain = options?.maxDepth === undefined && options?.relations === undefined;
    const count = plain
      ? collect(this.adjacency, this.scratch, start, outward)
      : this.walkFrom(start, outward, options);
    const queue = this.scratch.queue;
    const ids: string[] = new Array(count - 1);
    for (let i = 1; i < count; i++) ids[i - 1] = this.nodeIds[queue[i]];
    return ids;
  }

  private edgesAround(id: string, direction: 'in' | 'out', mask: RelationMask): LineageEdge[] {
    const node = this.nodeIndex.get(id);
    const result: LineageEdge[] = [];
    if (node === undefined) return result;
    this.adjacency.forEachEdge(node, direction, (slot) => {
      if (mask === 0 || (mask >>> this.adjacency.edgeRelation[slot]) & 1) {
        result.push(this.edgeAt(slot));
      }
    });
    return result;
  }

  /** The number of a node id, adding the node (first in the order when `first`) if new. */
  private intern(id: string, first = false): number {
    const known = this.nodeIndex.get(id);
    if (known !== undefined) return known;
    const index = this.adjacency.addNode();
    this.nodeIndex.set(id, index);
    this.nodeIds.push(id);
    this.labels.push(undefined);
    if (index >= this.kinds.length) {
      const kinds = new Uint8Array(this.kinds.length * 2);
      kinds.set(this.kinds);
      this.kinds = kinds;
    }
    this.order.addNode(index, first);
    return index;
  }

  private remember(edge: LineageEdge, slot: number): void {
    this.edgeIndex.set(edge.id, slot);
    this.edgeIds[slot] = edge.id;
    this.notes[slot] = edge.note;
    this.weights[slot] = edge.weight;
  }

  private sameEnds(slot: number, edge: LineageEdge): boolean {
    const adjacency = this.adjacency;
    return (
      this.nodeIds[adjacency.edgeFrom[slot]] === edge.from &&
      this.nodeIds[adjacency.edgeTo[slot]] === edge.to &&
      LINEAGE_RELATIONS[adjacency.edgeRelation[slot]] === edge.relation
    );
  }

  private cycleError(ids: string[]): LineageCycleError {
    return new LineageCycleError(
      ids.map((id) => this.labelOf(id)),
      ids,
    );
  }
}
