/**
 * Lineage queries: walks over the in-memory graph of active edges (never a scan of events),
 * with the nodes they reach labelled from the projections in one bulk read.
 */
import { InvalidInputError } from './errors';
import { UnknownLineageNodeError } from './lineage-errors';
import {
  describeEdges,
  describeNodes,
  isRecordArchived,
  lookUpNodes,
  nodeFacts,
  nodeTraits,
  toLineageEntity,
} from './lineage-nodes';
import type { LineageProjection } from './lineage-projection';
import type {
  DroppedLineageEdge,
  LineageCommonAncestor,
  LineageDiffInfo,
  LineageEdgeInfo,
  LineageEntity,
  LineageNeighbourhood,
  LineageNeighbourhoodOptions,
  LineageNodeInfo,
  LineagePathInfo,
  LineageQueryOptions,
} from './lineage-types';
import type { LineageRecordKind } from './types';
import { filterSubgraph, matchesNodeFilter, nodeFacets } from '../lineage/subgraph-filter';
import { RELATION_LABELS, type LineageEntityKind, type ReachedNode } from '../lineage/types';
import type { LineageEdgeRow, WorkspaceDb } from '../store/schema';

export class LineageQueries {
  constructor(
    private readonly db: WorkspaceDb,
    private readonly projection: LineageProjection,
  ) {}

  /** Throws unless `id` is a version or a lineage record; returns what it is. */
  private async node(id: string, role = 'node'): Promise<LineageNodeInfo> {
    if (typeof id !== 'string' || id === '') throw new UnknownLineageNodeError(String(id), role);
    const [info] = await describeNodes(this.db, [id]);
    if (!info.known) throw new UnknownLineageNodeError(id, role);
    return info;
  }

  private async reached(
    reached: ReachedNode[],
    kinds?: readonly LineageEntityKind[],
  ): Promise<LineageNodeInfo[]> {
    const infos = await describeNodes(
      this.db,
      reached.map((node) => node.id),
    );
    return infos
      .map((info, index) => ({ ...info, depth: reached[index].depth }))
      .filter((info) => !kinds || kinds.includes(info.kind));
  }

  /** Everything `id` came from, nearest first, with how many edges away. */
  async ancestors(id: string, options: LineageQueryOptions = {}): Promise<LineageNodeInfo[]> {
    await this.node(id);
    const graph = await this.projection.graph(this.db);
    return this.reached(graph.reach(id, 'ancestors', options), options.kinds);
  }

  /** Everything that came from `id`, nearest first. */
  async descendants(id: string, options: LineageQueryOptions = {}): Promise<LineageNodeInfo[]> {
    await this.node(id);
    const graph = await this.projection.graph(this.db);
    return this.reached(graph.reach(id, 'descendants', options), options.kinds);
  }

  /**
   * The model versions built on a dataset, directly or through other versions and runs:
   * "which models were trained on data later found to be bad?". `kinds` defaults to versions.
   */
  async downstreamOfDataset(
    id: string,
    options: LineageQueryOptions = {},
  ): Promise<LineageNodeInfo[]> {
    const start = await this.node(id, 'dataset');
    if (start.kind !== 'dataset') {
      throw new InvalidInputError(
        `"${start.label}" is a ${start.kind}, not a dataset. Ask for its descendants instead.`,
        'dataset',
      );
    }
    return this.descendants(id, { ...options, kinds: options.kinds ?? ['version'] });
  }

  /** The shortest directed path between `a` and `b`, either way; null when unrelated. */
  async path(a: string, b: string, options: LineageQueryOptions = {}) {
    await Promise.all([this.node(a), this.node(b)]);
    const graph = await this.projection.graph(this.db);
    const path = graph.path(a, b, options);
    if (!path) return null;
    const result: LineagePathInfo = {
      direction: path.direction,
      nodes: await describeNodes(this.db, path.nodes),
      edges: path.edges,
    };
    return result;
  }

  /** The lowest common ancestors of `a` and `b`, nearest first. */
  async commonAncestors(
    a: string,
    b: string,
    options: LineageQueryOptions = {},
  ): Promise<LineageCommonAncestor[]> {
    await Promise.all([this.node(a), this.node(b)]);
    const graph = await this.projection.graph(this.db);
    const common = graph.nearestCommonAncestors(a, b, options);
    const infos = await describeNodes(
      this.db,
      common.map((ancestor) => ancestor.id),
    );
    return common.map((ancestor, index) => ({
      node: infos[index],
      distanceFromA: ancestor.distanceFromA,
      distanceFromB: ancestor.distanceFromB,
    }));
  }

  /** Ancestors only `a` has, only `b` has, and those they share. */
  async diff(a: string, b: string, options: LineageQueryOptions = {}): Promise<LineageDiffInfo> {
    await Promise.all([this.node(a), this.node(b)]);
    const graph = await this.projection.graph(this.db);
    const diff = graph.diff(a, b, options);
    const { info } = await lookUpNodes(this.db, [...diff.onlyA, ...diff.onlyB, ...diff.shared]);
    const kinds = options.kinds;
    const keep = (ids: string[]) =>
      ids.map((id) => info.get(id)!).filter((node) => !kinds || kinds.includes(node.kind));
    return { onlyA: keep(diff.onlyA), onlyB: keep(diff.onlyB), shared: keep(diff.shared) };
  }

  /**
   * The graph around `id`, labelled, with the facts `toVisData` draws (alias badges, hover
   * summaries, families). `kinds`, `models`, `aliases` and `tags` hide other nodes and their
   * edges (see `matchesNodeFilter`); the centre stays. `facets` lists what the filters can
   * choose from before they took anything away.
   */
  async neighbourhood(
    id: string,
    options: LineageNeighbourhoodOptions = {},
  ): Promise<LineageNeighbourhood> {
    await this.node(id);
    const graph = await this.projection.graph(this.db);
    const subgraph = graph.neighbourhood(id, {
      maxDepth: options.depth ?? 2,
      relations: options.relations,
      maxNodes: options.maxNodes,
    });
    const lookup = await lookUpNodes(
      this.db,
      subgraph.nodes.map((node) => node.id),
    );
    const labelled = {
      ...subgraph,
      nodes: subgraph.nodes.map((node) => {
        const info = lookup.info.get(node.id)!;
        return { id: node.id, kind: info.kind, label: info.label, depth: node.depth };
      }),
    };
    const traits = new Map(labelled.nodes.map((node) => [node.id, nodeTraits(node.id, lookup)]));
    const filter = {
      kinds: options.kinds,
      models: options.models,
      aliases: options.aliases,
      tags: options.tags,
    };
    const shown = filterSubgraph(labelled, (node) => matchesNodeFilter(traits.get(node)!, filter));
    const facts: LineageNeighbourhood['facts'] = {};
    for (const node of shown.nodes) facts[node.id] = nodeFacts(node.id, lookup);
    const names = new Map([...lookup.versions.values()].map((row) => [row.modelId, row.modelName]));
    const facets = nodeFacets(traits.values(), (modelId) => names.get(modelId) ?? modelId);
    return { ...shown, facts, facets };
  }

  /** Every edge into or out of `id`, in any state (removed ones can be restored). */
  async edgesOf(id: string): Promise<LineageEdgeInfo[]> {
    const rows = [
      ...(await this.db.lineageEdges.where('to').equals(id).toArray()),
      ...(await this.db.lineageEdges.where('from').equals(id).toArray()),
    ];
    const unique = [...new Map(rows.map((row) => [row.id, row])).values()];
    return describeEdges(
      this.db,
      unique.sort((x, y) => x.addedAt - y.addedAt || cmp(x.id, y.id)),
    );
  }

  /** The adds the fold left out and why, newest first, in words a user can act on. */
  async dropped(): Promise<DroppedLineageEdge[]> {
    const rows = await this.db.lineageEdges.where('state').equals('dropped').toArray();
    rows.sort((x, y) => y.updatedAt - x.updatedAt || cmp(x.id, y.id));
    const { info } = await lookUpNodes(
      this.db,
      rows.flatMap((row) => [row.from, row.to, ...row.cycle]),
    );
    const edges = await describeEdges(this.db, rows);
    return rows.map((row, index) => {
      const edge = edges[index];
      const cycle = row.cycle.map((id) => info.get(id)!.label);
      return {
        edge,
        eventId: row.droppedEvent ?? '',
        reason: row.reason ?? 'cycle',
        cycle,
        cycleIds: row.cycle,
        message: droppedMessage(row, edge, cycle),
      };
    });
  }

  /** Datasets, runs and code records (of one kind when given), by name; archived on request. */
  async entities(
    kind?: LineageRecordKind,
    options: { includeArchived?: boolean } = {},
  ): Promise<LineageEntity[]> {
    const table = this.db.lineageEntities;
    const rows = kind ? await table.where('kind').equals(kind).toArray() : await table.toArray();
    return rows
      .filter((row) => options.includeArchived || !isRecordArchived(row))
      .sort((x, y) => cmp(x.name, y.name) || cmp(x.id, y.id))
      .map(toLineageEntity);
  }

  async entity(id: string): Promise<LineageEntity> {
    const row = typeof id === 'string' ? await this.db.lineageEntities.get(id) : undefined;
    if (!row) throw new UnknownLineageNodeError(String(id), 'record');
    return toLineageEntity(row);
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function droppedMessage(row: LineageEdgeRow, edge: LineageEdgeInfo, cycle: string[]): string {
  const link = `${edge.toLabel} ${RELATION_LABELS[edge.relation]} ${edge.fromLabel}`;
  if (row.reason === 'conflict') {
    return (
      `The link "${link}" was left out: another add reused its id for other ends. ` +
      `Add the link again to record it with a new id.`
    );
  }
  return (
    `The link "${link}" was left out: with it the lineage would loop ` +
    `${cycle.join(' -> ')}. It was added while another peer added the rest of that loop; ` +
    `every peer keeps the link that came first. Remove one link of the loop, then restore ` +
    `this one if it is the right one.`
  );
}
