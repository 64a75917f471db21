/**
 * The two GCN models Stemma trains: a node classifier (the Cora correctness check) and an
 * encoder for self-supervised link prediction (the registry's lineage), scored by an inner
 * product. Both are two GCN layers with dropout before each, as in Kipf and Welling (2017);
 * weights start from a seeded Glorot draw so a run can be repeated exactly.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dropoutInput, gcnLayer, type GraphTensors, type LayerInput } from './gcn-layer';
import { SeededRandom } from './random';

/** Weight and bias of one trainable layer. */
export interface LayerVariables {
  weight: tf.Variable<tf.Rank.R2>;
  bias: tf.Variable<tf.Rank.R1> | null;
}

/** How a forward pass runs: inference, or training with dropout drawn from `random`. */
export type PassMode = { training: false } | { training: true; random: SeededRandom };

/** Shape and regularisation shared by both models. */
export interface TwoLayerGcnConfig {
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
  /** Probability of dropping an input of either layer while training. */
  dropout: number;
  /** L2 weight decay on the first layer's weight, as `decay * sum(w^2) / 2`. */
  weightDecay: number;
  /** Whether the layers add a bias `b` (the design's formula has one; Kipf's GCN has none). */
  bias: boolean;
  seed: number;
}

/**
 * Glorot (Xavier) uniform values for a [rows, cols] weight: the published GCN's initialiser,
 * drawn from a seeded generator because TensorFlow.js's own draw is not repeatable across
 * backends.
 */
export function glorotUniform(rows: number, cols: number, random: SeededRandom): Float32Array {
  const limit = Math.sqrt(6 / (rows + cols));
  const values = new Float32Array(rows * cols);
  for (let k = 0; k < values.length; k++) values[k] = (2 * random.next() - 1) * limit;
  return values;
}

function layerVariables(
  inSize: number,
  outSize: number,
  withBias: boolean,
  random: SeededRandom,
): LayerVariables {
  const values = glorotUniform(inSize, outSize, random);
  // tidy frees the initial tensors; variables outlive it.
  const weight = tf.tidy(() => tf.variable(tf.tensor2d(values, [inSize, outSize]), true));
  const bias = withBias ? tf.tidy(() => tf.variable(tf.zeros([outSize]), true)) : null;
  return {
    weight: weight as tf.Variable<tf.Rank.R2>,
    bias: bias as tf.Variable<tf.Rank.R1> | null,
  };
}

/**
 * Two GCN layers, ReLU between them, linear out. Node classification reads the output as
 * class logits; link prediction reads it as node embeddings.
 */
export class TwoLayerGcn {
  readonly config: TwoLayerGcnConfig;
  readonly first: LayerVariables;
  readonly second: LayerVariables;

  constructor(config: TwoLayerGcnConfig) {
    this.config = config;
    const random = new SeededRandom(config.seed);
    this.first = layerVariables(config.inputSize, config.hiddenSize, config.bias, random);
    this.second = layerVariables(config.hiddenSize, config.outputSize, config.bias, random);
  }

  /** Output rows for every node, [nodes, outputSize]. */
  apply(graph: GraphTensors, features: LayerInput, mode: PassMode): tf.Tensor2D {
    const rate = this.config.dropout;
    const dropped = mode.training ? dropoutInput(features, rate, mode.random) : features;
    const hidden = gcnLayer(graph, dropped, this.first, 'relu');
    const hiddenDropped = mode.training ? dropoutInput(hidden, rate, mode.random) : hidden;
    return gcnLayer(graph, hiddenDropped, this.second, 'linear');
  }

  /** The L2 penalty, on the first layer's weight only, as the published setup has it. */
  regularisation(): tf.Scalar {
    return tf.mul(this.config.weightDecay / 2, tf.sum(tf.square(this.first.weight)));
  }

  /** Every trainable variable, for the optimiser. */
  variables(): tf.Variable[] {
    const { first, second } = this;
    const all: (tf.Variable | null)[] = [first.weight, first.bias, second.weight, second.bias];
    return all.filter((variable): variable is tf.Variable => variable !== null);
  }

  /** Current weights as plain arrays, e.g. to keep the best epoch or store the model. */
  snapshot(): Float32Array[] {
    return this.variables().map((variable) => variable.dataSync() as Float32Array);
  }

  /** Puts back weights taken by `snapshot()`. */
  restore(values: Float32Array[]): void {
    this.variables().forEach((variable, k) => {
      tf.tidy(() => variable.assign(tf.tensor(values[k], variable.shape)));
    });
  }

  dispose(): void {
    tf.dispose(this.variables());
  }
}

/**
 * The target of a node split as a [nodes, classes] matrix: row i is node i's one-hot label
 * divided by the split's size when i is in the split, zeros otherwise. Losses then need no
 * gather (whose gradient is the slow segment sum, see sparse-matmul.ts), only products.
 */
export function splitTarget(
  labels: Int32Array,
  nodes: Int32Array,
  classCount: number,
): tf.Tensor2D {
  const target = new Float32Array(labels.length * classCount);
  for (const node of nodes) target[node * classCount + labels[node]] = 1 / nodes.length;
  return tf.tensor2d(target, [labels.length, classCount]);
}

/** Mean softmax cross-entropy over the nodes of a split (see `splitTarget`). */
export function maskedCrossEntropy(logits: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits))));
}

/** Share of a split's nodes whose highest logit is their label. */
export function maskedAccuracy(logits: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar {
  const predicted = tf.oneHot(tf.argMax(logits, 1), logits.shape[1]);
  return tf.sum(tf.mul(predicted, target));
}

/**
 * Binary cross-entropy with logits over true edges (label 1) and sampled non-edges (label 0),
 * each side averaged, so the ratio of negatives does not change the loss scale.
 */
export function linkLoss(positive: tf.Tensor1D, negative: tf.Tensor1D): tf.Scalar {
  const positiveLoss = tf.mean(tf.softplus(tf.neg(positive)));
  const negativeLoss = tf.mean(tf.softplus(negative));
  return tf.add(positiveLoss, negativeLoss);
}
