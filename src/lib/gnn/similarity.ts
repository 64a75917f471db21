/**
 * "Similar models": the k nearest versions by cosine similarity of their embeddings, exact,
 * over N x d float32 embeddings. Rows are normalised once when the index is built, so a
 * query is dot products (dot-kernel.ts, WebAssembly SIMD) plus a top-k pass per query.
 * Batching queries (`nearestMany`) lets each row load serve eight queries.
 */
import { createDotKernel, type DotKernel } from './dot-kernel';
import { GraphShapeError } from './errors';

/** Queries scored per kernel call: bounds the score buffer (64 x rows floats). */
const QUERIES_PER_PASS = 64;

/** One neighbour: the row index and its cosine similarity to the query. */
export interface Neighbour {
  index: number;
  score: number;
}

export interface NearestOptions {
  /** Rows never returned, e.g. the query's own row. */
  exclude?: ReadonlySet<number>;
}

/**
 * An exact cosine top-k index over a fixed set of embeddings.
 *
 * @example
 *   const index = new EmbeddingIndex(embeddings, 64);
 *   index.nearestTo(12, 10); // the ten rows most similar to row 12, itself excluded
 */
export class EmbeddingIndex {
  readonly size: number;
  readonly dimension: number;
  /** Which dot-product kernel runs: WebAssembly SIMD, or the JavaScript fallback. */
  readonly kernel: DotKernel['kind'];
  private readonly rows: Float32Array;
  private readonly dots: DotKernel;

  constructor(embeddings: Float32Array, dimension: number, kernel?: DotKernel['kind']) {
    if (!Number.isInteger(dimension) || dimension <= 0 || embeddings.length % dimension !== 0) {
      throw new GraphShapeError(
        `${embeddings.length} values do not split into rows of ${dimension}; pass the ` +
          `embedding width as the dimension.`,
      );
    }
    this.size = embeddings.length / dimension;
    this.dimension = dimension;
    this.rows = this.normalisedRows(embeddings, this.size);
    this.dots = createDotKernel(kernel);
    this.dots.setRows(this.rows, this.size, dimension);
    this.kernel = this.dots.kind;
  }

  /** The k rows most similar to row `row`, the row itself excluded. */
  nearestTo(row: number, k: number, options: NearestOptions = {}): Neighbour[] {
    const exclude = new Set(options.exclude ?? []);
    exclude.add(row);
    const d = this.dimension;
    const query = this.rows.slice(row * d, (row + 1) * d);
    return this.nearestMany(query, k, { exclude })[0];
  }

  /**
   * The k most similar rows to each of the queries (a row-major [queries, dimension] array),
   * best first. Queries need not be normalised.
   */
  nearestMany(queries: Float32Array, k: number, options: NearestOptions = {}): Neighbour[][] {
    if (queries.length % this.dimension !== 0) {
      throw new GraphShapeError(
        `Queries of ${this.dimension} values each cannot be read from ${queries.length} values.`,
      );
    }
    const queryCount = queries.length / this.dimension;
    const normalised = this.normalisedRows(queries, queryCount);
    const d = this.dimension;

    const results: Neighbour[][] = [];
    for (let first = 0; first < queryCount; first += QUERIES_PER_PASS) {
      const count = Math.min(QUERIES_PER_PASS, queryCount - first);
      const scores = this.dots.score(normalised.subarray(first * d, (first + count) * d), count);
      for (let q = 0; q < count; q++) {
        const start = q * this.size;
        results.push(topK(scores.subarray(start, start + this.size), k, options.exclude));
      }
    }
    return results;
  }

  /** Rows scaled to unit length; zero rows stay zero and so score 0 against everything. */
  private normalisedRows(values: Float32Array, count: number): Float32Array {
    const d = this.dimension;
    const rows = new Float32Array(count * d);
    for (let r = 0; r < count; r++) {
      let norm = 0;
      for (let t = 0; t < d; t++) norm += values[r * d + t] ** 2;
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let t = 0; t < d; t++) rows[r * d + t] = values[r * d + t] * scale;
    }
    return rows;
  }
}

/**
 * The k highest scores, best first; ties go to the lower index so results are repeatable.
 * Keeps a sorted list of k and skips anything below its last entry, which is almost every
 * row once the list has filled.
 */
export function topK(
  scores: Float32Array,
  k: number,
  exclude: ReadonlySet<number> = new Set(),
): Neighbour[] {
  const best: Neighbour[] = [];
  let floor = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    if (best.length === k && score <= floor) continue;
    if (exclude.has(i)) continue;

    let at = best.length;
    while (at > 0 && best[at - 1].score < score) at--;
    best.splice(at, 0, { index: i, score });
    if (best.length > k) best.pop();
    if (best.length === k) floor = best[k - 1].score;
  }
  return best;
}
