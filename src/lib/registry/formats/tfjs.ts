/**
 * TensorFlow.js model.json (graph or layers model) and bare weights manifests, plus the
 * sharded safetensors index, all JSON that names weight files beside it. Weight shards are
 * checked for presence and size against the manifest, never read.
 */
import type { ReaderContext, ReaderOutcome } from './context';
import { MalformedFileError } from './errors';
import { addCounts, checkedProduct } from './numbers';
import type {
  SafetensorsIndexMetadata,
  SignatureEntry,
  TensorEntry,
  TfjsMetadata,
  TfjsWeightFile,
} from './types';

const DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
  int8: 1,
  int16: 2,
};

interface ManifestWeight {
  name?: unknown;
  shape?: unknown;
  dtype?: unknown;
  quantization?: { dtype?: unknown };
}

type Json = Record<string, unknown>;

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Read a TF.js model.json (object) or weights manifest (array of groups). */
export async function readTfjs(
  document: Json | unknown[],
  ctx: ReaderContext,
): Promise<ReaderOutcome> {
  const isManifest = Array.isArray(document);
  const model: Json = isManifest ? { weightsManifest: document } : document;
  const manifest = model.weightsManifest ?? [];
  if (!Array.isArray(manifest)) {
    throw new MalformedFileError('TensorFlow.js', 'weightsManifest is not a list of groups');
  }
  const meta: TfjsMetadata = {
    format: isManifest ? 'tfjs-weights-manifest' : 'tfjs-model',
    modelFormat: str(model.format),
    generatedBy: str(model.generatedBy),
    convertedBy: str(model.convertedBy),
    signature: model.signature ?? null,
    inputs: [],
    outputs: [],
    weightFiles: [],
    weightCount: 0,
    weightDtypes: [],
    quantized: false,
    quantizationDtypes: [],
    parameterCount: 0,
    expectedWeightBytes: 0,
    graphNodeCount: null,
    opTypes: [],
    kerasClass: null,
    kerasVersion: null,
    layers: [],
    weights: [],
    weightsTruncated: false,
  };
  readManifest(manifest, meta, ctx);
  checkShards(meta, ctx);
  readTopology(model, meta);
  return { metadata: meta };
}

function readManifest(groups: unknown[], meta: TfjsMetadata, ctx: ReaderContext): void {
  const dtypes = new Set<string>();
  const quantDtypes = new Set<string>();
  for (const group of groups as { paths?: unknown; weights?: unknown }[]) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new MalformedFileError('TensorFlow.js', 'a weights group lacks paths or weights');
    }
    for (const path of group.paths) {
      if (typeof path === 'string') meta.weightFiles.push({ path, present: null, size: null });
    }
    for (const weight of group.weights as ManifestWeight[]) {
      const shape = Array.isArray(weight.shape) ? weight.shape : [];
      if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
        throw new MalformedFileError('TensorFlow.js', `weight "${weight.name}" has a bad shape`);
      }
      const elements = checkedProduct(shape.map(BigInt), BigInt(Number.MAX_SAFE_INTEGER));
      if (elements === null) {
        throw new MalformedFileError('TensorFlow.js', `weight "${weight.name}" is too large`);
      }
      const dtype = str(weight.dtype) ?? 'float32';
      const stored = str(weight.quantization?.dtype);
      dtypes.add(dtype);
      if (stored) quantDtypes.add(stored);
      meta.weightCount += 1;
      meta.parameterCount = addCounts(meta.parameterCount, elements);
      const bytes = DTYPE_BYTES[stored ?? dtype];
      if (bytes === undefined)
        ctx.warn(`Weight "${weight.name}" has dtype ${dtype}; size unknown.`);
      else meta.expectedWeightBytes += Number(elements) * bytes;
      if (meta.weights.length < ctx.budget.limits.maxListed) {
        meta.weights.push({ name: String(weight.name), dtype, shape } as TensorEntry);
      }
    }
  }
  meta.weightDtypes = [...dtypes].sort();
  meta.quantizationDtypes = [...quantDtypes].sort();
  meta.quantized = quantDtypes.size > 0;
  meta.weightsTruncated = meta.weights.length < meta.weightCount;
}

function checkShards(meta: TfjsMetadata, ctx: ReaderContext): void {
  if (ctx.siblings.alone) return;
  let total = 0;
  const missing: TfjsWeightFile[] = [];
  for (const file of meta.weightFiles) {
    const size = ctx.siblings.sizeOf(file.path);
    file.present = size !== undefined;
    file.size = size ?? null;
    if (size === undefined) missing.push(file);
    else total += size;
  }
  if (missing.length > 0) {
    ctx.warn(`Weight files missing from the drop: ${missing.map((f) => f.path).join(', ')}.`);
  } else if (total !== meta.expectedWeightBytes) {
    ctx.warn(
      `The weight files hold ${total} bytes but the manifest describes ` +
        `${meta.expectedWeightBytes}; they may belong to another version of the model.`,
    );
  }
}

function readTopology(model: Json, meta: TfjsMetadata): void {
  const topology = model.modelTopology as Json | undefined;
  const userSignature = (model.userDefinedMetadata as Json | undefined)?.signature;
  const signature = (model.signature ?? userSignature) as Json | undefined;
  if (signature) {
    meta.inputs = signatureEntries(signature.inputs);
    meta.outputs = signatureEntries(signature.outputs);
  }
  if (!topology || typeof topology !== 'object') return;
  if (Array.isArray(topology.node)) {
    meta.graphNodeCount = topology.node.length;
    const ops = new Set<string>();
    for (const node of topology.node as Json[]) if (typeof node?.op === 'string') ops.add(node.op);
    meta.opTypes = [...ops].sort();
  }
  const keras = (topology.model_config ?? (topology.class_name ? topology : null)) as Json | null;
  if (keras) {
    meta.kerasClass = str(keras.class_name);
    const layers = (keras.config as Json | undefined)?.layers;
    if (Array.isArray(layers)) meta.layers = layers.map((l) => String((l as Json)?.class_name));
  }
  meta.kerasVersion = str(topology.keras_version);
}

function signatureEntries(section: unknown): SignatureEntry[] {
  if (!section || typeof section !== 'object') return [];
  return Object.entries(section as Record<string, Json>).map(([key, value]) => {
    const dims = ((value?.tensorShape as Json | undefined)?.dim ?? []) as Json[];
    const unknownRank = (value?.tensorShape as Json | undefined)?.unknownRank === true;
    return {
      name: str(value?.name) ?? key,
      dtype: str(value?.dtype),
      shape: unknownRank ? null : dims.map((d) => (d?.size === undefined ? null : Number(d.size))),
    };
  });
}

/** Read `model.safetensors.index.json`: which tensor lives in which shard. */
export async function readSafetensorsIndex(
  index: Json,
  ctx: ReaderContext,
): Promise<ReaderOutcome> {
  const map = index.weight_map;
  if (!map || typeof map !== 'object' || Array.isArray(map)) {
    throw new MalformedFileError('safetensors index', 'weight_map is not an object');
  }
  const shards = new Map<string, number>();
  const names: string[] = [];
  for (const [tensor, file] of Object.entries(map as Record<string, unknown>)) {
    if (typeof file !== 'string') {
      throw new MalformedFileError('safetensors index', `tensor "${tensor}" names no shard`);
    }
    shards.set(file, (shards.get(file) ?? 0) + 1);
    if (names.length < ctx.budget.limits.maxListed) names.push(tensor);
  }
  const metadata = (index.metadata ?? null) as Json | null;
  const total = metadata?.total_size;
  const result: SafetensorsIndexMetadata = {
    format: 'safetensors-index',
    totalSize: typeof total === 'number' ? total : null,
    metadata,
    tensorCount: Object.keys(map).length,
    shards: [...shards].map(([file, tensorCount]) => ({
      file,
      tensorCount,
      present: ctx.siblings.alone ? null : ctx.siblings.sizeOf(file) !== undefined,
    })),
    tensorNames: names,
    tensorsTruncated: names.length < Object.keys(map).length,
  };
  const missing = result.shards.filter((s) => s.present === false).map((s) => s.file);
  if (missing.length > 0) ctx.warn(`Shards missing from the drop: ${missing.join(', ')}.`);
  return { metadata: result };
}
