/**
 * Self-supervised link prediction: a two-layer GCN encoder trained so that the inner product
 * of two nodes' embeddings is high for edges of the graph and low for random pairs (negative
 * sampling). This is how the lineage GNN learns from the registry's own edges, with no labels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { EarlyStopping } from './early-stopping';
import { GraphShapeError, TrainingCancelledError } from './errors';
import {
  disposeTensors,
  toGraphTensors,
  toSparseFeatureTensors,
  type SparseFeatureTensors,
} from './gcn-layer';
import { normaliseGraph, type EdgeList, type NormalisedGraph } from './graph';
import { linkLoss, TwoLayerGcn } from './model';
import { SeededRandom } from './random';
import type { SparseFeatures } from './sparse-features';
import {
  disposeSparseMatrix,
  sparseMatMul,
  toSparseMatrixTensors,
  type SparseMatrixTensors,
} from './sparse-matmul';
import type { TrainingHooks } from './train';

export interface LinkPredictionTask {
  nodeCount: number;
  features: SparseFeatures;
  /** Edges to learn from: message passing runs over them and they are the positives. */
  trainEdges: EdgeList;
  /** Held-out edges for early stopping; none trains every epoch. */
  validationEdges?: EdgeList;
  /**
   * Draws `count` negative pairs; by default uniform random pairs. A domain can supply harder
   * ones (for lineage: models named like a child that are not its parent), which teach the
   * encoder what name similarity alone gets wrong.
   */
  negativeSampler?: (count: number, random: SeededRandom) => EdgeList;
  /**
   * A graph to embed every node over once training ends, with the final weights (the GCN is
   * inductive). Evaluation holds edges out of `trainEdges` so that they do not leak through
   * message passing; the embeddings a user keeps should still see every known edge.
   */
  inferenceEdges?: EdgeList;
}

export interface LinkSettings {
  hiddenSize: number;
  embeddingSize: number;
  dropout: number;
  weightDecay: number;
  learningRate: number;
  epochs: number;
  /** Random non-edges sampled per positive edge, fresh each epoch. */
  negativesPerPositive: number;
  earlyStoppingWindow: number;
  seed: number;
}

export const DEFAULT_LINK_SETTINGS: Readonly<LinkSettings> = Object.freeze({
  hiddenSize: 64,
  embeddingSize: 32,
  dropout: 0.2,
  weightDecay: 0,
  learningRate: 0.01,
  epochs: 200,
  negativesPerPositive: 1,
  // Fresh negatives every epoch make the validation loss noisy; a longer window than the
  // classifier's keeps one bad epoch from ending training.
  earlyStoppingWindow: 20,
  seed: 0,
});

export interface LinkEpochRecord {
  epoch: number;
  loss: number;
  /** Loss on the held-out edges against a fixed set of negatives; null without them. */
  validationLoss: number | null;
  ms: number;
}

export interface LinkResult {
  /** Row-major [nodeCount, embeddingSize] embeddings from the final weights. */
  embeddings: Float32Array;
  embeddingSize: number;
  epochs: LinkEpochRecord[];
  backend: string;
  msPerEpoch: number;
  /** Embeddings over `task.inferenceEdges` with the final weights; null without them. */
  inferenceEmbeddings: Float32Array | null;
}

/** Uniform random pairs (u, v) with u != v: almost always non-edges in a sparse graph. */
export function sampleNegativeEdges(
  nodeCount: number,
  count: number,
  random: SeededRandom,
): { source: Int32Array; target: Int32Array } {
  const source = new Int32Array(count);
  const target = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    source[k] = random.int(nodeCount);
    target[k] = (source[k] + 1 + random.int(nodeCount - 1)) % nodeCount;
  }
  return { source, target };
}

/**
 * Trains an encoder on `task` and returns every node's embedding.
 *
 * @example
 *   const { embeddings } = await trainLinkPredictor(task, { ...DEFAULT_LINK_SETTINGS, seed: 1 });
 */
export async function trainLinkPredictor(
  task: LinkPredictionTask,
  settings: LinkSettings,
  hooks: TrainingHooks & { onLinkEpoch?: (record: LinkEpochRecord) => void | Promise<void> } = {},
): Promise<LinkResult> {
  const { nodeCount } = task;
  if (task.features.nodeCount !== nodeCount || nodeCount < 2) {
    throw new GraphShapeError(
      `Link prediction needs at least two nodes and one feature row per node ` +
        `(${nodeCount} nodes, ${task.features.nodeCount} feature rows).`,
    );
  }
  const random = new SeededRandom(settings.seed + 0x2545f491);
  const sampleNegatives =
    task.negativeSampler ??
    ((count: number, r: SeededRandom) => sampleNegativeEdges(nodeCount, count, r));
  const graph = toGraphTensors(normaliseGraph(nodeCount, task.trainEdges));
  const features = toSparseFeatureTensors(task.features);
  const positives = pairSelection(nodeCount, task.trainEdges);
  const validation = task.validationEdges
    ? {
        positives: pairSelection(nodeCount, task.validationEdges),
        negatives: pairSelection(
          nodeCount,
          sampleNegatives(task.validationEdges.source.length, random),
        ),
      }
    : null;
  const model = new TwoLayerGcn({
    inputSize: task.features.featureCount,
    hiddenSize: settings.hiddenSize,
    outputSize: settings.embeddingSize,
    dropout: settings.dropout,
    weightDecay: settings.weightDecay,
    bias: true,
    seed: settings.seed,
  });
  const optimizer = tf.train.adam(settings.learningRate);
  const stopping = new EarlyStopping(settings.earlyStoppingWindow);

  try {
    const epochs: LinkEpochRecord[] = [];
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      if (hooks.signal?.aborted) throw new TrainingCancelledError(epoch - 1);
      const started = performance.now();

      const negativeCount = positives.count * settings.negativesPerPositive;
      const negatives = pairSelection(nodeCount, sampleNegatives(negativeCount, random));
      const cost = optimizer.minimize(
        () => {
          const z = model.apply(graph, features, { training: true, random });
          const loss = linkLoss(pairScores(z, positives), pairScores(z, negatives));
          return tf.add(loss, model.regularisation());
        },
        true,
        model.variables(),
      )!;
      disposePairs(negatives);
      const validationCost = validation
        ? tf.tidy(() => {
            const z = model.apply(graph, features, { training: false });
            return linkLoss(
              pairScores(z, validation.positives),
              pairScores(z, validation.negatives),
            );
          })
        : null;

      const loss = (await cost.data())[0];
      const validationLoss = validationCost ? (await validationCost.data())[0] : null;
      tf.dispose([cost, ...(validationCost ? [validationCost] : [])]);
      const record = { epoch, loss, validationLoss, ms: performance.now() - started };
      epochs.push(record);
      await hooks.onLinkEpoch?.(record);
      if (validationLoss !== null && stopping.shouldStop(validationLoss)) break;
    }

    const final = tf.tidy(() => model.apply(graph, features, { training: false }));
    const embeddings = (await final.data()) as Float32Array;
    final.dispose();
    const inferenceEmbeddings = task.inferenceEdges
      ? await embedOver(model, normaliseGraph(nodeCount, task.inferenceEdges), features)
      : null;
    const timed = epochs.length > 1 ? epochs.slice(1) : epochs;
    return {
      embeddings,
      embeddingSize: settings.embeddingSize,
      epochs,
      backend: tf.getBackend(),
      msPerEpoch: timed.reduce((sum, record) => sum + record.ms, 0) / Math.max(1, timed.length),
      inferenceEmbeddings,
    };
  } finally {
    optimizer.dispose();
    model.dispose();
    disposeTensors(graph);
    disposeTensors(features);
    disposePairs(positives);
    if (validation) {
      disposePairs(validation.positives);
      disposePairs(validation.negatives);
    }
  }
}

/** One forward pass of `model` over another graph: the embeddings of every node there. */
async function embedOver(
  model: TwoLayerGcn,
  graph: NormalisedGraph,
  features: SparseFeatureTensors,
): Promise<Float32Array> {
  const tensors = toGraphTensors(graph);
  try {
    const z = tf.tidy(() => model.apply(tensors, features, { training: false }));
    const values = (await z.data()) as Float32Array;
    z.dispose();
    return values;
  } finally {
    disposeTensors(tensors);
  }
}

/** Pairs as two selection matrices (one 1 per row), so that picking rows keeps a cheap gradient. */
interface PairSelection {
  count: number;
  source: SparseMatrixTensors;
  target: SparseMatrixTensors;
}

function pairSelection(nodeCount: number, pairs: EdgeList): PairSelection {
  const count = pairs.source.length;
  const rows = Int32Array.from({ length: count }, (_, k) => k);
  const ones = new Float32Array(count).fill(1);
  const select = (nodes: ArrayLike<number>) =>
    toSparseMatrixTensors({
      rowCount: count,
      columnCount: nodeCount,
      row: rows,
      column: Int32Array.from(nodes),
      value: ones,
    });
  return { count, source: select(pairs.source), target: select(pairs.target) };
}

function disposePairs(pairs: PairSelection): void {
  disposeSparseMatrix(pairs.source);
  disposeSparseMatrix(pairs.target);
}

/** Inner-product decoder over selected pairs: `z_u . z_v` per pair. */
function pairScores(z: tf.Tensor2D, pairs: PairSelection): tf.Tensor1D {
  return tf.sum(tf.mul(sparseMatMul(pairs.source, z), sparseMatMul(pairs.target, z)), 1);
}
