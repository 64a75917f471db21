/**
 * Reading a Keras model config (Keras 3 `config.json` or the `model_config` of a legacy .h5):
 * model class, layers with output shapes where a Sequential model lets them be inferred, and
 * the parts that would run code on load: Lambda layers and objects from outside Keras.
 */
import type { Dim, KerasLayer, SafetyReport } from './types';

type Json = Record<string, unknown>;

const SHAPE_PRESERVING = new Set([
  'Dropout',
  'Activation',
  'LeakyReLU',
  'ReLU',
  'PReLU',
  'ELU',
  'Softmax',
  'BatchNormalization',
  'LayerNormalization',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'ActivityRegularization',
  'Masking',
]);

export interface KerasConfigSummary {
  modelClass: string | null;
  layers: KerasLayer[];
  lambdaLayers: string[];
  customObjects: string[];
}

const str = (value: unknown) => (typeof value === 'string' ? value : null);

function shapeOf(value: unknown): Dim[] | null {
  if (!Array.isArray(value)) return null;
  return value.map((d) => (typeof d === 'number' ? d : null));
}

/** Summarise a parsed Keras config. `maxLayers` bounds the list, not the scan. */
export function summarizeKerasConfig(config: Json, maxLayers: number): KerasConfigSummary {
  const summary: KerasConfigSummary = {
    modelClass: str(config.class_name),
    layers: [],
    lambdaLayers: [],
    customObjects: [],
  };
  scanForCode(config, summary, 0);
  const inner = (config.config ?? {}) as Json;
  const layers = Array.isArray(inner.layers) ? (inner.layers as Json[]) : [];
  const sequential = summary.modelClass === 'Sequential';
  let shape: Dim[] | null = null;
  for (const layer of layers) {
    const layerConfig = (layer?.config ?? {}) as Json;
    const className = str(layer?.class_name) ?? 'unknown';
    const build = (layer?.build_config as Json | undefined)?.input_shape;
    const declared: Dim[] | null =
      shapeOf(layerConfig.batch_shape) ??
      shapeOf(layerConfig.batch_input_shape) ??
      (shape === null ? shapeOf(build) : null);
    if (declared) shape = declared;
    shape = sequential ? inferOutput(className, layerConfig, shape) : null;
    if (summary.layers.length < maxLayers) {
      summary.layers.push({
        name: str(layerConfig.name) ?? str(layer?.name) ?? '',
        className,
        module: str(layer?.module),
        outputShape: shape,
      });
    }
  }
  return summary;
}

function inferOutput(className: string, config: Json, input: Dim[] | null): Dim[] | null {
  if (!input) return null;
  if (className === 'InputLayer' || SHAPE_PRESERVING.has(className)) return input;
  if (className === 'Dense' && typeof config.units === 'number') {
    return [...input.slice(0, -1), config.units];
  }
  if (className === 'Flatten' && input.slice(1).every((d) => typeof d === 'number')) {
    return [input[0], (input.slice(1) as number[]).reduce((a, b) => a * b, 1)];
  }
  return null;
}

function scanForCode(node: unknown, summary: KerasConfigSummary, depth: number): void {
  if (depth > 200 || !node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) scanForCode(child, summary, depth + 1);
    return;
  }
  const object = node as Json;
  const className = str(object.class_name);
  const module = str(object.module);
  const registered = str(object.registered_name);
  const name = str((object.config as Json | undefined)?.name) ?? className ?? '';
  if (className === 'Lambda' || className === '__lambda__') summary.lambdaLayers.push(name);
  if (className && module && !/^(keras|tf_keras|builtins)(\.|$)/.test(module)) {
    summary.customObjects.push(`${module}.${className}`);
  } else if (registered && registered.includes('>')) {
    summary.customObjects.push(registered);
  }
  for (const child of Object.values(object)) scanForCode(child, summary, depth + 1);
}

/** What loading the model would run, judged from its config. */
export function kerasSafety(summary: KerasConfigSummary): SafetyReport {
  const findings: SafetyReport['findings'] = [];
  for (const name of summary.lambdaLayers) {
    findings.push({
      severity: 'danger',
      message: `Lambda layer "${name}" stores Python code that runs when the model is loaded.`,
    });
  }
  for (const name of [...new Set(summary.customObjects)]) {
    findings.push({
      severity: 'warning',
      message: `The config imports ${name}, code from outside Keras.`,
    });
  }
  const verdict =
    summary.lambdaLayers.length > 0
      ? 'dangerous'
      : summary.customObjects.length > 0
        ? 'suspicious'
        : 'safe';
  const summaryText =
    verdict === 'dangerous'
      ? 'The model holds Lambda layers whose Python code runs on load (safe_mode=False). ' +
        'Do not load it unless you trust its source.'
      : verdict === 'suspicious'
        ? 'The model needs custom objects from outside Keras; loading imports their modules.'
        : 'The config uses only Keras classes.';
  return {
    verdict,
    summary: summaryText,
    findings,
    imports: [],
    calls: [],
    protocol: null,
    opcodeCount: 0,
    complete: true,
  };
}
