/**
 * Narrowing a lineage subgraph by what its nodes are: their kind, the model a version belongs
 * to, the aliases it holds, and the tags of versions and records. The graph index knows none
 * of these (they change without lineage events), so the caller looks them up and passes each
 * node's traits in.
 *
 * Model and alias filters speak of versions only: datasets, runs and code stay, so that a
 * view narrowed to one model still shows what its versions were trained on. Tags can sit on
 * every kind, so a tag filter narrows every node. The centre always stays.
 *
 * @example
 *   const keep = (id) => matchesNodeFilter(traits.get(id), { models: ['m1'], aliases: [] });
 *   const shown = filterSubgraph(subgraph, keep);
 */
import type { LineageEntityKind, LineageSubgraph } from './types';

/** A tag a node must carry: the key with any value, or exactly `key=value`. */
export interface LineageTagFilter {
  key: string;
  value?: string;
}

/** What the filters look at on one node. */
export interface LineageNodeTraits {
  kind: LineageEntityKind;
  /** The model of a version; null for other kinds. */
  modelId: string | null;
  aliases: readonly string[];
  tags: Readonly<Record<string, string>>;
}

/**
 * Which nodes to keep. Absent `kinds` keeps every kind; an empty or absent list of models,
 * aliases or tags narrows nothing. Lists are "any of", tags "all of"; the parts combine.
 */
export interface LineageNodeFilter {
  kinds?: readonly LineageEntityKind[];
  models?: readonly string[];
  aliases?: readonly string[];
  tags?: readonly LineageTagFilter[];
}

/** True when `node` passes every part of `filter`. */
export function matchesNodeFilter(node: LineageNodeTraits, filter: LineageNodeFilter): boolean {
  if (filter.kinds && !filter.kinds.includes(node.kind)) return false;
  if (node.kind === 'version') {
    if (filter.models?.length && !filter.models.includes(node.modelId ?? '')) return false;
    const aliases = filter.aliases;
    if (aliases?.length && !node.aliases.some((alias) => aliases.includes(alias))) return false;
  }
  for (const tag of filter.tags ?? []) {
    if (!Object.hasOwn(node.tags, tag.key)) return false;
    if (tag.value !== undefined && node.tags[tag.key] !== tag.value) return false;
  }
  return true;
}

/**
 * The nodes `keep` accepts, the centre always among them, and the edges whose two ends both
 * stayed. Everything else on the subgraph (facts, flags) is carried over unchanged.
 */
export function filterSubgraph<S extends LineageSubgraph>(
  subgraph: S,
  keep: (id: string) => boolean,
): S {
  const nodes = subgraph.nodes.filter((node) => node.id === subgraph.center || keep(node.id));
  const shown = new Set(nodes.map((node) => node.id));
  const edges = subgraph.edges.filter((edge) => shown.has(edge.from) && shown.has(edge.to));
  return { ...subgraph, nodes, edges };
}

/** What a set of nodes offers to filter by: models (with names), aliases and tag pairs. */
export interface LineageNodeFacets {
  models: { id: string; name: string }[];
  aliases: string[];
  tags: { key: string; value: string }[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The models, aliases and tags present among `nodes`, each once and sorted, so a page can
 * offer only filters that match something. `modelName` names a model id.
 */
export function nodeFacets(
  nodes: Iterable<LineageNodeTraits>,
  modelName: (modelId: string) => string,
): LineageNodeFacets {
  const models = new Map<string, string>();
  const aliases = new Set<string>();
  const tags = new Map<string, { key: string; value: string }>();
  for (const node of nodes) {
    if (node.kind === 'version' && node.modelId) models.set(node.modelId, modelName(node.modelId));
    for (const alias of node.aliases) aliases.add(alias);
    for (const [key, value] of Object.entries(node.tags)) {
      tags.set(`${key}\u0000${value}`, { key, value });
    }
  }
  return {
    models: [...models].map(([id, name]) => ({ id, name })).sort((a, b) => byText(a.name, b.name)),
    aliases: [...aliases].sort(byText),
    tags: [...tags.values()].sort((a, b) => byText(a.key, b.key) || byText(a.value, b.value)),
  };
}
