/**
 * GNN training through its worker protocol: the backend is measured and named, every epoch
 * reports its loss and time, pause holds training until resume, cancel ends it, and the
 * result carries embeddings for every node and a held-out link-prediction score. The worker
 * side is the real service, served over a MessageChannel on the CPU backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TrainingCancelledError, TrainingFailedError } from '../../src/lib/gnn/errors';
import { encodeModelFeatures, type ModelNodeDescription } from '../../src/lib/gnn/features';
import { TrainingClient, type TrainingInput } from '../../src/lib/gnn/training-client';
import { closeTrainingWorkers, inProcessTrainingWorker } from './support/training-worker';

beforeAll(() => {
  tf.env().set('IS_TEST', true);
});

afterEach(closeTrainingWorkers);

/** Two families of eight: a base model and its fine-tunes, each named after the base. */
function twoFamilies(): TrainingInput {
  const nodes: ModelNodeDescription[] = [];
  const source: number[] = [];
  const target: number[] = [];
  for (const [f, family] of ['llama', 'resnet'].entries()) {
    const base = nodes.length;
    nodes.push({ name: `${family}-base`, family, task: f ? 'image' : 'text' });
    for (let i = 1; i < 8; i++) {
      nodes.push({ name: `${family}-tuned-${i}`, family, task: f ? 'image' : 'text' });
      source.push(base);
      target.push(base + i);
    }
  }
  return {
    nodeCount: nodes.length,
    features: encodeModelFeatures(nodes).features,
    links: { source: Int32Array.from(source), target: Int32Array.from(target) },
    names: nodes.map((node) => node.name),
    settings: { epochs: 30, seed: 1 },
    holdOutShare: 0.25,
  };
}

describe('TrainingClient with the training worker', () => {
  it('names the backend, reports each epoch and returns embeddings with a score', async () => {
    const client = new TrainingClient(inProcessTrainingWorker);
    const backends: string[] = [];
    const epochs: { epoch: number; loss: number; ms: number }[] = [];
    let scoring = false;
    const input = twoFamilies();
    const job = client.start(input, {
      onBackend: (report) => backends.push(report.reason),
      onEpoch: (record, max) => {
        expect(max).toBe(30);
        epochs.push(record);
      },
      onScoring: () => (scoring = true),
    });
    const result = await job.result;
    client.dispose();

    expect(backends).toHaveLength(1);
    expect(backends[0]).toMatch(/^cpu: [\d.]+ ms per training step, the fastest measured/);
    expect(backends[0]).toContain('webgpu (not registered in this build)');
    expect(result.backend.backend).toBe('cpu');
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(epochs.every((e) => Number.isFinite(e.loss) && e.ms >= 0)).toBe(true);
    expect(epochs.at(-1)!.loss).toBeLessThan(epochs[0].loss);
    expect(scoring).toBe(true);

    expect(result.dimension).toBe(32);
    expect(result.embeddings).toHaveLength(16 * 32);
    expect(result.embeddings.every(Number.isFinite)).toBe(true);
    const quality = result.quality!;
    expect(quality.queries).toBe(Math.round(14 * 0.25));
    expect(quality.candidates).toBe(15);
    for (const scores of [quality.suggestions, quality.gnn, quality.nameBaseline]) {
      expect(scores.mrr).toBeGreaterThan(0);
      expect(scores.mrr).toBeLessThanOrEqual(1);
      expect(scores.hitsAt10).toBeGreaterThanOrEqual(scores.hitsAt1);
    }
    // Each held-out fine-tune's parent is its family's base: the GNN, which sees the family
    // and the shared links, should rank it near the top.
    expect(quality.gnn.hitsAt10).toBe(1);
    expect(quality.suggestions.hitsAt10).toBe(1);
  });

  it('holds training while paused and finishes after resume', async () => {
    const client = new TrainingClient(inProcessTrainingWorker);
    let seen = 0;
    const paused: boolean[] = [];
    let pausedAt = -1;
    const job = client.start(
      { ...twoFamilies(), settings: { epochs: 20, seed: 2 } },
      {
        onEpoch: (record) => {
          seen = record.epoch;
          if (record.epoch === 3) job.pause();
        },
        onPaused: (state) => {
          paused.push(state);
          if (state) pausedAt = seen;
        },
      },
    );
    await until(() => paused.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // One epoch may finish between the request and the pause taking hold, no more.
    expect(seen).toBeLessThanOrEqual(pausedAt + 1);
    job.resume();
    const result = await job.result;
    client.dispose();
    expect(paused).toEqual([true, false]);
    expect(result.epochs).toHaveLength(20);
  });

  it('cancels a run, paused or not, with TrainingCancelledError', async () => {
    const client = new TrainingClient(inProcessTrainingWorker);
    const running = client.start(
      { ...twoFamilies(), settings: { epochs: 500 } },
      { onEpoch: (record) => record.epoch === 2 && running.cancel() },
    );
    await expect(running.result).rejects.toBeInstanceOf(TrainingCancelledError);

    let pausedRun: ReturnType<typeof client.start> | null = null;
    pausedRun = client.start(
      { ...twoFamilies(), settings: { epochs: 500 } },
      {
        onEpoch: (record) => record.epoch === 1 && pausedRun!.pause(),
        onPaused: (state) => state && pausedRun!.cancel(),
      },
    );
    const error = await pausedRun.result.catch((e: unknown) => e);
    client.dispose();
    expect(error).toBeInstanceOf(TrainingCancelledError);
    expect((error as TrainingCancelledError).epochs).toBeGreaterThanOrEqual(1);
  });

  it('refuses a graph without links, and skips the score when too few to hold out', async () => {
    const client = new TrainingClient(inProcessTrainingWorker);
    const input = twoFamilies();
    const empty = { source: new Int32Array(0), target: new Int32Array(0) };
    const error = await client.start({ ...input, links: empty }).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingFailedError);
    expect((error as TrainingFailedError).code).toBe('gnn-too-few-links');

    const two = { source: Int32Array.of(0, 0), target: Int32Array.of(1, 2) };
    const result = await client.start({ ...input, links: two, settings: { epochs: 3 } }).result;
    client.dispose();
    expect(result.quality).toBeNull();
    expect(result.qualityNote).toMatch(/^With 2 lineage links there is nothing to hold out/);
    expect(result.embeddings).toHaveLength(16 * 32);
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
