/**
 * Lineage in history: which lineage events concern a node, and the one-line summaries
 * (`recorded bert v3 fine-tuned from bert v1`) the history tables show.
 */
import { lookUpNodes } from './lineage-nodes';
import type { LineageNodeInfo } from './lineage-types';
import type { HistoryEntityRef, LineageRecordKind } from './types';
import { isLineageRelation, RELATION_LABELS } from '../lineage/types';
import type { StemmaEvent } from '../store/event';
import type { LineageEdgeRow, WorkspaceDb } from '../store/schema';

/** True for events that lineage, not the model fold, projects. */
export function isLineageEvent(event: StemmaEvent): boolean {
  return event.type.startsWith('lineage.');
}

/**
 * Every lineage event about these nodes: their own records and the adds and removes of every
 * edge into or out of them, whatever its state now. Unordered.
 */
export async function lineageEventsAbout(db: WorkspaceDb, ids: string[]): Promise<StemmaEvent[]> {
  if (ids.length === 0) return [];
  const edgeIds = [
    ...(await db.lineageEdges.where('from').anyOf(ids).primaryKeys()),
    ...(await db.lineageEdges.where('to').anyOf(ids).primaryKeys()),
  ];
  const rows = await db.events
    .where('entity')
    .anyOf([...new Set([...ids, ...edgeIds])])
    .toArray();
  return rows
    .filter((row) => row.type.startsWith('lineage.'))
    .map(({ id, hlc, actor, type, entity, payload, sig }) => ({
      id,
      hlc,
      actor,
      type,
      entity,
      payload,
      sig,
    }));
}

/** What summaries of lineage events need: the edges they name and the nodes at their ends. */
export interface LineageHistoryContext {
  edges: Map<string, LineageEdgeRow>;
  nodes: Map<string, LineageNodeInfo>;
}

function endsOf(event: StemmaEvent, edges: Map<string, LineageEdgeRow>) {
  if (event.type === 'lineage.edge.added') {
    const { from, to, relation } = event.payload as { from: string; to: string; relation: string };
    return { from, to, relation };
  }
  return edges.get(event.entity);
}

/** Reads, in two or three bulk reads, what the lineage events among `events` mention. */
export async function lineageContext(
  db: WorkspaceDb,
  events: StemmaEvent[],
): Promise<LineageHistoryContext> {
  const lineage = events.filter(isLineageEvent);
  const context: LineageHistoryContext = { edges: new Map(), nodes: new Map() };
  if (lineage.length === 0) return context;
  const edgeIds = [
    ...new Set(lineage.filter((e) => e.type !== 'lineage.entity.recorded').map((e) => e.entity)),
  ];
  for (const row of await db.lineageEdges.bulkGet(edgeIds)) if (row) context.edges.set(row.id, row);
  const ids: string[] = [];
  for (const event of lineage) {
    if (event.type === 'lineage.entity.recorded') continue;
    const ends = endsOf(event, context.edges);
    if (ends) ids.push(ends.from, ends.to);
  }
  context.nodes = (await lookUpNodes(db, ids)).info;
  return context;
}

/** The entity a lineage event is about, for `HistoryEntry.entity`. */
export function lineageEntityOf(event: StemmaEvent): HistoryEntityRef {
  if (event.type === 'lineage.entity.recorded') {
    return { kind: (event.payload as { kind: LineageRecordKind }).kind, id: event.entity };
  }
  return { kind: 'lineage-edge', id: event.entity };
}

/** The model a lineage event belongs with in history: the child's, else the parent's. */
export function lineageModelOf(event: StemmaEvent, context: LineageHistoryContext): string | null {
  const ends = endsOf(event, context.edges);
  if (!ends || event.type === 'lineage.entity.recorded') return null;
  return context.nodes.get(ends.to)?.modelId ?? context.nodes.get(ends.from)?.modelId ?? null;
}

/**
 * A one-line summary. `again`: an earlier add or record of the same edge or record is in the
 * same history, so this one restores or updates it.
 */
export function summariseLineage(
  event: StemmaEvent,
  context: LineageHistoryContext,
  again: boolean,
): string {
  if (event.type === 'lineage.entity.recorded') {
    const { kind, name, fields } = event.payload as {
      kind: string;
      name: string;
      fields?: { archived?: unknown };
    };
    if (again && fields?.archived === true) return `archived ${kind} ${name}`;
    if (again && fields?.archived === false) return `restored ${kind} ${name}`;
    return `${again ? 'updated' : 'recorded'} ${kind} ${name}`;
  }
  const ends = endsOf(event, context.edges);
  if (!ends) return event.type === 'lineage.edge.added' ? 'recorded a link' : 'removed a link';
  const label = (id: string) => context.nodes.get(id)?.label ?? id;
  const relation = isLineageRelation(ends.relation) ? RELATION_LABELS[ends.relation] : 'linked to';
  const link = `${label(ends.to)} ${relation} ${label(ends.from)}`;
  if (event.type === 'lineage.edge.removed') return `removed the link ${link}`;
  const row = context.edges.get(event.entity);
  const why = row?.reason === 'conflict' ? 'its id was taken' : 'it would close a cycle';
  const left = row?.droppedEvent === event.id ? ` (left out: ${why})` : '';
  return `${again ? 'restored' : 'recorded'} ${link}${left}`;
}
