/** Turns projection rows into the public types pages read. */
import type { ModelRow, VersionRow } from '../store/schema';
import type { Model, ModelVersion } from './types';

export function toModel(row: ModelRow, aliases: Record<string, number>): Model {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    tags: row.tags,
    archived: row.archived === 1,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
    versionCount: row.versionCount,
    latestVersion: row.latestVersion,
    aliases,
  };
}

export function toVersion(row: VersionRow): ModelVersion {
  return {
    id: row.id,
    modelId: row.modelId,
    modelName: row.modelName,
    number: row.number,
    requestedNumber: row.requestedNumber,
    description: row.description,
    params: row.params,
    metrics: row.metrics,
    tags: row.tags,
    aliases: row.aliases,
    datasets: row.datasets,
    code: row.code,
    files: row.files,
    archived: row.archived === 1,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
  };
}
