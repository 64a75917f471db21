/**
 * Lineage commands: record datasets, runs and code, and add, remove and restore the edges
 * between them and model versions. Each validates against the current projections, refuses a
 * cycle before anything is signed, then commits its one event. Queries are in
 * `lineage-queries.ts`.
 */
import { InvalidInputError } from './errors';
import { UnknownLineageEdgeError, UnknownLineageNodeError } from './lineage-errors';
import { addEdgesInBatch } from './lineage-batch';
import { canonicalCycle } from './lineage-edge-step';
import { describeEdges, lookUpNodes, toLineageEntity } from './lineage-nodes';
import type { LineageProjection } from './lineage-projection';
import type {
  AddLineageEdgeInput,
  LineageEdgeBatchResult,
  LineageEdgeInfo,
  LineageEntity,
  RecordCodeInput,
  RecordDatasetInput,
  RecordRunInput,
} from './lineage-types';
import {
  checkCodeFields,
  checkDatasetFields,
  checkEdgeInput,
  checkRecordName,
  checkRelationEnds,
  checkRunFields,
  defaultCodeName,
} from './lineage-validate';
import type { LineageEntityRecord, LineageRecordKind } from './types';
import { checkKey } from './validate';
import { LineageCycleError } from '../lineage/errors';
import type { LineageGraphIndex } from '../lineage/graph-index';
import { RELATION_LABELS, type LineageEdge, type LineageRelation } from '../lineage/types';
import type { EventPayloads, EventType, StemmaEvent } from '../store/event';
import type { LineageEdgeRow, WorkspaceDb } from '../store/schema';

/** Signs drafts and appends them in one transaction (the registry's `commit`). */
export type Commit = (
  drafts: { type: EventType; entity: string; payload: EventPayloads[EventType] }[],
) => Promise<StemmaEvent[]>;

function randomId(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

/** The add payload of an edge, without empty members. */
function addPayload(edge: Omit<LineageEdge, 'id'>): EventPayloads['lineage.edge.added'] {
  const payload: EventPayloads['lineage.edge.added'] = {
    from: edge.from,
    to: edge.to,
    relation: edge.relation,
  };
  if (edge.note !== undefined) payload.note = edge.note;
  if (edge.weight !== undefined) payload.weight = edge.weight;
  return payload;
}

export class LineageService {
  constructor(
    private readonly db: WorkspaceDb,
    private readonly projection: LineageProjection,
    private readonly commit: Commit,
  ) {}

  /** Records a dataset, or updates the fields given of the dataset with `input.id`. */
  async recordDataset(input: RecordDatasetInput): Promise<LineageEntity> {
    const fields = checkDatasetFields(input ?? {});
    return this.record('dataset', input?.id, (current) => ({
      kind: 'dataset',
      name: checkRecordName(input.name, current, 'dataset'),
      fields,
    }));
  }

  /** Records a training or evaluation run, or updates the run with `input.id`. */
  async recordRun(input: RecordRunInput): Promise<LineageEntity> {
    const fields = checkRunFields(input ?? {});
    return this.record('run', input?.id, (current) => ({
      kind: 'run',
      name: checkRecordName(input.name, current, 'run'),
      fields,
    }));
  }

  /** Records a code reference (repository and commit), or updates the one with `input.id`. */
  async recordCode(input: RecordCodeInput): Promise<LineageEntity> {
    const fields = checkCodeFields(input ?? {});
    return this.record('code', input?.id, (current) => ({
      kind: 'code',
      name: checkRecordName(input.name || defaultCodeName(fields), current, 'code record'),
      fields,
    }));
  }

  /**
   * Archives (or restores) a dataset, run or code record: it leaves (or rejoins) default
   * lists. Nothing is deleted; its history and links stay as they were.
   */
  async setRecordArchived(id: string, archived: boolean): Promise<LineageEntity> {
    const row = typeof id === 'string' ? await this.db.lineageEntities.get(id) : undefined;
    if (!row) throw new UnknownLineageNodeError(String(id), 'record');
    if ((row.fields.archived === true) === archived) return toLineageEntity(row);
    const payload = { kind: row.kind, name: row.name, fields: { archived } } as LineageEntityRecord;
    await this.commit([{ type: 'lineage.entity.recorded', entity: id, payload }]);
    return toLineageEntity((await this.db.lineageEntities.get(id))!);
  }

  private async record(
    kind: LineageRecordKind,
    rawId: string | undefined,
    payloadFor: (currentName: string | undefined) => LineageEntityRecord,
  ): Promise<LineageEntity> {
    const id = rawId === undefined ? randomId() : checkKey(rawId, `${kind} id`, 'id');
    const current = await this.db.lineageEntities.get(id);
    if (current && current.kind !== kind) {
      throw new InvalidInputError(
        `"${current.name}" (${id}) is a ${current.kind} record, so it cannot be updated as a ` +
          `${kind}. Leave out the id to record a new ${kind}.`,
        'id',
      );
    }
    if (!current && (await this.db.versions.get(id))) {
      throw new InvalidInputError(`The id "${id}" belongs to a model version; pick another.`, 'id');
    }
    const payload = payloadFor(current?.name);
    await this.commit([{ type: 'lineage.entity.recorded', entity: id, payload }]);
    return toLineageEntity((await this.db.lineageEntities.get(id))!);
  }

  /**
   * Links a parent to a child. Refuses, changing nothing, an unknown end, a relation that does
   * not fit the kinds, a duplicate, and a cycle (`LineageCycleError` naming it).
   *
   * @example await lineage.addEdge({ from: base.id, to: tuned.id, relation: 'fine-tuned-from' })
   */
  async addEdge(input: AddLineageEdgeInput): Promise<LineageEdgeInfo> {
    const edge = checkEdgeInput(input);
    const { info } = await lookUpNodes(this.db, [edge.from, edge.to]);
    const parent = info.get(edge.from)!;
    const child = info.get(edge.to)!;
    if (!parent.known) throw new UnknownLineageNodeError(edge.from, 'parent');
    if (!child.known) throw new UnknownLineageNodeError(edge.to, 'child');
    checkRelationEnds(edge.relation, parent, child);

    const graph = await this.projection.graph(this.db);
    if (graph.incoming(edge.to, [edge.relation]).some((known) => known.from === edge.from)) {
      throw new InvalidInputError(
        `${child.label} is already ${RELATION_LABELS[edge.relation]} ${parent.label}. ` +
          `Remove that link first to record it again with another note or weight.`,
        'relation',
      );
    }
    await this.refuseCycle(graph, edge.from, edge.to);

    const id = randomId();
    await this.commit([{ type: 'lineage.edge.added', entity: id, payload: addPayload(edge) }]);
    return this.confirmAdded(id);
  }

  /** Adds many links in one transaction; what cannot be added is reported, not thrown. */
  addEdges(inputs: readonly AddLineageEdgeInput[]): Promise<LineageEdgeBatchResult> {
    const deps = {
      db: this.db,
      projection: this.projection,
      commit: this.commit,
      cycleError: (ids: string[]) => this.cycleError(ids),
    };
    return addEdgesInBatch(deps, inputs);
  }

  /** Takes an active edge out of the lineage; it stays in history and can be restored. */
  async removeEdge(edgeId: string): Promise<void> {
    const row = await this.edgeRow(edgeId);
    if (row.state !== 'active') {
      const [info] = await describeEdges(this.db, [row]);
      throw new InvalidInputError(
        `The link ${info.toLabel} ${RELATION_LABELS[row.relation as LineageRelation]} ` +
          `${info.fromLabel} is ${row.state}, not in the lineage; there is nothing to remove.`,
        'edge',
      );
    }
    // Removing only the adds seen here keeps an add made meanwhile elsewhere (OR-set).
    await this.commit([
      { type: 'lineage.edge.removed', entity: edgeId, payload: { observed: [...row.tags] } },
    ]);
  }

  /** Puts a removed (or dropped) edge back, unless that would now close a cycle. */
  async restoreEdge(edgeId: string): Promise<LineageEdgeInfo> {
    const row = await this.edgeRow(edgeId);
    const [info] = await describeEdges(this.db, [row]);
    if (row.state === 'active') {
      throw new InvalidInputError(
        `The link ${info.toLabel} ${RELATION_LABELS[row.relation as LineageRelation]} ` +
          `${info.fromLabel} is already in the lineage.`,
        'edge',
      );
    }
    await this.refuseCycle(await this.projection.graph(this.db), row.from, row.to);
    await this.commit([{ type: 'lineage.edge.added', entity: edgeId, payload: addPayload(info) }]);
    return this.confirmAdded(edgeId);
  }

  private async edgeRow(edgeId: string): Promise<LineageEdgeRow> {
    const row = typeof edgeId === 'string' ? await this.db.lineageEdges.get(edgeId) : undefined;
    if (!row) throw new UnknownLineageEdgeError(String(edgeId));
    return row;
  }

  /** Throws `LineageCycleError`, with labels, when `from -> to` would close a cycle. */
  private async refuseCycle(graph: LineageGraphIndex, from: string, to: string): Promise<void> {
    if (!graph.wouldCycle(from, to)) return;
    throw await this.cycleError(canonicalCycle(graph, from, to));
  }

  async cycleError(cycleIds: string[]): Promise<LineageCycleError> {
    const { info } = await lookUpNodes(this.db, cycleIds);
    return new LineageCycleError(
      cycleIds.map((id) => info.get(id)!.label),
      cycleIds,
    );
  }

  /**
   * The edge as folded. Another tab or peer may have closed the same loop between the check
   * and the commit; the fold then drops this add, and the caller hears why.
   */
  private async confirmAdded(edgeId: string): Promise<LineageEdgeInfo> {
    const row = (await this.db.lineageEdges.get(edgeId))!;
    if (row.state === 'dropped' && row.reason === 'cycle') throw await this.cycleError(row.cycle);
    const [info] = await describeEdges(this.db, [row]);
    return info;
  }
}
