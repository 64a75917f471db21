/**
 * What the importer needs from an `MLmodel` file and from a run's
 * `mlflow.log-model.history` tag: flavors, ids, creation time and the MLflow version that
 * wrote it. A version this importer does not know is refused rather than half understood.
 */
import { UnknownMlflowVersionError } from './errors';
import { parseMeta, text, utcMillis, type Meta } from './read-meta';

export interface MlmodelFacts {
  flavors: string[];
  mlflowVersion: string | null;
  modelUuid: string | null;
  modelId: string | null;
  runId: string | null;
  artifactPath: string | null;
  createdAt: number | null;
}

/** MLflow majors whose file layouts this importer follows. */
const KNOWN_MAJORS = new Set([0, 1, 2, 3]);

/** Throws `UnknownMlflowVersionError` unless `version` is an MLflow 0.x to 3.x version. */
export function checkMlflowVersion(version: string | null, file: string, source = ''): void {
  if (version === null) return;
  const match = /^(\d+)\.\d+/.exec(version.trim());
  if (match && KNOWN_MAJORS.has(Number(match[1]))) return;
  const index = source.split('\n').findIndex((line) => line.startsWith('mlflow_version'));
  throw new UnknownMlflowVersionError(file, version, index >= 0 ? index + 1 : null);
}

function factsOf(meta: Meta): MlmodelFacts {
  const flavors = meta.flavors;
  return {
    flavors:
      flavors && typeof flavors === 'object' && !Array.isArray(flavors) ? Object.keys(flavors) : [],
    mlflowVersion: text(meta, 'mlflow_version'),
    modelUuid: text(meta, 'model_uuid'),
    modelId: text(meta, 'model_id'),
    runId: text(meta, 'run_id'),
    artifactPath: text(meta, 'artifact_path'),
    createdAt: utcMillis(meta.utc_time_created),
  };
}

/** Reads an MLmodel file; throws `MalformedMetaError` or `UnknownMlflowVersionError`. */
export function readMlmodel(source: string, file: string): MlmodelFacts {
  const facts = factsOf(parseMeta(source, file));
  checkMlflowVersion(facts.mlflowVersion, file, source);
  return facts;
}

/** The entries of `mlflow.log-model.history` (a JSON list of MLmodel dictionaries). */
export function readLogModelHistory(value: string): MlmodelFacts[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((entry): entry is Meta => !!entry && typeof entry === 'object').map(factsOf);
}
