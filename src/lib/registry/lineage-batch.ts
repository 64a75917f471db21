/**
 * Many lineage links in one transaction, for imports: each input is checked as `addEdge`
 * checks it, but a bad one is reported instead of thrown, so the rest still go in. A link
 * already in the lineage (same parent, child and relation) is reported as existing and adds
 * nothing, which is what makes re-importing a file harmless.
 *
 * Cycles are checked in input order against the live graph plus the links accepted before,
 * on a scratch copy, so the live graph the queries read is never touched before the commit.
 */
import { StemmaError } from './errors';
import { UnknownLineageNodeError } from './lineage-errors';
import { canonicalCycle } from './lineage-edge-step';
import { lookUpNodes } from './lineage-nodes';
import type { LineageProjection } from './lineage-projection';
import type { Commit } from './lineage-service';
import type { AddLineageEdgeInput, LineageEdgeBatchResult } from './lineage-types';
import { checkEdgeInput, checkRelationEnds } from './lineage-validate';
import type { LineageCycleError } from '../lineage/errors';
import { LineageGraphIndex } from '../lineage/graph-index';
import type { LineageEdge } from '../lineage/types';
import type { EventPayloads } from '../store/event';
import type { WorkspaceDb } from '../store/schema';

function randomId(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

function asStemmaError(error: unknown): StemmaError {
  if (error instanceof StemmaError) return error;
  return new StemmaError('invalid-input', error instanceof Error ? error.message : String(error));
}

export interface BatchDeps {
  db: WorkspaceDb;
  projection: LineageProjection;
  commit: Commit;
  cycleError(cycleIds: string[]): Promise<LineageCycleError>;
}

/**
 * Adds every input that can be added, in one transaction.
 *
 * @example
 *   const { added, existing, refused } = await addEdgesInBatch(deps, inputs);
 */
export async function addEdgesInBatch(
  deps: BatchDeps,
  inputs: readonly AddLineageEdgeInput[],
): Promise<LineageEdgeBatchResult> {
  const result: LineageEdgeBatchResult = { added: [], existing: [], refused: [] };
  const refuse = (index: number, error: unknown) =>
    result.refused.push({ index, input: inputs[index], error: asStemmaError(error) });

  const checked: { index: number; edge: ReturnType<typeof checkEdgeInput> }[] = [];
  inputs.forEach((input, index) => {
    try {
      checked.push({ index, edge: checkEdgeInput(input) });
    } catch (error) {
      refuse(index, error);
    }
  });

  const { info } = await lookUpNodes(
    deps.db,
    checked.flatMap(({ edge }) => [edge.from, edge.to]),
  );
  const graph = await deps.projection.graph(deps.db);
  const seen = new Set<string>();
  const candidates: { index: number; edge: LineageEdge }[] = [];
  for (const { index, edge } of checked) {
    const parent = info.get(edge.from)!;
    const child = info.get(edge.to)!;
    try {
      if (!parent.known) throw new UnknownLineageNodeError(edge.from, 'parent');
      if (!child.known) throw new UnknownLineageNodeError(edge.to, 'child');
      checkRelationEnds(edge.relation, parent, child);
    } catch (error) {
      refuse(index, error);
      continue;
    }
    const key = JSON.stringify([edge.from, edge.to, edge.relation]);
    const live = graph.incoming(edge.to, [edge.relation]).some((known) => known.from === edge.from);
    if (live || seen.has(key)) {
      result.existing.push(index);
      continue;
    }
    seen.add(key);
    const added: LineageEdge = {
      id: randomId(),
      from: edge.from,
      to: edge.to,
      relation: edge.relation,
    };
    if (edge.note !== undefined) added.note = edge.note;
    if (edge.weight !== undefined) added.weight = edge.weight;
    candidates.push({ index, edge: added });
  }

  const accepted = await withoutCycles(deps, graph, candidates, refuse);
  if (accepted.length === 0) return sorted(result);

  await deps.commit(
    accepted.map(({ edge }) => ({
      type: 'lineage.edge.added' as const,
      entity: edge.id,
      payload: addPayload(edge),
    })),
  );

  // Another tab may have closed a loop meanwhile; the fold then dropped the add.
  const rows = await deps.db.lineageEdges.bulkGet(accepted.map(({ edge }) => edge.id));
  for (const [position, { index, edge }] of accepted.entries()) {
    const row = rows[position];
    if (row?.state === 'dropped' && row.reason === 'cycle') {
      refuse(index, await deps.cycleError(row.cycle));
    } else {
      result.added.push(edge);
    }
  }
  return sorted(result);
}

/** The candidates that close no cycle, in order; the others are refused with the cycle named. */
async function withoutCycles(
  deps: BatchDeps,
  graph: LineageGraphIndex,
  candidates: { index: number; edge: LineageEdge }[],
  refuse: (index: number, error: unknown) => void,
): Promise<{ index: number; edge: LineageEdge }[]> {
  if (candidates.length === 0) return [];
  // One link can be checked on the live graph itself (wouldCycle changes nothing it shows);
  // several need a copy that grows as they are accepted.
  const scratch = candidates.length === 1 ? null : LineageGraphIndex.build([], graph.edges());
  const accepted: { index: number; edge: LineageEdge }[] = [];
  for (const candidate of candidates) {
    const { from, to } = candidate.edge;
    const target = scratch ?? graph;
    if (target.wouldCycle(from, to)) {
      refuse(candidate.index, await deps.cycleError(canonicalCycle(target, from, to)));
      continue;
    }
    scratch?.addEdge(candidate.edge);
    accepted.push(candidate);
  }
  return accepted;
}

function addPayload(edge: LineageEdge): EventPayloads['lineage.edge.added'] {
  const payload: EventPayloads['lineage.edge.added'] = {
    from: edge.from,
    to: edge.to,
    relation: edge.relation,
  };
  if (edge.note !== undefined) payload.note = edge.note;
  if (edge.weight !== undefined) payload.weight = edge.weight;
  return payload;
}

function sorted(result: LineageEdgeBatchResult): LineageEdgeBatchResult {
  result.refused.sort((a, b) => a.index - b.index);
  return result;
}
