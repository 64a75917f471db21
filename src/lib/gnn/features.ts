/**
 * Node features for the lineage GNN, from registry metadata. The input type
 * (`ModelNodeDescription`) is independent of the store: whoever reads versions from the
 * registry maps each onto it, and the GNN needs nothing else.
 *
 * Every block below is deterministic: open vocabularies (framework, architecture, task,
 * family, tokens) are hashed into fixed buckets rather than numbered in order of appearance,
 * so a node encodes to the same columns in every run, on every peer, whatever else is in the
 * registry. Only the metric block depends on the other nodes (each metric is scaled to its
 * range over the nodes encoded together).
 */
import { fnv1a, nameTokens, normaliseTerm } from './feature-tokens';
import type { SparseFeatures } from './sparse-features';

/** What the GNN knows about one model version. Every field but `name` may be missing. */
export interface ModelNodeDescription {
  /** Display name, organisation included when there is one: `meta-llama/Llama-3.1-8B`. */
  name: string;
  /** File format: a registry format id (`onnx`, `safetensors`, `gguf`...) or free text. */
  format?: string | null;
  /** Library or framework: `transformers`, `pytorch`, `sklearn`, `diffusers`... */
  framework?: string | null;
  /** Architecture or model type: `LlamaForCausalLM`, `bert`, `resnet50`. */
  architecture?: string | null;
  /** Task or pipeline tag: `text-generation`, `image-classification`. */
  task?: string | null;
  parameterCount?: number | null;
  /** Weight dtype or quantisation: `float16`, `bf16`, `Q4_K_M`, `int8`, `gptq-4bit`. */
  precision?: string | null;
  /** Latest value per metric name. */
  metrics?: Record<string, number> | null;
  tags?: readonly string[] | null;
  /** Model family, e.g. the base model's name or the architecture family: `llama`, `qwen2`. */
  family?: string | null;
}

/** One block of columns in the feature matrix, for documentation and inspection. */
export interface FeatureBlock {
  name: string;
  offset: number;
  width: number;
  description: string;
}

export interface EncodedFeatures {
  features: SparseFeatures;
  layout: readonly FeatureBlock[];
}

/** The closed set of formats, merging a format's variants (`safetensors-index`...). */
export const FORMAT_VOCABULARY = [
  'onnx',
  'safetensors',
  'gguf',
  'tfjs',
  'keras',
  'hdf5',
  'pytorch',
  'pickle',
  'skops',
  'mlflow',
  'model-card',
  'other',
] as const;

/** Precision classes, from full floats down to 2-bit quantisation. */
export const PRECISION_VOCABULARY = [
  'float64',
  'float32',
  'float16',
  'bfloat16',
  'float8',
  'int8',
  'q8',
  'q6',
  'q5',
  'q4',
  'q3',
  'q2',
  'other',
] as const;

const LAYOUT_SPEC: readonly Omit<FeatureBlock, 'offset'>[] = [
  {
    name: 'format',
    width: FORMAT_VOCABULARY.length + 1,
    description: 'one-hot file format; last column: unknown',
  },
  {
    name: 'framework',
    width: 33,
    description: 'hashed one-hot library (32 buckets); last: unknown',
  },
  {
    name: 'architecture',
    width: 65,
    description: 'hashed one-hot architecture (64); last: unknown',
  },
  {
    name: 'task',
    width: 33,
    description: 'hashed one-hot task or pipeline tag (32); last: unknown',
  },
  {
    name: 'parameters',
    width: 2,
    description: 'log10(parameter count) / 12, clipped to [0, 1.5]; known flag',
  },
  {
    name: 'precision',
    width: PRECISION_VOCABULARY.length + 1,
    description: 'one-hot dtype or quantisation class; last: unknown',
  },
  {
    name: 'metrics',
    width: 16,
    description:
      'each metric min-max scaled over the nodes encoded together, hashed by name (16); ' +
      'colliding metrics averaged',
  },
  {
    name: 'name-tokens',
    width: 256,
    description: 'hashed tokens of the name, organisation included (256), L2-normalised counts',
  },
  { name: 'tag-tokens', width: 64, description: 'hashed tags (64), L2-normalised' },
  { name: 'family', width: 65, description: 'hashed one-hot model family (64); last: unknown' },
];

/** The feature columns, block by block. */
export const FEATURE_LAYOUT: readonly FeatureBlock[] = LAYOUT_SPEC.reduce<FeatureBlock[]>(
  (blocks, spec) => {
    const previous = blocks.at(-1);
    blocks.push({ ...spec, offset: previous ? previous.offset + previous.width : 0 });
    return blocks;
  },
  [],
);

/** Total number of feature columns. */
export const FEATURE_COUNT = FEATURE_LAYOUT.at(-1)!.offset + FEATURE_LAYOUT.at(-1)!.width;

const block = (name: string) => FEATURE_LAYOUT.find((b) => b.name === name)!;

/**
 * Encodes each description into a sparse feature row, in input order.
 *
 * @example
 *   const { features } = encodeModelFeatures([{ name: 'bert-base-uncased', task: 'fill-mask' }]);
 *   features.featureCount === FEATURE_COUNT;
 */
export function encodeModelFeatures(nodes: readonly ModelNodeDescription[]): EncodedFeatures {
  const metricRanges = metricRangesOf(nodes);
  const row: number[] = [];
  const column: number[] = [];
  const value: number[] = [];

  nodes.forEach((node, index) => {
    const entries = new Map<number, number>();
    const add = (col: number, v: number) => entries.set(col, (entries.get(col) ?? 0) + v);
    encodeNode(node, metricRanges, add);
    for (const [col, v] of [...entries].sort(([a], [b]) => a - b)) {
      if (v === 0) continue;
      row.push(index);
      column.push(col);
      value.push(v);
    }
  });

  return {
    features: {
      nodeCount: nodes.length,
      featureCount: FEATURE_COUNT,
      row: Int32Array.from(row),
      column: Int32Array.from(column),
      value: Float32Array.from(value),
    },
    layout: FEATURE_LAYOUT,
  };
}

type Add = (column: number, value: number) => void;

function encodeNode(node: ModelNodeDescription, ranges: MetricRanges, add: Add): void {
  oneHot('format', formatClass(node.format), FORMAT_VOCABULARY, add);
  hashedOneHot('framework', node.framework, add);
  hashedOneHot('architecture', node.architecture, add);
  hashedOneHot('task', node.task, add);

  const parameters = block('parameters');
  const count = node.parameterCount;
  if (count != null && Number.isFinite(count) && count > 0) {
    add(parameters.offset, Math.min(1.5, Math.max(0, Math.log10(count) / 12)));
    add(parameters.offset + 1, 1);
  }

  oneHot('precision', precisionClass(node.precision), PRECISION_VOCABULARY, add);
  encodeMetrics(node.metrics, ranges, add);
  hashedBag('name-tokens', nameTokens(node.name), add);
  hashedBag('tag-tokens', (node.tags ?? []).map(normaliseTerm).filter(Boolean), add);
  hashedOneHot('family', node.family, add);
}

function oneHot(name: string, value: string | null, vocabulary: readonly string[], add: Add) {
  const { offset, width } = block(name);
  add(offset + (value === null ? width - 1 : vocabulary.indexOf(value)), 1);
}

function hashedOneHot(name: string, value: string | null | undefined, add: Add) {
  const { offset, width } = block(name);
  const term = value ? normaliseTerm(value) : '';
  add(offset + (term ? fnv1a(term, name) % (width - 1) : width - 1), 1);
}

/** Counts of hashed terms, scaled to unit length so long names weigh no more than short. */
function hashedBag(name: string, terms: string[], add: Add) {
  if (terms.length === 0) return;
  const { offset, width } = block(name);
  const counts = new Map<number, number>();
  for (const term of terms) {
    const bucket = fnv1a(term, name) % width;
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  const norm = Math.sqrt([...counts.values()].reduce((sum, c) => sum + c * c, 0));
  for (const [bucket, c] of counts) add(offset + bucket, c / norm);
}

type MetricRanges = Map<string, { min: number; max: number }>;

function metricRangesOf(nodes: readonly ModelNodeDescription[]): MetricRanges {
  const ranges: MetricRanges = new Map();
  for (const node of nodes) {
    for (const [metric, v] of Object.entries(node.metrics ?? {})) {
      if (!Number.isFinite(v)) continue;
      const key = normaliseTerm(metric);
      const range = ranges.get(key);
      if (range) {
        range.min = Math.min(range.min, v);
        range.max = Math.max(range.max, v);
      } else {
        ranges.set(key, { min: v, max: v });
      }
    }
  }
  return ranges;
}

function encodeMetrics(metrics: ModelNodeDescription['metrics'], ranges: MetricRanges, add: Add) {
  const { offset, width } = block('metrics');
  const buckets = new Map<number, number[]>();
  for (const [metric, v] of Object.entries(metrics ?? {})) {
    if (!Number.isFinite(v)) continue;
    const key = normaliseTerm(metric);
    const { min, max } = ranges.get(key)!;
    const scaled = max > min ? (v - min) / (max - min) : 0.5;
    const bucket = fnv1a(key, 'metrics') % width;
    buckets.set(bucket, [...(buckets.get(bucket) ?? []), scaled]);
  }
  for (const [bucket, values] of buckets) {
    // A metric at its minimum still differs from no metric: keep it just above zero.
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    add(offset + bucket, Math.max(mean, 1e-3));
  }
}

/** The format class of a registry format id or free text; null when unknown. */
export function formatClass(format: string | null | undefined): string | null {
  if (!format) return null;
  const f = format.toLowerCase();
  const rules: [RegExp, string][] = [
    [/onnx/, 'onnx'],
    [/safetensors/, 'safetensors'],
    [/gguf|ggml/, 'gguf'],
    [/tfjs|tensorflow\.?js/, 'tfjs'],
    [/keras/, 'keras'],
    [/hdf5|\bh5\b/, 'hdf5'],
    [/pytorch|torch|\bpt\b|\bpth\b|\bbin\b/, 'pytorch'],
    [/pickle|joblib|\bpkl\b/, 'pickle'],
    [/skops/, 'skops'],
    [/mlflow|mlmodel/, 'mlflow'],
    [/model-card|readme/, 'model-card'],
  ];
  return rules.find(([pattern]) => pattern.test(f))?.[1] ?? 'other';
}

/** The precision class of a dtype or quantisation label; null when unknown. */
export function precisionClass(precision: string | null | undefined): string | null {
  if (!precision) return null;
  const p = precision.toLowerCase();
  const rules: [RegExp, string][] = [
    [/bf16|bfloat16/, 'bfloat16'],
    [/f64|float64|double/, 'float64'],
    [/fp8|float8|f8_|e4m3|e5m2/, 'float8'],
    [/f16|fp16|float16|half/, 'float16'],
    [/f32|fp32|float32|float\b/, 'float32'],
    [/q8|8[-_ ]?bit|8bits/, 'q8'],
    [/int8|\bi8\b|uint8|\bu8\b/, 'int8'],
    [/q6|6[-_ ]?bit/, 'q6'],
    [/q5|5[-_ ]?bit/, 'q5'],
    [/q4|4[-_ ]?bit|4bits|int4|nf4|gptq|awq/, 'q4'],
    [/q3|3[-_ ]?bit/, 'q3'],
    [/q2|2[-_ ]?bit|iq1|iq2/, 'q2'],
  ];
  return rules.find(([pattern]) => pattern.test(p))?.[1] ?? 'other';
}
