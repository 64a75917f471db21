/**
 * The lineage projection tables, added in schema version 2.
 *
 * The store only keeps these rows; the rules that fill them (the cycle-dropping edge fold,
 * last-writer-wins entity records) live above it and reach the log as `ScopeFold`s.
 */
import type { LineageRecordKind } from '../registry/types';

/** A dataset, run or code record: a lineage node that is not a model version. */
export interface LineageEntityRow {
  id: string;
  kind: LineageRecordKind;
  name: string;
  /** Kind-specific fields, each last-writer-wins across records of the same id. */
  fields: Record<string, unknown>;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  updatedBy: string;
}

/**
 * `active`: in the graph. `removed`: an accepted edge whose add events were all removed.
 * `dropped`: its latest add was left out (it would have closed a cycle, or reused an edge id
 * for other ends), and no earlier add keeps it in the graph.
 */
export type LineageEdgeState = 'active' | 'removed' | 'dropped';

/** One lineage edge (parent `from` -> child `to`) as the fold of its add and remove events. */
export interface LineageEdgeRow {
  id: string;
  from: string;
  to: string;
  relation: string;
  note?: string;
  weight?: number;
  state: LineageEdgeState;
  /** Why the latest add was left out, while `state` is `dropped`. */
  reason: 'cycle' | 'conflict' | null;
  /**
   * For `cycle`: the loop the edge would have closed, as ids `[from, to, ..., from]`. Ids, not
   * labels: labels change (a renumbered version) and a projection must depend on events only.
   */
  cycle: string[];
  /** The add event that was left out, while `state` is `dropped`. */
  droppedEvent: string | null;
  /** OR-set tags: the add events still in force. A remove takes away those it observed. */
  tags: string[];
  /** 1 once an add of this id was accepted; from then on its ends and relation are fixed. */
  accepted: 0 | 1;
  addedAt: number;
  addedBy: string;
  updatedAt: number;
}

/** The Dexie stores schema version 2 adds. */
export const LINEAGE_STORES = {
  lineageEntities: 'id, kind, name',
  lineageEdges: 'id, from, to, relation, state',
} as const;
