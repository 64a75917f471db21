/**
 * The workspace's recent changes: the newest events of the whole log, with the names of the
 * models they belong to for the model column.
 */
import type { Registry } from '$lib/registry/api';
import type { HistoryEntry } from '$lib/registry/types';

export interface WorkspaceHistory {
  entries: HistoryEntry[];
  /** Model id to name, for the model column. */
  modelNames: Map<string, string>;
  /** True when older changes exist beyond `limit`. */
  truncated: boolean;
}

/** Newest first by clock, then by event id so equal clocks keep one order everywhere. */
export function newestFirst(a: HistoryEntry, b: HistoryEntry): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? 1 : -1;
  return a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0;
}

/** Up to `limit` of the newest changes in the workspace. */
export async function workspaceHistory(
  registry: Registry,
  limit: number,
): Promise<WorkspaceHistory> {
  const newest = await registry.recentHistory(limit + 1);
  const entries = newest.slice(0, limit).sort(newestFirst);
  const modelNames = new Map<string, string>();
  const modelIds = new Set(entries.map((entry) => entry.modelId).filter((id) => id !== null));
  await Promise.all(
    [...modelIds].map(async (id) => {
      const model = await registry.getModel(id).catch(() => null);
      if (model) modelNames.set(id, model.name);
    }),
  );
  return { entries, modelNames, truncated: newest.length > limit };
}
