/**
 * Turns a lineage subgraph (see `neighbourhood`) into vis-network data: nodes on
 * hierarchical levels with roots at the top, styled by kind, labelled with their alias
 * badges, and edges styled by relation. A pure transform; the page owns the `Network`.
 *
 * Beyond `maxNodes` the view folds what lies farthest from the centre into cluster nodes
 * (see `vis-folding.ts`); a page expands one by calling again with its key in `expanded`.
 */
import type { Edge, Node, Options } from 'vis-network';
import {
  RELATION_LABELS,
  type LineageEdge,
  type LineageEntityKind,
  type LineageRelation,
  type LineageSubgraph,
} from './types';
import { clusterAnchor, clusterNodeId, planFolding } from './vis-folding';

/** What the page knows about a node beyond the graph, for labels and hover text. */
export interface LineageNodeFacts {
  /** Alias names shown as badges, without the `@`. */
  aliases?: string[];
  /** One or two lines shown on hover, e.g. format, parameter count, metrics. */
  summary?: string;
  /** Nodes sharing a family fold together (e.g. the model id of a version). */
  family?: string;
}

export interface VisAdapterOptions {
  facts?: (id: string) => LineageNodeFacts | undefined;
  /** Most nodes to draw before folding families into clusters; 1,500 when absent. */
  maxNodes?: number;
  /** Cluster keys (as listed in `folded`) to draw in full, even past `maxNodes`. */
  expanded?: ReadonlySet<string>;
  /** Draw relation labels on edges; by default only when there are at most 300 edges. */
  edgeLabels?: boolean;
}

export type LineageVisNode = Node & {
  id: string;
  label: string;
  level: number;
  group: LineageEntityKind | 'cluster';
  /** Signed distance from the centre (negative above it); clusters take their nearest. */
  depth: number;
  /** A node's family (its facts' family, else its id); for a cluster, its key. */
  family: string;
  /** For clusters: the node ids folded into it. */
  members?: string[];
};

export type LineageVisEdge = Edge & {
  id: string;
  from: string;
  to: string;
  /** The relation, or `mixed` for a bundle of edges between clusters. */
  relation: LineageRelation | 'mixed';
  /** How many lineage edges this drawn edge stands for. */
  count: number;
};

export interface LineageVisData {
  nodes: LineageVisNode[];
  edges: LineageVisEdge[];
  options: Options;
  /** Families folded into clusters, by key. */
  folded: string[];
}

const KIND_STYLE: Record<LineageEntityKind | 'cluster', Node> = {
  version: { shape: 'box', color: { background: '#dbeafe', border: '#1d4ed8' } },
  dataset: { shape: 'database', color: { background: '#dcfce7', border: '#15803d' } },
  run: { shape: 'ellipse', color: { background: '#ffedd5', border: '#c2410c' } },
  code: { shape: 'hexagon', size: 14, color: { background: '#f3e8ff', border: '#7e22ce' } },
  cluster: {
    shape: 'box',
    color: { background: '#f1f5f9', border: '#475569' },
    shapeProperties: { borderDashes: [6, 4] },
  },
};

const DATA_RELATIONS: readonly LineageRelation[] = ['trained-on', 'evaluated-on', 'produced-by'];

/** Options for a hierarchical, physics-free drawing: fast, and stable between redraws. */
export function lineageVisOptions(): Options {
  return {
    layout: {
      hierarchical: {
        enabled: true,
        direction: 'UD',
        sortMethod: 'directed',
        shakeTowards: 'roots',
        levelSeparation: 110,
        nodeSpacing: 170,
        // Levels come from `hierarchyLevels`; vis-network's crossing reduction on top of them
        // ran for over a second in one task on a 300-node family, freezing the page.
        edgeMinimization: false,
        blockShifting: false,
      },
    },
    physics: { enabled: false },
    interaction: { hover: true, tooltipDelay: 150 },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.6 } }, smooth: false },
    groups: KIND_STYLE as Options['groups'],
  };
}

/**
 * Levels by longest path from the subgraph's roots, so every parent sits above its
 * children even when a shortcut edge skips a generation.
 */
export function hierarchyLevels(subgraph: LineageSubgraph): Map<string, number> {
  const level = new Map(subgraph.nodes.map((node) => [node.id, 0]));
  const waiting = new Map(subgraph.nodes.map((node) => [node.id, 0]));
  const children = new Map<string, string[]>();
  for (const edge of subgraph.edges) {
    waiting.set(edge.to, (waiting.get(edge.to) ?? 0) + 1);
    const list = children.get(edge.from);
    if (list) list.push(edge.to);
    else children.set(edge.from, [edge.to]);
  }

  const ready = subgraph.nodes.filter((node) => waiting.get(node.id) === 0).map((n) => n.id);
  for (let head = 0; head < ready.length; head++) {
    const parent = ready[head];
    for (const child of children.get(parent) ?? []) {
      level.set(child, Math.max(level.get(child) ?? 0, (level.get(parent) ?? 0) + 1));
      const left = (waiting.get(child) ?? 0) - 1;
      waiting.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  return level;
}

function nodeLabel(label: string, facts: LineageNodeFacts | undefined): string {
  const badges = (facts?.aliases ?? []).map((alias) => `@${alias}`).join(' · ');
  return badges ? `${label}\n${badges}` : label;
}

function edgeTitle(edge: LineageEdge): string {
  const weight = edge.weight === undefined ? '' : ` (weight ${edge.weight})`;
  const note = edge.note ? `\n${edge.note}` : '';
  return `${edge.to} ${RELATION_LABELS[edge.relation]} ${edge.from}${weight}${note}`;
}

/**
 * Builds vis-network nodes, edges and options for a subgraph.
 *
 * @example
 *   const view = toVisData(index.neighbourhood(versionId, { maxDepth: 3 }), { facts });
 *   new Network(container, { nodes: new DataSet(view.nodes), edges: new DataSet(view.edges) },
 *     view.options);
 */
export function toVisData(
  subgraph: LineageSubgraph,
  options: VisAdapterOptions = {},
): LineageVisData {
  const levels = hierarchyLevels(subgraph);
  const labels = new Map(subgraph.nodes.map((node) => [node.id, node.label]));
  const maxNodes = Math.max(3, options.maxNodes ?? 1500);
  const familyOf = (id: string) => options.facts?.(id)?.family;
  const plan = planFolding(subgraph, maxNodes, familyOf, options.expanded);

  const nodes: LineageVisNode[] = [];
  const clusters = new Map<string, LineageVisNode>();
  const representative = new Map<string, string>();
  for (const node of subgraph.nodes) {
    const level = levels.get(node.id) ?? 0;
    const key = plan.clusterOf.get(node.id);
    if (key === undefined) {
      const facts = options.facts?.(node.id);
      const visNode: LineageVisNode = {
        id: node.id,
        label: nodeLabel(node.label, facts),
        title: facts?.summary ? `${node.label}\n${facts.summary}` : `${node.label} (${node.kind})`,
        level,
        group: node.kind,
        depth: node.depth,
        family: facts?.family ?? node.id,
      };
      if (node.id === subgraph.center) Object.assign(visNode, { borderWidth: 3, shadow: true });
      nodes.push(visNode);
      representative.set(node.id, node.id);
      continue;
    }

    const clusterId = clusterNodeId(key);
    representative.set(node.id, clusterId);
    const cluster = clusters.get(clusterId);
    if (!cluster) {
      const created = { id: clusterId, label: key, level, group: 'cluster', depth: node.depth };
      clusters.set(clusterId, { ...created, family: key, members: [node.id] } as LineageVisNode);
      continue;
    }
    cluster.members?.push(node.id);
    cluster.level = Math.min(cluster.level, level);
    if (Math.abs(node.depth) < Math.abs(cluster.depth)) cluster.depth = node.depth;
  }

  for (const cluster of clusters.values()) {
    const count = cluster.members?.length ?? 0;
    const anchor = clusterAnchor(cluster.family);
    const where = anchor && `${anchor.side} ${labels.get(anchor.anchor) ?? anchor.anchor}`;
    cluster.label = where ? `+${count} more\n${where}` : `${cluster.family}\n+${count} more`;
    cluster.title = `${count} lineage nodes folded; open to expand`;
    nodes.push(cluster);
  }

  const edges = new Map<string, LineageVisEdge>();
  const showLabels = options.edgeLabels ?? subgraph.edges.length <= 300;
  for (const edge of subgraph.edges) {
    const from = representative.get(edge.from);
    const to = representative.get(edge.to);
    if (!from || !to || from === to) continue;
    const bundled = from !== edge.from || to !== edge.to;
    const key = bundled ? `bundle:${from}->${to}` : edge.id;
    const known = edges.get(key);
    if (known) {
      known.count++;
      if (known.relation !== edge.relation) known.relation = 'mixed';
      known.title = `${known.count} lineage links`;
      continue;
    }
    const visEdge: LineageVisEdge = {
      id: key,
      from,
      to,
      relation: edge.relation,
      count: 1,
      title: bundled ? '1 lineage link' : edgeTitle(edge),
      dashes: DATA_RELATIONS.includes(edge.relation),
    };
    if (showLabels && !bundled) {
      const weight = edge.weight === undefined ? '' : ` ${Math.round(edge.weight * 100)}%`;
      visEdge.label = `${RELATION_LABELS[edge.relation]}${weight}`;
    }
    edges.set(key, visEdge);
  }

  const folded = [...clusters.values()].map((cluster) => cluster.family);
  return { nodes, edges: [...edges.values()], options: lineageVisOptions(), folded };
}
