/**
 * Trains the two-layer GCN node classifier with Adam, the published GCN's early stopping and
 * seeded initialisation and dropout, on whatever TensorFlow.js backend is active. This is
 * the Cora correctness check of the lineage GNN: the same layers, trained the published way.
 */
import * as tf from '@tensorflow/tfjs-core';
import { EarlyStopping } from './early-stopping';
import { GraphShapeError, TrainingCancelledError } from './errors';
import {
  disposeTensors,
  toGraphTensors,
  toSparseFeatureTensors,
  type GraphTensors,
  type SparseFeatureTensors,
} from './gcn-layer';
import type { NormalisedGraph } from './graph';
import { maskedAccuracy, maskedCrossEntropy, splitTarget, TwoLayerGcn } from './model';
import { SeededRandom } from './random';
import type { SparseFeatures } from './sparse-features';

/** A node classification problem: graph, features, labels and the node split. */
export interface NodeClassificationTask {
  graph: NormalisedGraph;
  features: SparseFeatures;
  /** Class of each node, -1 when unlabelled. */
  labels: Int32Array;
  classCount: number;
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

export interface ClassifierSettings {
  hiddenSize: number;
  /** Whether the layers add a bias; the published GCN has none. */
  bias: boolean;
  dropout: number;
  weightDecay: number;
  learningRate: number;
  epochs: number;
  /** Early stopping window on validation loss; 0 trains every epoch. */
  earlyStoppingWindow: number;
  seed: number;
}

/**
 * Kipf and Welling (2017), Table 2's GCN on Cora, Citeseer and Pubmed, as in their reference
 * code: no bias, L2 on the first layer only.
 */
export const PUBLISHED_GCN_SETTINGS: Readonly<ClassifierSettings> = Object.freeze({
  hiddenSize: 16,
  bias: false,
  dropout: 0.5,
  weightDecay: 5e-4,
  learningRate: 0.01,
  epochs: 200,
  earlyStoppingWindow: 10,
  seed: 0,
});

/** What one epoch measured; `ms` covers the training step and the validation pass. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  validationLoss: number;
  validationAccuracy: number;
  ms: number;
}

/**
 * Progress and control. `onEpoch` may return a promise: training waits for it, which is how
 * a worker pauses between epochs. `signal` cancels between epochs.
 */
export interface TrainingHooks {
  onEpoch?: (record: EpochRecord) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface ClassifierResult {
  settings: ClassifierSettings;
  backend: string;
  epochs: EpochRecord[];
  stoppedEarly: boolean;
  testLoss: number;
  testAccuracy: number;
  /** Mean wall time per epoch, leaving out the first (which includes backend warm-up). */
  msPerEpoch: number;
}

/**
 * Trains a fresh classifier on `task` and reports its test accuracy with the final weights.
 *
 * @example
 *   const result = await trainNodeClassifier(task, { ...PUBLISHED_GCN_SETTINGS, seed: 3 });
 *   result.testAccuracy; // about 0.815 on Cora
 */
export async function trainNodeClassifier(
  task: NodeClassificationTask,
  settings: ClassifierSettings,
  hooks: TrainingHooks = {},
): Promise<ClassifierResult> {
  checkTask(task);
  const graph = toGraphTensors(task.graph);
  const features = toSparseFeatureTensors(task.features);
  const split = {
    train: splitTarget(task.labels, task.train, task.classCount),
    validation: splitTarget(task.labels, task.validation, task.classCount),
    test: splitTarget(task.labels, task.test, task.classCount),
  };
  const model = new TwoLayerGcn({
    inputSize: task.features.featureCount,
    hiddenSize: settings.hiddenSize,
    outputSize: task.classCount,
    dropout: settings.dropout,
    weightDecay: settings.weightDecay,
    bias: settings.bias,
    seed: settings.seed,
  });
  // TensorFlow's own Adam defaults (beta 0.9, 0.999, epsilon 1e-8), as the published code used.
  const optimizer = tf.train.adam(settings.learningRate, 0.9, 0.999, 1e-8);

  try {
    const loss = (logits: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar =>
      tf.add(maskedCrossEntropy(logits, target), model.regularisation());
    const dropoutRandom = new SeededRandom(settings.seed + 0x3c6ef372);
    const stopping = new EarlyStopping(settings.earlyStoppingWindow);
    const epochs: EpochRecord[] = [];
    let stoppedEarly = false;

    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      if (hooks.signal?.aborted) throw new TrainingCancelledError(epoch - 1);
      const started = performance.now();

      const cost = optimizer.minimize(
        () =>
          loss(
            model.apply(graph, features, { training: true, random: dropoutRandom }),
            split.train,
          ),
        true,
        model.variables(),
      );
      const measured = tf.tidy(() => {
        const logits = model.apply(graph, features, { training: false });
        return tf.stack([
          cost as tf.Scalar,
          maskedAccuracy(logits, split.train),
          loss(logits, split.validation),
          maskedAccuracy(logits, split.validation),
        ]);
      });
      const [trainLoss, trainAccuracy, validationLoss, validationAccuracy] = await measured.data();
      tf.dispose([cost as tf.Scalar, measured]);

      const record: EpochRecord = {
        epoch,
        trainLoss,
        trainAccuracy,
        validationLoss,
        validationAccuracy,
        ms: performance.now() - started,
      };
      epochs.push(record);
      await hooks.onEpoch?.(record);
      if (stopping.shouldStop(validationLoss)) {
        stoppedEarly = epoch < settings.epochs;
        break;
      }
    }

    const [testLoss, testAccuracy] = await evaluate(model, graph, features, (logits) => [
      loss(logits, split.test),
      maskedAccuracy(logits, split.test),
    ]);
    return {
      settings,
      backend: tf.getBackend(),
      epochs,
      stoppedEarly,
      testLoss,
      testAccuracy,
      msPerEpoch: meanEpochMs(epochs),
    };
  } finally {
    optimizer.dispose();
    model.dispose();
    disposeTensors(graph);
    disposeTensors(features);
    tf.dispose([split.train, split.validation, split.test]);
  }
}

async function evaluate(
  model: TwoLayerGcn,
  graph: GraphTensors,
  features: SparseFeatureTensors,
  measures: (logits: tf.Tensor2D) => tf.Scalar[],
): Promise<Float32Array> {
  const values = tf.tidy(() =>
    tf.stack(measures(model.apply(graph, features, { training: false }))),
  );
  const read = (await values.data()) as Float32Array;
  values.dispose();
  return read;
}

function meanEpochMs(epochs: EpochRecord[]): number {
  const timed = epochs.length > 1 ? epochs.slice(1) : epochs;
  return timed.reduce((sum, record) => sum + record.ms, 0) / Math.max(1, timed.length);
}

function checkTask(task: NodeClassificationTask): void {
  const nodeCount = task.graph.nodeCount;
  if (task.features.nodeCount !== nodeCount || task.labels.length !== nodeCount) {
    throw new GraphShapeError(
      `The graph has ${nodeCount} nodes but the features have ${task.features.nodeCount} ` +
        `rows and the labels ${task.labels.length}; give one of each per node.`,
    );
  }
  for (const [name, nodes] of [
    ['train', task.train],
    ['validation', task.validation],
    ['test', task.test],
  ] as const) {
    for (const node of nodes) {
      const label = task.labels[node];
      if (node < 0 || node >= nodeCount || label < 0 || label >= task.classCount) {
        throw new GraphShapeError(
          `The ${name} split holds node ${node}, which is outside the graph or has no ` +
            `label in 0..${task.classCount - 1}; every split node needs a label.`,
        );
      }
    }
  }
}
