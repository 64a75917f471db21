/**
 * The registry map's projection: the first two principal components of the embeddings, by
 * power iteration on the d x d covariance (d is small, 32 by default), so a map of thousands
 * of versions costs a few milliseconds and needs no library. Deterministic: the start vector
 * is fixed and each axis's sign is chosen so its largest loading is positive.
 */
import { GraphShapeError } from './errors';

export interface Projection2d {
  /** Row i's coordinates: x[i], y[i]. */
  x: Float32Array;
  y: Float32Array;
  /** Share of the total variance along each axis. */
  explained: [number, number];
}

const ITERATIONS = 200;

/**
 * Projects `count` rows of `dimension` values onto their top two principal axes.
 *
 * @example
 *   const { x, y } = pca2d(embeddings, 32);
 */
export function pca2d(values: Float32Array, dimension: number): Projection2d {
  if (!Number.isInteger(dimension) || dimension <= 0 || values.length % dimension !== 0) {
    throw new GraphShapeError(
      `${values.length} values do not split into rows of ${dimension}; pass the embedding width.`,
    );
  }
  const count = values.length / dimension;
  const mean = new Float64Array(dimension);
  for (let i = 0; i < count; i++) {
    for (let t = 0; t < dimension; t++) mean[t] += values[i * dimension + t] / count;
  }
  const covariance = new Float64Array(dimension * dimension);
  for (let i = 0; i < count; i++) {
    for (let a = 0; a < dimension; a++) {
      const da = values[i * dimension + a] - mean[a];
      for (let b = a; b < dimension; b++) {
        covariance[a * dimension + b] += (da * (values[i * dimension + b] - mean[b])) / count;
      }
    }
  }
  for (let a = 0; a < dimension; a++) {
    for (let b = 0; b < a; b++) covariance[a * dimension + b] = covariance[b * dimension + a];
  }
  let total = 0;
  for (let a = 0; a < dimension; a++) total += covariance[a * dimension + a];

  const first = topEigenvector(covariance, dimension);
  deflate(covariance, dimension, first);
  const second = topEigenvector(covariance, dimension);

  const x = new Float32Array(count);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    for (let t = 0; t < dimension; t++) {
      const centred = values[i * dimension + t] - mean[t];
      x[i] += centred * first.vector[t];
      y[i] += centred * second.vector[t];
    }
  }
  const share = (value: number) => (total > 0 ? Math.max(0, value) / total : 0);
  return { x, y, explained: [share(first.value), share(second.value)] };
}

function topEigenvector(matrix: Float64Array, n: number): { vector: Float64Array; value: number } {
  let vector = new Float64Array(n).map((_, t) => 1 / Math.sqrt(n) + t * 1e-3);
  let value = 0;
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const next = new Float64Array(n);
    for (let a = 0; a < n; a++) {
      let sum = 0;
      for (let b = 0; b < n; b++) sum += matrix[a * n + b] * vector[b];
      next[a] = sum;
    }
    const norm = Math.hypot(...next);
    if (norm === 0) return { vector: new Float64Array(n), value: 0 };
    value = norm;
    vector = next.map((v) => v / norm);
  }
  let largest = 0;
  for (let t = 1; t < n; t++) if (Math.abs(vector[t]) > Math.abs(vector[largest])) largest = t;
  if (vector[largest] < 0) vector = vector.map((v) => -v);
  return { vector, value };
}

/** Removes an eigenvector's share from the matrix, so power iteration finds the next one. */
function deflate(matrix: Float64Array, n: number, eigen: { vector: Float64Array; value: number }) {
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++)
      matrix[a * n + b] -= eigen.value * eigen.vector[a] * eigen.vector[b];
  }
}
