/**
 * What lineage results show of a node: its kind, label (`bert v3`, `squad 2.0`), model and
 * aliases, read from the projections in bulk. Labels are looked up when asked, not kept in
 * the graph, because they change (a version renumbered after a late event, a record renamed)
 * without any lineage event.
 */
import type { LineageEdgeInfo, LineageEntity, LineageNodeInfo } from './lineage-types';
import type { LineageNodeTraits } from '../lineage/subgraph-filter';
import type { LineageNodeFacts } from '../lineage/vis-adapter';
import type { LineageEdge } from '../lineage/types';
import type { LineageEdgeRow, LineageEntityRow, VersionRow, WorkspaceDb } from '../store/schema';
import { edgeOfRow } from './lineage-edge-step';

export function versionLabel(row: Pick<VersionRow, 'modelName' | 'number'>): string {
  return `${row.modelName} v${row.number}`;
}

export function entityLabel(row: Pick<LineageEntityRow, 'kind' | 'name' | 'fields'>): string {
  const version = row.kind === 'dataset' ? row.fields.version : undefined;
  return typeof version === 'string' && version ? `${row.name} ${version}` : row.name;
}

/** The tags a record carries in its fields; empty when it has none or they are malformed. */
export function recordTags(row: Pick<LineageEntityRow, 'fields'>): Record<string, string> {
  const tags = row.fields.tags;
  return tags && typeof tags === 'object' && !Array.isArray(tags)
    ? (tags as Record<string, string>)
    : {};
}

export function isRecordArchived(row: Pick<LineageEntityRow, 'fields'>): boolean {
  return row.fields.archived === true;
}

export function toLineageEntity(row: LineageEntityRow): LineageEntity {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    label: entityLabel(row),
    fields: row.fields,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
    tags: recordTags(row),
    archived: isRecordArchived(row),
  } as LineageEntity;
}

function unknownNode(id: string): LineageNodeInfo {
  return {
    id,
    kind: 'version',
    label: id.length > 12 ? `${id.slice(0, 12)}…` : id,
    modelId: null,
    aliases: [],
    archived: false,
    known: false,
  };
}

/** Nodes and the rows they came from, for callers that need more than the info. */
export interface NodeLookup {
  info: Map<string, LineageNodeInfo>;
  versions: Map<string, VersionRow>;
  entities: Map<string, LineageEntityRow>;
}

/** Looks up every id in two bulk reads; ids found nowhere come back with `known: false`. */
export async function lookUpNodes(db: WorkspaceDb, ids: Iterable<string>): Promise<NodeLookup> {
  const list = [...new Set(ids)];
  const lookup: NodeLookup = { info: new Map(), versions: new Map(), entities: new Map() };
  const versionRows = await db.versions.bulkGet(list);
  const rest = list.filter((_, index) => !versionRows[index]);
  const entityRows = rest.length ? await db.lineageEntities.bulkGet(rest) : [];
  for (const row of versionRows) {
    if (!row) continue;
    lookup.versions.set(row.id, row);
    lookup.info.set(row.id, {
      id: row.id,
      kind: 'version',
      label: versionLabel(row),
      modelId: row.modelId,
      aliases: row.aliases,
      archived: row.archived === 1,
      known: true,
    });
  }
  for (const row of entityRows) {
    if (!row) continue;
    lookup.entities.set(row.id, row);
    lookup.info.set(row.id, {
      id: row.id,
      kind: row.kind,
      label: entityLabel(row),
      modelId: null,
      aliases: [],
      archived: isRecordArchived(row),
      known: true,
    });
  }
  for (const id of list) if (!lookup.info.has(id)) lookup.info.set(id, unknownNode(id));
  return lookup;
}

/** What the model, alias and tag filters look at on a looked-up node. */
export function nodeTraits(id: string, lookup: NodeLookup): LineageNodeTraits {
  const info = lookup.info.get(id)!;
  const version = lookup.versions.get(id);
  const entity = lookup.entities.get(id);
  // A version's effective tags: its model's, overlaid by its own.
  const tags = version
    ? Object.fromEntries(version.tkv.map(([key, value]) => [key, String(value)]))
    : entity
      ? recordTags(entity)
      : {};
  return { kind: info.kind, modelId: info.modelId, aliases: info.aliases, tags };
}

/** Node infos in the order of `ids`. */
export async function describeNodes(
  db: WorkspaceDb,
  ids: readonly string[],
): Promise<LineageNodeInfo[]> {
  const { info } = await lookUpNodes(db, ids);
  return ids.map((id) => info.get(id)!);
}

export function edgeInfo(
  row: LineageEdgeRow,
  nodes: Map<string, LineageNodeInfo>,
): LineageEdgeInfo {
  const edge: LineageEdge = edgeOfRow(row);
  return {
    ...edge,
    state: row.state,
    fromLabel: nodes.get(row.from)?.label ?? row.from,
    toLabel: nodes.get(row.to)?.label ?? row.to,
    addedAt: row.addedAt,
    addedBy: row.addedBy,
    updatedAt: row.updatedAt,
  };
}

/** Edge infos for rows, with their ends looked up in one go. */
export async function describeEdges(
  db: WorkspaceDb,
  rows: LineageEdgeRow[],
): Promise<LineageEdgeInfo[]> {
  const { info } = await lookUpNodes(
    db,
    rows.flatMap((row) => [row.from, row.to]),
  );
  return rows.map((row) => edgeInfo(row, info));
}

function firstLine(text: string, limit = 80): string {
  const line =
    text
      .split('\n')
      .find((part) => part.trim() !== '')
      ?.trim() ?? '';
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

/** Hover text and grouping for a drawing (`toVisData`'s `facts`). */
export function nodeFacts(id: string, lookup: NodeLookup): LineageNodeFacts {
  const version = lookup.versions.get(id);
  if (version) {
    const parts: string[] = [];
    if (version.archived) parts.push('archived');
    const metrics = Object.entries(version.metrics).slice(0, 3);
    if (metrics.length) parts.push(metrics.map(([key, value]) => `${key} ${value}`).join(', '));
    const description = firstLine(version.description);
    return {
      aliases: version.aliases,
      summary: [parts.join(' · '), description].filter(Boolean).join('\n'),
      family: version.modelId,
    };
  }
  const entity = lookup.entities.get(id);
  if (!entity) return { summary: 'not in this workspace yet' };
  const fields = entity.fields;
  const details = Object.entries(fields)
    .filter(([, value]) => typeof value === 'string')
    .map(([key, value]) => `${key}: ${key === 'sha256' ? String(value).slice(0, 12) : value}`);
  return {
    summary: [`${entity.kind} ${entityLabel(entity)}`, ...details.slice(0, 3)].join('\n'),
    family: `${entity.kind}:${entity.name}`,
  };
}
