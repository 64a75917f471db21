/**
 * The fold of dataset, run and code records (`lineage.entity.recorded`), one scope per record.
 * The first record of an id creates it; later ones rename it and overwrite the fields they
 * carry, last writer wins per field in `(hlc, id)` order. The kind never changes: a record of
 * another kind for the same id is ignored, on every peer alike.
 */
import { LINEAGE_ENTITY_SCOPE_PREFIX, type StemmaEvent } from '../store/event';
import { hlcTime } from '../store/hlc';
import type { LineageEntityRow, WorkspaceDb } from '../store/schema';
import type { ScopeBatch, ScopeFold } from '../store/scope-fold';
import type { LineageRecordKind } from './types';

const KINDS: readonly string[] = ['dataset', 'run', 'code'] satisfies LineageRecordKind[];

const idOfScope = (scope: string) => scope.slice(LINEAGE_ENTITY_SCOPE_PREFIX.length);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Applies one record to `rows`; returns whether it changed anything. */
export function applyRecord(rows: Map<string, LineageEntityRow>, event: StemmaEvent): boolean {
  if (event.type !== 'lineage.entity.recorded') return false;
  const { kind, name, fields } = (event.payload ?? {}) as Partial<Record<string, unknown>>;
  // Malformed records (from a faulty peer) are ignored the same way everywhere.
  if (typeof kind !== 'string' || !KINDS.includes(kind)) return false;
  if (typeof name !== 'string' || name === '' || !isPlainObject(fields)) return false;
  const row = rows.get(event.entity);
  if (row && row.kind !== kind) return false;

  const at = hlcTime(event.hlc);
  const merged: Record<string, unknown> = { ...row?.fields };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) merged[key] = value;
  rows.set(event.entity, {
    id: event.entity,
    kind: kind as LineageRecordKind,
    name,
    fields: merged,
    createdAt: row?.createdAt ?? at,
    createdBy: row?.createdBy ?? event.actor,
    updatedAt: at,
    updatedBy: event.actor,
  });
  return true;
}

/** The `ScopeFold` of the `lineage:entity:<id>` scopes. */
export class LineageEntityFold implements ScopeFold {
  readonly scopePrefix = LINEAGE_ENTITY_SCOPE_PREFIX;

  async applyNew(db: WorkspaceDb, batches: Map<string, ScopeBatch>): Promise<void> {
    const ids = [...batches.keys()].map(idOfScope);
    const rows = new Map<string, LineageEntityRow>();
    for (const row of await db.lineageEntities.bulkGet(ids)) if (row) rows.set(row.id, row);
    const changed = new Set<string>();
    for (const { events } of batches.values()) {
      for (const event of events) if (applyRecord(rows, event)) changed.add(event.entity);
    }
    await db.lineageEntities.bulkPut([...changed].map((id) => rows.get(id)!));
  }

  async replay(db: WorkspaceDb, scopes: Map<string, StemmaEvent[]>): Promise<void> {
    await db.lineageEntities.bulkDelete([...scopes.keys()].map(idOfScope));
    const rows = new Map<string, LineageEntityRow>();
    for (const events of scopes.values()) for (const event of events) applyRecord(rows, event);
    await db.lineageEntities.bulkPut([...rows.values()]);
  }

  discard(): void {
    // Nothing is kept in memory between transactions.
  }
}
