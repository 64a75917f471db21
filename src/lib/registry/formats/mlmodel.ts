/**
 * MLflow `MLmodel` files: flavors, signature, input example, run and model ids, creation
 * time and the environment files beside it. Signature columns arrive as JSON strings inside
 * YAML and are parsed too.
 */
import type { ReaderContext, ReaderOutcome } from './context';
import type { MlflowMetadata, MlflowSignature } from './types';

const ENVIRONMENT_FILES = ['requirements.txt', 'conda.yaml', 'python_env.yaml'];

type Yaml = Record<string, unknown>;

const text = (value: unknown): string | null =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;

/** Read a parsed MLmodel document. */
export async function readMlmodel(document: Yaml, ctx: ReaderContext): Promise<ReaderOutcome> {
  const flavors = (document.flavors ?? {}) as Record<string, Record<string, unknown>>;
  if (typeof flavors !== 'object' || Array.isArray(flavors)) {
    return { metadata: emptyMetadata() };
  }
  const environment = new Set(ENVIRONMENT_FILES);
  for (const flavor of Object.values(flavors)) {
    const env = flavor?.env;
    if (typeof env === 'string') environment.add(env);
    else if (env && typeof env === 'object') {
      for (const file of Object.values(env)) if (typeof file === 'string') environment.add(file);
    }
  }
  const serialization = Object.values(flavors)
    .map((f) => text(f?.serialization_format))
    .filter((s): s is string => s !== null);
  if (serialization.some((s) => /pickle/.test(s))) {
    ctx.warn(
      `The model is stored with ${serialization.join(', ')}: loading it unpickles the model ` +
        'file. Inspect that file too before loading.',
    );
  }

  const metadata: MlflowMetadata = {
    format: 'mlflow-mlmodel',
    flavors,
    flavorNames: Object.keys(flavors),
    signature: readSignature(document.signature),
    inputExample: (document.saved_input_example_info ?? null) as Record<string, unknown> | null,
    runId: text(document.run_id),
    modelUuid: text(document.model_uuid),
    modelId: text(document.model_id),
    createdAt: text(document.utc_time_created),
    mlflowVersion: text(document.mlflow_version),
    artifactPath: text(document.artifact_path),
    modelSizeBytes:
      typeof document.model_size_bytes === 'number' ? document.model_size_bytes : null,
    requirementsFiles: [...environment].map((path) => ({
      path,
      present: ctx.siblings.alone ? null : ctx.siblings.sizeOf(path) !== undefined,
    })),
  };
  if (!ctx.siblings.alone) {
    metadata.requirementsFiles = metadata.requirementsFiles.filter((f) => f.present);
  }
  return { metadata };
}

function readSignature(value: unknown): MlflowSignature | null {
  if (!value || typeof value !== 'object') return null;
  const signature = value as Yaml;
  const decode = (part: unknown) => {
    if (typeof part !== 'string') return part ?? null;
    try {
      return JSON.parse(part);
    } catch {
      return part;
    }
  };
  return {
    inputs: decode(signature.inputs),
    outputs: decode(signature.outputs),
    params: decode(signature.params),
  };
}

function emptyMetadata(): MlflowMetadata {
  return {
    format: 'mlflow-mlmodel',
    flavors: {},
    flavorNames: [],
    signature: null,
    inputExample: null,
    runId: null,
    modelUuid: null,
    modelId: null,
    createdAt: null,
    mlflowVersion: null,
    artifactPath: null,
    modelSizeBytes: null,
    requirementsFiles: [],
  };
}
