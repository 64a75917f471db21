/**
 * What the writing steps of an import share: the registry, the store being written, the
 * running counts and issues, and the lineage links already made, so no link is added twice.
 */
import type { Registry } from '$lib/registry/api';
import type { LineageRelation } from '$lib/lineage/types';
import { issueOf } from './errors';
import type {
  ImportCounts,
  ImportIssue,
  MlflowDataset,
  MlflowExperiment,
  MlflowRun,
  MlflowStore,
  ProgressListener,
} from './types';

export interface ApplyContext {
  registry: Registry;
  store: MlflowStore;
  issues: ImportIssue[];
  added: ImportCounts;
  unchanged: number;
  updated: number;
  /** Metric points of runs left out of their records by the history bound. */
  thinnedPoints: number;
  experiments: Map<string, MlflowExperiment>;
  datasets: Map<string, MlflowDataset>;
  runs: Map<string, MlflowRun>;
  /** Run record ids present in the registry (from this import or an earlier one). */
  runRecords: Set<string>;
  /** Stemma model names this import touched. */
  models: Set<string>;
  done: number;
  total: number;
  onProgress?: ProgressListener;
}

export function tick(ctx: ApplyContext, detail: string, steps = 1): void {
  ctx.done += steps;
  ctx.onProgress?.({ phase: 'writing', done: ctx.done, total: ctx.total, detail });
}

/** JSON with sorted keys, to compare what an import would write with what is stored. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (!inner || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    return Object.fromEntries(
      Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  });
}

/**
 * Links `from` to `to` unless a link of that relation between them exists in any state (a
 * link a user removed stays removed). `fresh` skips the look-up for a node made just now.
 */
export async function link(
  ctx: ApplyContext,
  from: string,
  to: string,
  relation: LineageRelation,
  fresh = false,
): Promise<void> {
  try {
    if (!fresh) {
      const edges = await ctx.registry.lineageEdgesOf(to);
      if (
        edges.some((edge) => edge.from === from && edge.to === to && edge.relation === relation)
      ) {
        return;
      }
    }
    await ctx.registry.addLineageEdge({ from, to, relation });
    ctx.added.lineageEdges++;
  } catch (error) {
    ctx.issues.push({ ...issueOf(error, null), severity: 'warning' });
  }
}
