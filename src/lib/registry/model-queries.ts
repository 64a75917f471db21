/** Reading models, versions and metric curves from the projections. */
import type { RegistryReads } from './registry-reads';
import { toModel, toVersion } from './rows';
import type { MetricPoint, Model, ModelListPage, ModelListRequest, ModelVersion } from './types';
import type { ModelRow, WorkspaceDb } from '../store/schema';

/** A model row with its aliases resolved to version numbers. */
export async function modelWithAliases(db: WorkspaceDb, row: ModelRow): Promise<Model> {
  const aliasRows = await db.aliases.where('modelId').equals(row.id).toArray();
  const targets = await db.versions.bulkGet(aliasRows.map((a) => a.versionId));
  const aliases: Record<string, number> = {};
  aliasRows.forEach((alias, index) => {
    const target = targets[index];
    if (target) aliases[alias.alias] = target.number;
  });
  return toModel(row, aliases);
}

/** One page of models, newest change first, or by name when a prefix is given. */
export async function listModels(
  registry: RegistryReads,
  request: ModelListRequest,
): Promise<ModelListPage> {
  const page = Math.max(0, request.page ?? 0);
  const pageSize = Math.min(200, Math.max(1, request.pageSize ?? 25));
  const prefix = request.namePrefix?.toLowerCase() ?? '';
  const table = registry.log.db.models;
  const base = prefix
    ? table.where('nameLower').startsWith(prefix)
    : table.orderBy('updatedAt').reverse();
  const visible = base.filter((row) => request.includeArchived || row.archived === 0);
  // Without a prefix the total is an index count, which reads no rows: counting through the
  // filter read every model, and was most of a cold start's first paint.
  const counted = prefix
    ? visible.clone().count()
    : request.includeArchived
      ? table.count()
      : table.where('archived').equals(0).count();
  const [total, rows] = await Promise.all([
    counted,
    visible
      .offset(page * pageSize)
      .limit(pageSize)
      .toArray(),
  ]);
  const models = await Promise.all(rows.map((row) => modelWithAliases(registry.log.db, row)));
  return { models, page, pageSize, total, hasMore: (page + 1) * pageSize < total };
}

/** A model's versions in number order. */
export async function listVersions(
  registry: RegistryReads,
  model: string,
  options: { includeArchived?: boolean },
): Promise<ModelVersion[]> {
  const row = await registry.modelRow(model);
  const rows = await registry.log.db.versions
    .where('[modelId+number]')
    .between([row.id, 0], [row.id, Infinity])
    .toArray();
  return rows.filter((v) => options.includeArchived || v.archived === 0).map(toVersion);
}

/** Every recorded point of every metric of a version, by key, in step order. */
export async function metricHistory(
  db: WorkspaceDb,
  versionId: string,
): Promise<Record<string, MetricPoint[]>> {
  const rows = await db.metrics.where('versionId').equals(versionId).toArray();
  const curves: Record<string, MetricPoint[]> = {};
  for (const { key, value, step, timestamp } of rows) {
    (curves[key] ??= []).push({ value, step, timestamp });
  }
  for (const points of Object.values(curves)) {
    points.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  }
  return curves;
}
