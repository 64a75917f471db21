/**
 * Writes datasets and runs as lineage records, each looked up first by its stable id: a
 * record already there with the same fields is left alone, one whose fields changed in a
 * newer copy of the store is brought up to date, a missing one is recorded.
 */
import type { LineageEntity } from '$lib/registry/lineage-types';
import { countPoints } from '$lib/registry/run-metric-history';
import { link, stableJson, tick, type ApplyContext } from './apply-context';
import { issueOf } from './errors';
import { datasetRecord, datasetRecordId, inputRelation, runRecord, runRecordId } from './mapping';

async function existing(ctx: ApplyContext, id: string): Promise<LineageEntity | null> {
  try {
    return await ctx.registry.getLineageEntity(id);
  } catch {
    return null;
  }
}

/** The fields of `input` that differ from what `entity` holds, compared as stable JSON. */
function differs(entity: LineageEntity, input: object, name: string | undefined): boolean {
  const fields = entity.fields as Record<string, unknown>;
  for (const [key, value] of Object.entries(input)) {
    if (key === 'id' || key === 'name') continue;
    if (stableJson(fields[key]) !== stableJson(value)) return true;
  }
  return name !== undefined && entity.name !== name;
}

export async function applyDatasets(ctx: ApplyContext): Promise<void> {
  for (const dataset of ctx.datasets.values()) {
    const input = datasetRecord(dataset);
    try {
      const current = await existing(ctx, input.id!);
      if (!current) {
        await ctx.registry.recordDataset(input);
        ctx.added.datasets++;
      } else if (differs(current, input, input.name)) {
        await ctx.registry.recordDataset(input);
        ctx.updated++;
      } else {
        ctx.unchanged++;
      }
    } catch (error) {
      ctx.issues.push(issueOf(error, null));
    }
    tick(ctx, `dataset ${dataset.name}`);
  }
}

export async function applyRuns(ctx: ApplyContext): Promise<void> {
  for (const run of ctx.runs.values()) {
    const id = runRecordId(run.id);
    try {
      const input = runRecord(run, ctx.experiments.get(run.experimentId), ctx.issues);
      // What the record keeps, not what the store held: long curves are thinned.
      const kept = countPoints(input.metricHistory);
      ctx.thinnedPoints += countPoints(run.metrics) - kept;
      const current = await existing(ctx, id);
      if (!current) {
        await ctx.registry.recordRun(input);
        ctx.added.runs++;
        ctx.added.params += Object.keys(run.params).length;
        ctx.added.metricPoints += kept;
      } else if (differs(current, input, input.name)) {
        await ctx.registry.recordRun(input);
        ctx.updated++;
        // A record from before histories were kept gains its curves now.
        const before = current.kind === 'run' ? countPoints(current.fields.metricHistory) : 0;
        ctx.added.metricPoints += Math.max(0, kept - before);
      } else {
        ctx.unchanged++;
      }
      ctx.runRecords.add(id);
      for (const used of run.inputs) {
        const dataset = ctx.datasets.get(used.datasetKey);
        if (!dataset) continue;
        await link(ctx, datasetRecordId(dataset.key), id, inputRelation(used.context), !current);
      }
    } catch (error) {
      ctx.issues.push(issueOf(error, run.origin));
    }
    tick(ctx, `run ${run.name}`);
  }
}
