/**
 * Chooses the TensorFlow.js backend to train on by measuring, not by a fixed order: on a
 * machine without a GPU, WebGPU and WebGL run on a software rasteriser and are the slowest
 * (see STACK.md), while on one with a GPU they win. Each registered candidate runs a few
 * training steps of a small GCN with the same sparse layers as real training; the fastest is
 * kept, and the caller gets every measurement to show the user which ran and why.
 */
import * as tf from '@tensorflow/tfjs-core';
import { NoBackendError } from './errors';
import { disposeTensors, toGraphTensors, toSparseFeatureTensors } from './gcn-layer';
import { normaliseGraph } from './graph';
import { TwoLayerGcn } from './model';
import { SeededRandom } from './random';
import type { SparseFeatures } from './sparse-features';

/** What one candidate measured. */
export interface BackendTiming {
  backend: string;
  ok: boolean;
  /** Median wall time of one training step, warm-up excluded. */
  msPerStep: number | null;
  /** Why the candidate could not run, when it could not. */
  error: string | null;
}

export interface BackendChoice {
  backend: string;
  /** One sentence for the UI: the choice and the numbers behind it. */
  reason: string;
  timings: BackendTiming[];
}

export interface BackendProbeOptions {
  /** Backend names in order of preference on a tie; unregistered ones are reported, skipped. */
  candidates?: readonly string[];
  /** Timed steps per backend after one warm-up step. */
  steps?: number;
  /** Size of the probe graph; the default matches a registry of a few thousand versions. */
  nodeCount?: number;
}

export const DEFAULT_BACKEND_CANDIDATES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

/**
 * Measures each candidate, activates the fastest and says why.
 *
 * @example
 *   const choice = await chooseFastestBackend();
 *   choice.reason; // "wasm: 9.1 ms per training step, fastest of wasm 9.1, cpu 61.0, ..."
 */
export async function chooseFastestBackend(
  options: BackendProbeOptions = {},
): Promise<BackendChoice> {
  const candidates = options.candidates ?? DEFAULT_BACKEND_CANDIDATES;
  const timings: BackendTiming[] = [];
  for (const backend of candidates) {
    timings.push(await measureBackend(backend, options.steps ?? 3, options.nodeCount ?? 2000));
  }

  const working = timings.filter((timing) => timing.ok);
  if (working.length === 0) {
    throw new NoBackendError(
      Object.fromEntries(timings.map((timing) => [timing.backend, timing.error ?? 'failed'])),
    );
  }
  const fastest = working.reduce((best, timing) =>
    timing.msPerStep! < best.msPerStep! ? timing : best,
  );
  await tf.setBackend(fastest.backend);
  return { backend: fastest.backend, reason: describeChoice(fastest, timings), timings };
}

async function measureBackend(
  backend: string,
  steps: number,
  nodeCount: number,
): Promise<BackendTiming> {
  const failed = (error: string): BackendTiming => ({ backend, ok: false, msPerStep: null, error });
  if (!tf.findBackendFactory(backend)) return failed('not registered in this build');
  try {
    if (!(await tf.setBackend(backend))) return failed('failed to initialise');
    await tf.ready();
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }

  const probe = probeProblem(nodeCount);
  const graph = toGraphTensors(probe.graph);
  const features = toSparseFeatureTensors(probe.features);
  const model = new TwoLayerGcn({
    inputSize: probe.features.featureCount,
    hiddenSize: 16,
    outputSize: 16,
    dropout: 0.5,
    weightDecay: 5e-4,
    bias: true,
    seed: 1,
  });
  const optimizer = tf.train.adam(0.01);
  const random = new SeededRandom(2);
  try {
    const times: number[] = [];
    for (let step = 0; step <= steps; step++) {
      const started = performance.now();
      const cost = optimizer.minimize(
        () => tf.mean(tf.square(model.apply(graph, features, { training: true, random }))),
        true,
        model.variables(),
      );
      await cost!.data();
      cost!.dispose();
      if (step > 0) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return { backend, ok: true, msPerStep: times[Math.floor(times.length / 2)], error: null };
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  } finally {
    optimizer.dispose();
    model.dispose();
    disposeTensors(graph);
    disposeTensors(features);
  }
}

/** A seeded random graph with about 5 edges and 20 binary features per node. */
function probeProblem(nodeCount: number) {
  const random = new SeededRandom(7);
  const source: number[] = [];
  const target: number[] = [];
  for (let k = 0; k < nodeCount * 5; k++) {
    source.push(random.int(nodeCount));
    target.push(random.int(nodeCount));
  }
  const featureCount = 500;
  const row = new Int32Array(nodeCount * 20);
  const column = new Int32Array(nodeCount * 20);
  for (let k = 0; k < row.length; k++) {
    row[k] = Math.floor(k / 20);
    column[k] = random.int(featureCount);
  }
  const features: SparseFeatures = {
    nodeCount,
    featureCount,
    row,
    column,
    value: new Float32Array(row.length).fill(1),
  };
  return { graph: normaliseGraph(nodeCount, { source, target }), features };
}

function describeChoice(chosen: BackendTiming, timings: BackendTiming[]): string {
  const measured = timings
    .filter((timing) => timing.ok)
    .map((timing) => `${timing.backend} ${timing.msPerStep!.toFixed(1)}`)
    .join(', ');
  const unavailable = timings
    .filter((timing) => !timing.ok)
    .map((timing) => `${timing.backend} (${timing.error})`)
    .join(', ');
  return (
    `${chosen.backend}: ${chosen.msPerStep!.toFixed(1)} ms per training step, the fastest ` +
    `measured (ms per step: ${measured})` +
    (unavailable ? `; not available: ${unavailable}.` : '.')
  );
}
