/**
 * The registry as the lineage GNN sees it: every version as a node with the metadata its
 * features are made of, and every active version-to-version lineage link. Read in one
 * transaction, so the graph and its fingerprint describe one moment of the registry.
 */
import type { ModelNodeDescription } from '../gnn/features';
import { linkKey } from '../gnn/graph-drift';
import type { VersionFacts } from '../gnn/parent-reasons';
import { sha256Hex } from '../store/bytes';
import type { VersionRow, WorkspaceDb } from '../store/schema';

/** One version as a node: what the features, the map's colours and the reasons use. */
export interface VersionNode extends VersionFacts {
  id: string;
  archived: boolean;
  format: string | null;
  description: ModelNodeDescription;
}

export interface RegistryGraph {
  /** Sorted by model name, then version number. */
  nodes: VersionNode[];
  /** Parent -> child links by node index. */
  links: { source: Int32Array; target: Int32Array };
  linkKeys: string[];
  /** SHA-256 over the sorted node ids and link keys. */
  graphHash: string;
}

/** Reads the graph of versions and their lineage links. */
export async function readRegistryGraph(db: WorkspaceDb): Promise<RegistryGraph> {
  const [versions, edges] = await db.transaction('r', [db.versions, db.lineageEdges], () =>
    Promise.all([db.versions.toArray(), db.lineageEdges.where('state').equals('active').toArray()]),
  );
  versions.sort((a, b) => a.nameLower.localeCompare(b.nameLower) || a.number - b.number);
  const nodes = versions.map(versionNode);
  const index = new Map(nodes.map((node, i) => [node.id, i]));

  const source: number[] = [];
  const target: number[] = [];
  const linkKeys: string[] = [];
  for (const edge of edges) {
    const parent = index.get(edge.from);
    const child = index.get(edge.to);
    // Links to datasets, runs and code are not between versions: not the GNN's graph.
    if (parent === undefined || child === undefined) continue;
    source.push(parent);
    target.push(child);
    linkKeys.push(linkKey(edge.from, edge.to));
  }
  return {
    nodes,
    links: { source: Int32Array.from(source), target: Int32Array.from(target) },
    linkKeys,
    graphHash: await graphHash(
      nodes.map((node) => node.id),
      linkKeys,
    ),
  };
}

/** The fingerprint stored with embeddings: equal for equal sets of versions and links. */
export function graphHash(
  nodeIds: readonly string[],
  linkKeys: readonly string[],
): Promise<string> {
  return sha256Hex(`${[...nodeIds].sort().join('\n')}\n\n${[...linkKeys].sort().join('\n')}`);
}

/**
 * Maps a version onto the GNN's node description. Inspected file headers come first (they
 * are read from the model itself), then tags (the model's overlaid by the version's), then
 * parameters, under the names people commonly use for each field.
 */
export function versionNode(row: VersionRow): VersionNode {
  const tags = Object.fromEntries(row.tkv.map(([key, value]) => [key, String(value)]));
  const pick = (...values: (string | null | undefined)[]) =>
    values.find((value) => typeof value === 'string' && value.trim() !== '')?.trim() ?? null;
  const summary = row.files.map((file) => file.summary).find((s) => s && s.format) ?? null;
  const look = (...keys: string[]) => pick(...keys.flatMap((key) => [tags[key], row.params[key]]));

  const architecture = pick(summary?.architecture, look('architecture', 'model_type', 'arch'));
  const format = pick(summary?.format, look('format'), extensionOf(row.files[0]?.name));
  const parameterCount =
    summary?.parameterCount ?? numberOf(look('parameters', 'num_parameters', 'params'));
  const family = pick(look('family', 'model_family'), architecture);
  const description: ModelNodeDescription = {
    name: row.modelName,
    format,
    framework: pick(summary?.framework, look('framework', 'library', 'library_name')),
    architecture,
    task: look('task', 'pipeline_tag'),
    parameterCount,
    precision: pick(summary?.quantization, dominantDtype(summary?.paramsByDtype), look('dtype')),
    metrics: row.metrics,
    tags: Object.entries(tags).map(([key, value]) => `${key}=${value}`),
    family,
  };
  return {
    id: row.id,
    modelName: row.modelName,
    number: row.number,
    archived: row.archived === 1,
    family,
    architecture,
    task: description.task ?? null,
    format,
    description,
  };
}

function extensionOf(name: string | undefined): string | null {
  const match = name?.match(/\.([a-z0-9]+)$/i);
  return match ? match[1].toLowerCase() : null;
}

function numberOf(text: string | null): number | null {
  const value = text === null ? NaN : Number(text);
  return Number.isFinite(value) && value > 0 ? value : null;
}

function dominantDtype(byDtype: Record<string, number> | null | undefined): string | null {
  const entries = Object.entries(byDtype ?? {});
  if (entries.length === 0) return null;
  return entries.reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
}
