/**
 * How the interface words what a format reader found in a model file: format names,
 * parameter counts, shapes, signatures, safety verdicts and reading errors. Pure functions,
 * so the register form, the version page and the compare page say the same things.
 */
import type { ModelFileSummary } from '$lib/registry/formats/summary';
import type { Dim, ModelFormat, SafetyVerdict, SignatureEntry } from '$lib/registry/formats/types';

const FORMAT_LABELS: Record<ModelFormat, string> = {
  onnx: 'ONNX',
  safetensors: 'safetensors',
  'safetensors-index': 'safetensors index',
  gguf: 'GGUF',
  'tfjs-model': 'TensorFlow.js model',
  'tfjs-weights-manifest': 'TensorFlow.js weights manifest',
  'keras-v3': 'Keras 3',
  'keras-h5': 'Keras HDF5',
  hdf5: 'HDF5',
  'pytorch-zip': 'PyTorch',
  'pytorch-legacy': 'PyTorch (legacy pickle)',
  pickle: 'Pickle',
  skops: 'skops',
  'mlflow-mlmodel': 'MLflow MLmodel',
  'model-card': 'Model card',
};

/** `onnx` -> `ONNX`; null (nothing recognised) -> `Unknown format`. */
export function formatLabel(format: ModelFormat | null): string {
  return format ? FORMAT_LABELS[format] : 'Unknown format';
}

const countUnits: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/**
 * A parameter or tensor count the way model cards write it: `7.24B`, `135K`, `757`.
 * Three significant digits; the exact number belongs in a title attribute.
 */
export function formatCount(count: number | null | undefined): string {
  if (count === null || count === undefined || !Number.isFinite(count)) return '—';

  // Round first, so 999,999 reads `1M` rather than `1000K`.
  const rounded = Number(count.toPrecision(3));
  for (const [size, unit] of countUnits) {
    if (Math.abs(rounded) >= size) return `${Number((rounded / size).toPrecision(3))}${unit}`;
  }
  return String(count);
}

/** `1234567` -> `1,234,567`: the exact count, for a tooltip. */
export function exactCount(count: number | null | undefined): string {
  return count === null || count === undefined ? '' : count.toLocaleString('en-US');
}

/** A signed change: `+1.2M`, `−340`, `0`. */
export function formatCountDelta(delta: number | null): string {
  if (delta === null) return '—';
  if (delta === 0) return '0';
  return `${delta > 0 ? '+' : '−'}${formatCount(Math.abs(delta))}`;
}

/** `[batch, 3, 224, 224]`; a dimension nobody knows is `?`. */
export function formatShape(shape: Dim[] | null): string {
  if (shape === null) return 'shape unknown';
  return `[${shape.map((dim) => (dim === null ? '?' : String(dim))).join(', ')}]`;
}

/** `input_ids int64 [batch, seq]`. */
export function formatSignatureEntry(entry: SignatureEntry): string {
  const parts = [entry.name || '(unnamed)'];
  if (entry.dtype) parts.push(entry.dtype);
  if (entry.shape) parts.push(formatShape(entry.shape));
  return parts.join(' ');
}

/** Element types of a file's parameters, the most used first. */
export function summaryDtypes(summary: ModelFileSummary): string[] {
  if (summary.paramsByDtype && Object.keys(summary.paramsByDtype).length > 0) {
    return Object.entries(summary.paramsByDtype)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([dtype]) => dtype);
  }
  return [...new Set(summary.tensors.map((tensor) => tensor.dtype))].sort();
}

/** `ai.onnx 17, ai.onnx.ml 3`. */
export function formatOpsets(opsets: Record<string, number> | null): string | null {
  if (!opsets || Object.keys(opsets).length === 0) return null;
  return Object.entries(opsets)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([domain, version]) => `${domain || 'ai.onnx'} ${version}`)
    .join(', ');
}

/** One line of the facts a file summary shows; `list` holds multi-valued facts. */
export interface ModelFileFact {
  label: string;
  value: string;
  /** The exact figure behind a rounded one. */
  title?: string;
  list?: string[];
  /** Spans the whole row: long lists of names. */
  wide?: boolean;
}

/** The facts worth showing about a file, in reading order, leaving out what it lacks. */
export function summaryFacts(summary: ModelFileSummary): ModelFileFact[] {
  const facts: ModelFileFact[] = [];
  const add = (label: string, value: string | null | undefined, title?: string) => {
    if (value) facts.push(title ? { label, value, title } : { label, value });
  };

  add('Framework', summary.framework);
  add('Architecture', summary.architecture);
  if (summary.parameterCount !== null) {
    add('Parameters', formatCount(summary.parameterCount), exactCount(summary.parameterCount));
  }
  if (summary.tensorCount !== null) {
    add('Tensors', formatCount(summary.tensorCount), exactCount(summary.tensorCount));
  }
  add('Dtypes', summaryDtypes(summary).join(', '));
  add('Opset', formatOpsets(summary.opsets));
  add('Producer', summary.producer);
  add('Quantisation', summary.quantization);
  if (summary.layerTypes.length > 0) {
    facts.push({ label: 'Layer types', value: summary.layerTypes.join(', '), wide: true });
  }

  for (const [label, entries] of [
    ['Inputs', summary.inputs],
    ['Outputs', summary.outputs],
  ] as const) {
    if (entries.length === 0) continue;
    const list = entries.map(formatSignatureEntry);
    facts.push({ label, value: String(entries.length), list, wide: true });
  }
  return facts;
}

/** What each safety verdict tells the user, as a badge and one sentence. */
export const VERDICTS: Record<SafetyVerdict, { label: string; meaning: string }> = {
  safe: {
    label: 'safe',
    meaning: 'Loading it only rebuilds tensors and containers.',
  },
  suspicious: {
    label: 'suspicious',
    meaning: 'Loading it runs library code: trust its source before you load it.',
  },
  dangerous: {
    label: 'dangerous',
    meaning: 'Loading it could run commands on your machine. Do not load it.',
  },
  unknown: {
    label: 'unknown',
    meaning: 'Its bytes could not be read to the end, so Stemma cannot vouch for it.',
  },
};

const ERROR_TITLES: Record<string, string> = {
  'model-file-aborted': 'Stopped',
  'model-file-crc': 'Checksum mismatch',
  'model-file-empty': 'Empty file',
  'model-file-implausible': 'Implausible header',
  'model-file-internal': 'Reader failure',
  'model-file-limit': 'Over a reading limit',
  'model-file-malformed': 'Damaged file',
  'model-file-timeout': 'Timed out',
  'model-file-truncated': 'Truncated file',
  'model-file-unrecognized': 'Not a model file',
  'model-file-unsafe-path': 'Unsafe path',
  'model-file-unsupported': 'Unsupported variant',
  'model-file-worker-crashed': 'Reader crashed',
  'model-file-zip-bomb': 'Zip bomb',
};

/** A short name for a reading error's code, shown before its message. */
export function errorTitle(code: string): string {
  return ERROR_TITLES[code] ?? 'Could not read';
}

/**
 * Whether a reading error is only "this is not a model file": such files (tokenizers,
 * configs, notes) are still attached to the version, so the form does not paint them red.
 */
export function isPlainFile(error: { code: string } | null): boolean {
  return error?.code === 'model-file-unrecognized';
}
