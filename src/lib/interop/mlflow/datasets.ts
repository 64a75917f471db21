/** MLflow dataset inputs, the same from the file store and the database. */
import type { MlflowDataset } from './types';

/** A key both readers derive alike, so a store and its database meet in one record. */
export function datasetKey(name: string, digest: string): string {
  return `${digest}:${name}`.slice(0, 200);
}

/** The location a dataset source JSON names (`{"uri": ...}`, `{"path": ...}`, ...). */
function sourceUri(source: string): string | null {
  try {
    const parsed = JSON.parse(source) as Record<string, unknown>;
    for (const key of ['uri', 'url', 'path', 'location', 'source']) {
      const value = parsed?.[key];
      if (typeof value === 'string' && value) return value;
    }
    const hub = parsed?.path ?? parsed?.dataset_name;
    return typeof hub === 'string' ? hub : null;
  } catch {
    return source && !source.startsWith('{') ? source : null;
  }
}

export function makeDataset(
  name: string,
  digest: string,
  sourceType: string,
  source: string,
): MlflowDataset {
  return {
    key: datasetKey(name, digest),
    name,
    digest,
    sourceType,
    source,
    uri: sourceUri(source),
  };
}

/** `mlflow.data.context` values that mean evaluation rather than training. */
export function isEvaluation(context: string | null): boolean {
  return context !== null && /^(eval|evaluation|test|testing|valid|validation|val)$/i.test(context);
}
