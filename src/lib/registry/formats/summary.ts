/**
 * The part of an inspection a version keeps: format, framework, sizes, signature, safety
 * and a bounded tensor list for comparing versions. Plain JSON of at most a few dozen kB,
 * whatever the model's size.
 */
import type {
  FileInspection,
  ModelFormat,
  SafetyVerdict,
  SignatureEntry,
  TensorEntry,
} from './types';

export interface ModelFileSummary {
  fileName: string;
  size: number;
  format: ModelFormat | null;
  framework: string | null;
  architecture: string | null;
  parameterCount: number | null;
  tensorCount: number | null;
  /** Parameters per element type (safetensors dtype, ggml type, ...). */
  paramsByDtype: Record<string, number> | null;
  inputs: SignatureEntry[];
  outputs: SignatureEntry[];
  opsets: Record<string, number> | null;
  producer: string | null;
  quantization: string | null;
  layerTypes: string[];
  /** The first tensors by name, for diffs between versions; `tensorsTruncated` when cut. */
  tensors: TensorEntry[];
  tensorsTruncated: boolean;
  safety: { verdict: SafetyVerdict; summary: string; dangerous: string[] } | null;
  warnings: string[];
  error: { code: string; message: string } | null;
}

/** Upper bound of a summary's JSON, in characters. */
export const MAX_SUMMARY_CHARS = 48_000;
const MAX_SIGNATURE = 16;
const MAX_LAYER_TYPES = 64;

/** Reduce an inspection to what a version stores. */
export function summarizeInspection(inspection: FileInspection): ModelFileSummary {
  const summary: ModelFileSummary = {
    fileName: inspection.fileName,
    size: inspection.size,
    format: inspection.format,
    framework: null,
    architecture: null,
    parameterCount: null,
    tensorCount: null,
    paramsByDtype: null,
    inputs: [],
    outputs: [],
    opsets: null,
    producer: null,
    quantization: null,
    layerTypes: [],
    tensors: [],
    tensorsTruncated: false,
    safety: inspection.safety && {
      verdict: inspection.safety.verdict,
      summary: inspection.safety.summary,
      dangerous: inspection.safety.imports
        .filter((i) => i.risk === 'dangerous')
        .map((i) => i.name)
        .slice(0, 20),
    },
    warnings: inspection.warnings.slice(0, 10),
    error: inspection.error && { code: inspection.error.code, message: inspection.error.message },
  };
  fillFromMetadata(summary, inspection);
  summary.inputs = summary.inputs.slice(0, MAX_SIGNATURE);
  summary.outputs = summary.outputs.slice(0, MAX_SIGNATURE);
  summary.layerTypes = [...new Set(summary.layerTypes)].slice(0, MAX_LAYER_TYPES);
  return fitSize(summary);
}

function fillFromMetadata(s: ModelFileSummary, inspection: FileInspection): void {
  const m = inspection.metadata;
  if (!m) return;
  switch (m.format) {
    case 'onnx':
      Object.assign(s, {
        framework: 'onnx',
        parameterCount: m.parameterCount,
        tensorCount: m.initializerCount,
        paramsByDtype: m.paramsByDtype,
        inputs: m.inputs,
        outputs: m.outputs,
        opsets: m.opsetImports,
        producer: [m.producerName, m.producerVersion].filter(Boolean).join(' ') || null,
        layerTypes: m.opTypes,
      });
      return;
    case 'safetensors':
      Object.assign(s, {
        framework: frameworkFromSafetensors(m.metadata?.format),
        parameterCount: m.parameterCount,
        tensorCount: m.tensorCount,
        paramsByDtype: m.paramsByDtype,
        tensors: m.tensors,
        tensorsTruncated: m.tensorsTruncated,
      });
      return;
    case 'gguf':
      Object.assign(s, {
        framework: 'llama.cpp',
        architecture: m.architecture,
        parameterCount: m.parameterCount,
        tensorCount: m.tensorCount,
        paramsByDtype: m.paramsByType,
        quantization: m.fileType?.name ?? null,
        tensors: m.tensors.map((t) => ({ name: t.name, dtype: t.type, shape: t.shape })),
        tensorsTruncated: m.tensorsTruncated,
      });
      return;
    case 'tfjs-model':
    case 'tfjs-weights-manifest':
      Object.assign(s, {
        framework: 'tensorflow.js',
        architecture: m.kerasClass ?? m.modelFormat,
        parameterCount: m.parameterCount,
        tensorCount: m.weightCount,
        inputs: m.inputs,
        outputs: m.outputs,
        producer: m.convertedBy ?? m.generatedBy,
        quantization: m.quantizationDtypes.join(', ') || null,
        layerTypes: m.layers.length > 0 ? m.layers : m.opTypes,
        tensors: m.weights,
        tensorsTruncated: m.weightsTruncated,
      });
      return;
    case 'keras-v3':
    case 'keras-h5':
      Object.assign(s, {
        framework: 'keras',
        architecture: m.modelClass,
        parameterCount: m.parameterCount,
        producer: m.kerasVersion ? `keras ${m.kerasVersion}` : null,
        layerTypes: m.layers.map((l) => l.className),
      });
      return;
    case 'pytorch-zip':
    case 'pytorch-legacy':
      Object.assign(s, {
        framework: 'pytorch',
        parameterCount: m.parameterCount,
        tensorCount: m.tensorCount,
        paramsByDtype: m.paramsByDtype,
        tensors: m.tensors.map(({ name, dtype, shape }) => ({ name, dtype, shape })),
        tensorsTruncated: m.tensorsTruncated,
      });
      return;
    case 'pickle':
      Object.assign(s, {
        framework: m.framework,
        architecture: m.estimatorClasses[0]?.split('.').pop() ?? null,
        producer: m.sklearnVersion ? `scikit-learn ${m.sklearnVersion}` : null,
      });
      return;
    case 'skops':
      Object.assign(s, {
        framework: 'scikit-learn',
        architecture: m.rootClass?.split('.').pop() ?? null,
      });
      return;
    case 'mlflow-mlmodel':
      Object.assign(s, {
        framework: m.flavorNames.find((f) => f !== 'python_function') ?? m.flavorNames[0] ?? null,
        producer: m.mlflowVersion ? `mlflow ${m.mlflowVersion}` : null,
      });
      return;
    case 'model-card':
      Object.assign(s, { framework: m.library, architecture: m.pipelineTag });
      return;
    default:
      return;
  }
}

function frameworkFromSafetensors(format: string | undefined): string | null {
  const names: Record<string, string> = {
    pt: 'pytorch',
    tf: 'tensorflow',
    flax: 'flax',
    mlx: 'mlx',
  };
  return format ? (names[format] ?? format) : null;
}

function fitSize(summary: ModelFileSummary): ModelFileSummary {
  while (JSON.stringify(summary).length > MAX_SUMMARY_CHARS && summary.tensors.length > 0) {
    summary.tensors = summary.tensors.slice(0, Math.floor(summary.tensors.length / 2));
    summary.tensorsTruncated = true;
  }
  return summary;
}
