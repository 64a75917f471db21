// Seeded tiny training runs: the loss goes down, and the same seed gives the same run.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { EarlyStopping } from '../../src/lib/gnn/early-stopping';
import { TrainingCancelledError } from '../../src/lib/gnn/errors';
import { normaliseGraph } from '../../src/lib/gnn/graph';
import { DEFAULT_LINK_SETTINGS, trainLinkPredictor } from '../../src/lib/gnn/link-train';
import { SeededRandom } from '../../src/lib/gnn/random';
import type { SparseFeatures } from '../../src/lib/gnn/sparse-features';
import {
  PUBLISHED_GCN_SETTINGS,
  trainNodeClassifier,
  type NodeClassificationTask,
} from '../../src/lib/gnn/train';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

/**
 * Two communities of 20 nodes, dense inside and sparse between; each node has a few random
 * features, one of which leans towards its community. The class is the community.
 */
function twoCommunities(seed: number) {
  const random = new SeededRandom(seed);
  const nodeCount = 40;
  const labels = Int32Array.from({ length: nodeCount }, (_, i) => (i < 20 ? 0 : 1));
  const source: number[] = [];
  const target: number[] = [];
  for (let k = 0; k < 120; k++) {
    const u = random.int(nodeCount);
    const sameSide = random.next() < 0.9;
    const v = sameSide ? labels[u] * 20 + random.int(20) : (1 - labels[u]) * 20 + random.int(20);
    source.push(u);
    target.push(v);
  }
  const row: number[] = [];
  const column: number[] = [];
  for (let i = 0; i < nodeCount; i++) {
    row.push(i, i, i);
    column.push(
      random.next() < 0.85 ? labels[i] : 1 - labels[i],
      2 + random.int(8),
      10 + random.int(8),
    );
  }
  const features: SparseFeatures = {
    nodeCount,
    featureCount: 18,
    row: Int32Array.from(row),
    column: Int32Array.from(column),
    value: new Float32Array(row.length).fill(1),
  };
  return { nodeCount, labels, features, edges: { source, target } };
}

function classificationTask(): NodeClassificationTask {
  const problem = twoCommunities(3);
  const nodes = random40(5);
  return {
    graph: normaliseGraph(problem.nodeCount, problem.edges),
    features: problem.features,
    labels: problem.labels,
    classCount: 2,
    train: nodes.slice(0, 10),
    validation: nodes.slice(10, 20),
    test: nodes.slice(20),
  };
}

function random40(seed: number): Int32Array {
  return Int32Array.from(new SeededRandom(seed).shuffle(Array.from({ length: 40 }, (_, i) => i)));
}

describe('trainNodeClassifier', () => {
  const settings = {
    ...PUBLISHED_GCN_SETTINGS,
    learningRate: 0.05,
    epochs: 30,
    earlyStoppingWindow: 0,
    seed: 11,
  };

  it('lowers the training loss of a seeded tiny run', async () => {
    const result = await trainNodeClassifier(classificationTask(), settings);
    const first = result.epochs[0].trainLoss;
    const last = result.epochs.at(-1)!.trainLoss;
    expect(result.epochs).toHaveLength(30);
    expect(last).toBeLessThan(first * 0.8);
    expect(result.testAccuracy).toBeGreaterThan(0.6);
  });

  it('repeats exactly with the same seed, and differs with another', async () => {
    const curve = async (seed: number) =>
      (
        await trainNodeClassifier(classificationTask(), { ...settings, epochs: 8, seed })
      ).epochs.map((epoch) => epoch.trainLoss);
    const [a, b, c] = [await curve(4), await curve(4), await curve(5)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('stops with TrainingCancelledError when its signal fires, freeing its tensors', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = trainNodeClassifier(classificationTask(), settings, {
      signal: controller.signal,
      onEpoch: (record) => {
        if (record.epoch === 3) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(TrainingCancelledError);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('EarlyStopping', () => {
  it('stops when the loss rises above the mean of the window before it', () => {
    const stopping = new EarlyStopping(3);
    const losses = [5, 4, 3, 2, 1.9, 1.8, 1.9, 2.5];
    expect(losses.map((loss) => stopping.shouldStop(loss))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });
});

describe('trainLinkPredictor', () => {
  it('lowers the link loss of a seeded tiny run and embeds every node', async () => {
    const problem = twoCommunities(8);
    const result = await trainLinkPredictor(
      { nodeCount: problem.nodeCount, features: problem.features, trainEdges: problem.edges },
      { ...DEFAULT_LINK_SETTINGS, hiddenSize: 16, embeddingSize: 8, epochs: 40, seed: 2 },
    );
    const firstLosses = result.epochs.slice(0, 3).map((epoch) => epoch.loss);
    const lastLosses = result.epochs.slice(-3).map((epoch) => epoch.loss);
    expect(Math.max(...lastLosses)).toBeLessThan(Math.min(...firstLosses));
    expect(result.embeddings).toHaveLength(problem.nodeCount * 8);
  });
});
