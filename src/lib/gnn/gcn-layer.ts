/**
 * The GCN layer of the design, `h_i' = sigma( sum over j in N(i) of (1/c_ij) W h_j + b )`
 * with `c_ij = sqrt(d_i d_j)` over the graph with self-loops, computed by sparse message
 * passing: each node gathers its senders' rows, scaled by their coefficients, and sums them
 * (see sparse-matmul.ts for how the sum is done on every backend). Nothing is ever N x N.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core registers no gradients on its own; training needs them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { GraphShapeError } from './errors';
import type { NormalisedGraph } from './graph';
import type { SeededRandom } from './random';
import type { SparseFeatures } from './sparse-features';
import {
  disposeSparseMatrix,
  sparseMatMul,
  toSparseMatrixTensors,
  type SparseMatrixTensors,
} from './sparse-matmul';

/**
 * The normalised adjacency on the backend: row = receiver i, column = sender j,
 * value = 1/sqrt(d_i d_j).
 */
export type GraphTensors = SparseMatrixTensors;

/** Sparse node features on the backend: row = node, column = feature. */
export type SparseFeatureTensors = SparseMatrixTensors;

/** What a layer takes: a dense [nodes, features] tensor or sparse features. */
export type LayerInput = tf.Tensor2D | SparseFeatureTensors;

export type Activation = 'relu' | 'linear';

/** A layer's weight [in, out] and optional bias [out]. */
export interface GcnWeights {
  weight: tf.Tensor2D;
  bias?: tf.Tensor1D | null;
}

/** Uploads a normalised graph once, before training. */
export function toGraphTensors(graph: NormalisedGraph): GraphTensors {
  return toSparseMatrixTensors({
    rowCount: graph.nodeCount,
    columnCount: graph.nodeCount,
    row: graph.target,
    column: graph.source,
    value: graph.coefficient,
  });
}

/** Uploads sparse features once, before training. */
export function toSparseFeatureTensors(features: SparseFeatures): SparseFeatureTensors {
  return toSparseMatrixTensors({
    rowCount: features.nodeCount,
    columnCount: features.featureCount,
    row: features.row,
    column: features.column,
    value: features.value,
  });
}

/** Releases the backend memory held by an uploaded graph or feature matrix. */
export function disposeTensors(tensors: GraphTensors | SparseFeatureTensors): void {
  disposeSparseMatrix(tensors);
}

/** `D^-1/2 (A + I) D^-1/2 h`: each node receives its neighbours' rows, weighted. */
export function propagate(graph: GraphTensors, h: tf.Tensor2D): tf.Tensor2D {
  if (h.shape[0] !== graph.rowCount) {
    throw new GraphShapeError(
      `Cannot propagate ${h.shape[0]} rows over a graph of ${graph.rowCount} nodes; ` +
        `the feature matrix needs one row per node.`,
    );
  }
  return sparseMatMul(graph, h);
}

/** Whether a layer input is sparse features rather than a dense tensor. */
export function isSparseInput(input: LayerInput): input is SparseFeatureTensors {
  return !(input instanceof tf.Tensor);
}

/**
 * One GCN layer. Propagation and the weight commute (`A (h W) = (A h) W`), so the layer
 * propagates whichever side is narrower: fewer columns means fewer values moved per edge.
 */
export function gcnLayer(
  graph: GraphTensors,
  input: LayerInput,
  weights: GcnWeights,
  activation: Activation,
): tf.Tensor2D {
  const { weight, bias } = weights;
  const [inSize, outSize] = weight.shape;

  let mixed: tf.Tensor2D;
  if (isSparseInput(input)) {
    mixed = propagate(graph, sparseMatMul(input, weight));
  } else if (inSize < outSize) {
    mixed = tf.matMul(propagate(graph, input), weight);
  } else {
    mixed = propagate(graph, tf.matMul(input, weight));
  }

  const biased: tf.Tensor2D = bias ? tf.add(mixed, bias) : mixed;
  return activation === 'relu' ? tf.relu(biased) : biased;
}

/**
 * Inverted dropout that keeps the input's form: on sparse features it drops non-zeros (as the
 * published GCN does), on a dense tensor single values. The mask is drawn in JavaScript from
 * `random`, not by `tf.dropout`, so every backend sees the same mask for the same seed.
 */
export function dropoutInput<T extends LayerInput>(
  input: T,
  rate: number,
  random: SeededRandom,
): T {
  if (rate <= 0) return input;
  const target: tf.Tensor = isSparseInput(input) ? input.values : (input as tf.Tensor2D);
  const mask = new Float32Array(target.size);
  const scale = 1 / (1 - rate);
  for (let k = 0; k < mask.length; k++) mask[k] = random.next() < rate ? 0 : scale;

  const dropped = tf.mul(target, tf.tensor(mask, target.shape));
  return (isSparseInput(input) ? { ...input, values: dropped } : dropped) as T;
}
