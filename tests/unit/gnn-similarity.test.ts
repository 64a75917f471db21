import { describe, expect, it } from 'vitest';
import { createDotKernel } from '../../src/lib/gnn/dot-kernel';
import { SeededRandom } from '../../src/lib/gnn/random';
import { EmbeddingIndex, topK } from '../../src/lib/gnn/similarity';

function randomEmbeddings(rows: number, dimension: number, seed: number): Float32Array {
  const random = new SeededRandom(seed);
  return Float32Array.from({ length: rows * dimension }, () => random.normal());
}

/** Top k by cosine, the slow obvious way. */
function bruteForce(embeddings: Float32Array, d: number, query: Float32Array, k: number) {
  const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));
  const scores = [];
  for (let i = 0; i < embeddings.length / d; i++) {
    const row = embeddings.subarray(i * d, (i + 1) * d);
    const dot = row.reduce((sum, v, t) => sum + v * query[t], 0);
    scores.push({ index: i, score: dot / (norm(row) * norm(query)) });
  }
  return scores.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, k);
}

describe('dot kernels', () => {
  it('WebAssembly SIMD runs here and agrees with the JavaScript kernel', () => {
    const rows = randomEmbeddings(37, 13, 1);
    const queries = randomEmbeddings(11, 13, 2);
    const wasm = createDotKernel('wasm-simd');
    const js = createDotKernel('javascript');
    expect(wasm.kind).toBe('wasm-simd');
    for (const kernel of [wasm, js]) kernel.setRows(rows, 37, 13);
    const expected = Array.from(js.score(queries, 11));
    Array.from(wasm.score(queries, 11)).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
  });
});

describe('EmbeddingIndex', () => {
  const d = 10;
  const embeddings = randomEmbeddings(203, d, 3);

  it.each(['wasm-simd', 'javascript'] as const)(
    'finds the same top k as a brute-force cosine search (%s)',
    (kernel) => {
      const index = new EmbeddingIndex(embeddings, d, kernel);
      const queries = randomEmbeddings(9, d, 4);
      const results = index.nearestMany(queries, 5);
      results.forEach((neighbours, q) => {
        const expected = bruteForce(embeddings, d, queries.subarray(q * d, (q + 1) * d), 5);
        expect(neighbours.map((n) => n.index)).toEqual(expected.map((n) => n.index));
        neighbours.forEach((n, r) => expect(n.score).toBeCloseTo(expected[r].score, 4));
      });
    },
  );

  it('leaves the query row itself out of nearestTo', () => {
    const index = new EmbeddingIndex(embeddings, d);
    const neighbours = index.nearestTo(17, 3);
    expect(neighbours.map((n) => n.index)).not.toContain(17);
    const expected = bruteForce(embeddings, d, embeddings.subarray(17 * d, 18 * d), 4).slice(1);
    expect(neighbours.map((n) => n.index)).toEqual(expected.map((n) => n.index));
  });
});

describe('topK', () => {
  it('returns the highest scores best first, ties to the lower index', () => {
    const scores = Float32Array.of(0.2, 0.9, 0.5, 0.9, 0.1);
    expect(topK(scores, 3).map((n) => n.index)).toEqual([1, 3, 2]);
    expect(topK(scores, 2, new Set([1])).map((n) => n.index)).toEqual([3, 2]);
  });
});
