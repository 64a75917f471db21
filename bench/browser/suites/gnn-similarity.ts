// "Similar models" throughput: exact top-10 cosine neighbours over 100k x 64 embeddings
// (the target: at least 500 queries per second), per dot-product kernel.
import { SeededRandom } from '$lib/gnn/random';
import { EmbeddingIndex } from '$lib/gnn/similarity';
import type { BenchSuite } from '../suite';

const ROWS = 100_000;
const DIMENSION = 64;
const QUERIES = 512;

const suite: BenchSuite = {
  name: 'gnn-similarity',
  async run() {
    const random = new SeededRandom(1);
    const embeddings = Float32Array.from({ length: ROWS * DIMENSION }, () => random.normal());
    const queries = embeddings.slice(0, QUERIES * DIMENSION);

    const results: Record<string, unknown> = { rows: ROWS, dimension: DIMENSION, k: 10 };
    for (const kernel of ['wasm-simd', 'javascript'] as const) {
      const buildStarted = performance.now();
      const index = new EmbeddingIndex(embeddings, DIMENSION, kernel);
      const buildMs = performance.now() - buildStarted;
      // The JavaScript fallback is slow; a few queries measure it well enough.
      const count = kernel === 'javascript' ? 32 : QUERIES;
      index.nearestMany(queries.subarray(0, 8 * DIMENSION), 10);

      const started = performance.now();
      const neighbours = index.nearestMany(queries.subarray(0, count * DIMENSION), 10);
      const ms = performance.now() - started;
      if (neighbours[0][0].index !== 0) throw new Error('a row is not its own nearest neighbour');
      results[kernel] = {
        kernel: index.kernel,
        queries: count,
        queriesPerSecond: Math.round(count / (ms / 1000)),
        buildMs: Math.round(buildMs),
      };
    }
    return results;
  },
};

export default suite;
