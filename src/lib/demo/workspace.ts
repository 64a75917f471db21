/**
 * Loading, finding and removing the demo workspace, through the Registry API only (so every
 * demo item is an ordinary signed event: it replicates, has history and can be restored).
 *
 * Everything the demo makes carries the tag `stemma.demo=true`. Nothing in Stemma is
 * deleted, so "remove" archives the demo's models, versions and records and takes out the
 * lineage links among them; they leave every default list and the graph, and stay in history.
 * Loading again after a removal brings the same items back rather than making copies.
 *
 * @example
 *   if ((await demoStatus(registry)).state === 'absent') await loadDemoWorkspace(registry);
 */
import type { Registry } from '../registry/api';
import { UnknownModelError } from '../registry/errors';
import type { LineageEntity } from '../registry/lineage-types';
import type { Model } from '../registry/types';
import { DemoAlreadyLoadedError, DemoNameTakenError, DemoNotLoadedError } from './errors';
import { DEMO_MODEL_NAMES, DEMO_SEED, DEMO_TAG, demoPlan, type DemoPlan } from './plan';

export interface DemoStatus {
  /** `loaded`: some demo model is active; `removed`: demo models exist, all archived. */
  state: 'absent' | 'loaded' | 'removed';
  /** Demo models present (active or archived). */
  models: number;
}

/** How many items a load or a removal touched. */
export interface DemoSummary {
  models: number;
  versions: number;
  records: number;
  edges: number;
  aliasMoves: number;
}

export interface DemoLoadOptions {
  seed?: number;
  /** Called as the load advances, with the share done from 0 to 1. */
  onProgress?: (fraction: number) => void;
}

const isDemo = (tags: Record<string, string>) => tags[DEMO_TAG] === 'true';

/** The model called `name`, or null when there is none. */
async function findModel(registry: Registry, name: string): Promise<Model | null> {
  try {
    return await registry.getModel(name);
  } catch (error) {
    if (error instanceof UnknownModelError) return null;
    throw error;
  }
}

async function demoModels(registry: Registry): Promise<Model[]> {
  const found = await Promise.all(DEMO_MODEL_NAMES.map((name) => findModel(registry, name)));
  return found.filter((model): model is Model => model !== null && isDemo(model.tags));
}

/** Whether the demo is in this workspace, and how much of it. */
export async function demoStatus(registry: Registry): Promise<DemoStatus> {
  const models = await demoModels(registry);
  if (models.length === 0) return { state: 'absent', models: 0 };
  const active = models.some((model) => !model.archived);
  return { state: active ? 'loaded' : 'removed', models: models.length };
}

/**
 * Creates the demo workspace: three teams' models, versions, datasets, runs, code, aliases
 * and lineage. Refuses (`DemoAlreadyLoadedError`) when it is loaded already, and
 * (`DemoNameTakenError`) when a model of the user's own has a demo model's name; in both
 * cases before anything is written. After a removal it restores what was archived.
 */
export async function loadDemoWorkspace(
  registry: Registry,
  options: DemoLoadOptions = {},
): Promise<DemoSummary> {
  const status = await demoStatus(registry);
  if (status.state === 'loaded') throw new DemoAlreadyLoadedError();
  if (status.state === 'removed') return restoreDemo(registry, options.onProgress);
  for (const name of DEMO_MODEL_NAMES) {
    if (await findModel(registry, name)) throw new DemoNameTakenError(name);
  }
  return createDemo(registry, demoPlan(options.seed ?? DEMO_SEED), options.onProgress);
}

async function createDemo(
  registry: Registry,
  plan: DemoPlan,
  onProgress?: (fraction: number) => void,
): Promise<DemoSummary> {
  const total = plan.models.length * 2 + plan.datasets.length + plan.code.length + plan.runs.length;
  const steps = total + plan.aliases.length + plan.edges.length;
  let done = 0;
  const advance = () => onProgress?.(++done / steps);
  const ids = new Map<string, string>();

  for (const { key, input } of plan.datasets) {
    ids.set(key, (await registry.recordDataset(input)).id);
    advance();
  }
  for (const { key, input } of plan.code) {
    ids.set(key, (await registry.recordCode(input)).id);
    advance();
  }
  for (const model of plan.models) {
    await registry.createModel(model);
    advance();
    const planned = plan.versions.filter((version) => version.input.model === model.name);
    const versions = await registry.registerVersions(planned.map((version) => version.input));
    versions.forEach((version, index) => ids.set(planned[index].key, version.id));
    advance();
  }
  for (const { key, input } of plan.runs) {
    ids.set(key, (await registry.recordRun(input)).id);
    advance();
  }
  for (const move of plan.aliases) {
    await registry.setAlias(move.model, move.alias, move.version);
    advance();
  }
  for (const edge of plan.edges) {
    const from = ids.get(edge.from);
    const to = ids.get(edge.to);
    if (!from || !to) throw new Error(`The demo plan links unknown ${from ? edge.to : edge.from}.`);
    await registry.addLineageEdge({ ...edge, from, to });
    advance();
  }
  return {
    models: plan.models.length,
    versions: plan.versions.length,
    records: plan.datasets.length + plan.code.length + plan.runs.length,
    edges: plan.edges.length,
    aliasMoves: plan.aliases.length,
  };
}

/** Every demo item in the workspace, archived ones included. */
async function demoItems(registry: Registry) {
  const models = await demoModels(registry);
  const versions = (
    await Promise.all(
      models.map((model) => registry.listVersions(model.id, { includeArchived: true })),
    )
  )
    .flat()
    .filter((version) => isDemo(version.tags));
  const records = (await registry.listLineageEntities(undefined, { includeArchived: true })).filter(
    (record: LineageEntity) => isDemo(record.tags),
  );
  const nodes = new Set([...versions.map((v) => v.id), ...records.map((r) => r.id)]);
  const edges = new Map<string, Awaited<ReturnType<Registry['lineageEdgesOf']>>[number]>();
  for (const id of nodes) {
    for (const edge of await registry.lineageEdgesOf(id)) {
      // Links from the demo into the user's own work are theirs; leave them.
      if (nodes.has(edge.from) && nodes.has(edge.to)) edges.set(edge.id, edge);
    }
  }
  return { models, versions, records, edges: [...edges.values()] };
}

/**
 * Archives every demo model, version and record and removes the links among them: they
 * leave the default lists and the lineage graph, and stay in history. Throws
 * `DemoNotLoadedError` when no active demo item is left.
 */
export async function removeDemoWorkspace(registry: Registry): Promise<DemoSummary> {
  const items = await demoItems(registry);
  const activeModels = items.models.filter((model) => !model.archived);
  if (activeModels.length === 0) throw new DemoNotLoadedError();

  const edges = items.edges.filter((edge) => edge.state === 'active');
  for (const edge of edges) await registry.removeLineageEdge(edge.id);
  const versions = items.versions.filter((version) => !version.archived);
  for (const version of versions) await registry.archive({ kind: 'version', id: version.id });
  const records = items.records.filter((record) => !record.archived);
  for (const record of records) await registry.archiveLineageEntity(record.id);
  for (const model of activeModels) await registry.archive({ kind: 'model', id: model.id });
  return {
    models: activeModels.length,
    versions: versions.length,
    records: records.length,
    edges: edges.length,
    aliasMoves: 0,
  };
}

/** Brings back what `removeDemoWorkspace` archived and the links it took out. */
async function restoreDemo(
  registry: Registry,
  onProgress?: (fraction: number) => void,
): Promise<DemoSummary> {
  const items = await demoItems(registry);
  const models = items.models.filter((model) => model.archived);
  const versions = items.versions.filter((version) => version.archived);
  const records = items.records.filter((record) => record.archived);
  const edges = items.edges.filter((edge) => edge.state === 'removed');
  const steps = models.length + versions.length + records.length + edges.length;
  let done = 0;
  const advance = () => onProgress?.(++done / Math.max(1, steps));

  for (const model of models) {
    await registry.restore({ kind: 'model', id: model.id });
    advance();
  }
  for (const version of versions) {
    await registry.restore({ kind: 'version', id: version.id });
    advance();
  }
  for (const record of records) {
    await registry.restoreLineageEntity(record.id);
    advance();
  }
  for (const edge of edges) {
    await registry.restoreLineageEdge(edge.id);
    advance();
  }
  return {
    models: models.length,
    versions: versions.length,
    records: records.length,
    edges: edges.length,
    aliasMoves: 0,
  };
}
