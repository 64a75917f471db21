/**
 * Sparse matrix times dense matrix, `M x`, for a sparse M with a fixed pattern (the
 * normalised adjacency, the feature matrix), with its gradient, on any TensorFlow.js backend.
 *
 * Why not `tf.unsortedSegmentSum` after a `tf.gather`, the textbook way: in tfjs 4.22 the CPU
 * kernel of the segment sum loops over every segment and masks all rows each time
 * (O(segments x rows x columns): seconds per Cora epoch), the WASM backend has no kernel for
 * it, and `tf.gather`'s gradient is that same segment sum. Two strategies instead, both linear
 * in the non-zeros, wrapped in one `tf.customGrad` so autodiff never sees a segment sum:
 *
 * - `host` (CPU and WASM backends, whose tensors can be read synchronously for the cost of a
 *   copy): a plain loop over the non-zeros, forward and backward.
 * - `gather` (WebGL, WebGPU): each output row's entries are listed once, grouped by their count
 *   rounded up to a power of two and padded with a zero row, gathered as a
 *   [rows, width, columns] block and summed over the width; the backward pass runs the same
 *   plan for M^T. Padding at most doubles the work.
 */
import * as tf from '@tensorflow/tfjs-core';
import { GraphShapeError } from './errors';
import { disposeGatherPlan, gatherPlan, planProduct, type GatherPlan } from './sparse-gather-plan';

/** A sparse matrix by its non-zeros: entry k is `value[k]` at (`row[k]`, `column[k]`). */
export interface SparseMatrix {
  readonly rowCount: number;
  readonly columnCount: number;
  readonly row: Int32Array;
  readonly column: Int32Array;
  readonly value: Float32Array;
}

export type SparseStrategy = 'auto' | 'host' | 'gather';

/** A sparse matrix ready for `sparseMatMul` on the active backend. */
export interface SparseMatrixTensors extends SparseMatrix {
  /** The values as a tensor: the default right-hand values, and what dropout replaces. */
  readonly values: tf.Tensor1D;
  readonly strategy: Exclude<SparseStrategy, 'auto'>;
  /** Present with the `gather` strategy: plans for `M x` and `M^T x`. */
  readonly plans: { byRow: GatherPlan; byColumn: GatherPlan } | null;
}

/** Backends whose tensors live in host memory, so reading them synchronously is a copy. */
const HOST_BACKENDS = new Set(['cpu', 'wasm']);

/**
 * Prepares `matrix` for the active backend; `auto` picks `host` on CPU and WASM, `gather`
 * elsewhere. Free it with `disposeSparseMatrix`.
 */
export function toSparseMatrixTensors(
  matrix: SparseMatrix,
  strategy: SparseStrategy = 'auto',
): SparseMatrixTensors {
  checkSparseMatrix(matrix);
  const chosen =
    strategy === 'auto' ? (HOST_BACKENDS.has(tf.getBackend()) ? 'host' : 'gather') : strategy;
  return {
    rowCount: matrix.rowCount,
    columnCount: matrix.columnCount,
    row: matrix.row,
    column: matrix.column,
    value: matrix.value,
    values: tf.tensor1d(matrix.value, 'float32'),
    strategy: chosen,
    plans:
      chosen === 'gather'
        ? {
            byRow: gatherPlan(matrix.row, matrix.column, matrix.rowCount, matrix.columnCount),
            byColumn: gatherPlan(matrix.column, matrix.row, matrix.columnCount, matrix.rowCount),
          }
        : null,
  };
}

/** Releases the tensors of a prepared sparse matrix. */
export function disposeSparseMatrix(matrix: SparseMatrixTensors): void {
  tf.dispose(matrix.values);
  if (!matrix.plans) return;
  disposeGatherPlan(matrix.plans.byRow);
  disposeGatherPlan(matrix.plans.byColumn);
}

/**
 * `M x`, with M's values replaced by `values` when given (dropout on feature values). Only
 * `x` receives a gradient: sparse values here are always data (adjacency coefficients,
 * features, dropout masks), and skipping their gradient saves a third of the work.
 *
 * @example
 *   const mixed = sparseMatMul(adjacency, hidden); // [adjacency.rowCount, hidden columns]
 */
export function sparseMatMul(
  matrix: SparseMatrixTensors,
  x: tf.Tensor2D,
  values: tf.Tensor1D = matrix.values,
): tf.Tensor2D {
  if (x.shape[0] !== matrix.columnCount) {
    throw new GraphShapeError(
      `Cannot multiply a ${matrix.rowCount} x ${matrix.columnCount} sparse matrix by ` +
        `${x.shape[0]} rows; the dense side needs one row per column of the sparse one.`,
    );
  }
  const multiply = tf.customGrad((dense, save) => {
    // Tensors made in the forward pass (dropped-out values) are freed before the backward
    // pass unless saved.
    (save as tf.GradSaveFunc)([values]);
    return {
      value: product(matrix, 'forward', values, dense as tf.Tensor2D),
      // d(M x)/dx applied to dy is M^T dy.
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) =>
        product(matrix, 'transposed', saved[0] as tf.Tensor1D, dy),
    };
  });
  return multiply(x) as tf.Tensor2D;
}

/** `M x` or `M^T x`, by the matrix's strategy. */
function product(
  matrix: SparseMatrixTensors,
  direction: 'forward' | 'transposed',
  values: tf.Tensor1D,
  x: tf.Tensor2D,
): tf.Tensor2D {
  const forward = direction === 'forward';
  if (matrix.plans) {
    return planProduct(forward ? matrix.plans.byRow : matrix.plans.byColumn, values, x);
  }

  const [to, from, outputCount] = forward
    ? [matrix.row, matrix.column, matrix.rowCount]
    : [matrix.column, matrix.row, matrix.columnCount];
  const columns = x.shape[1];
  const v = values.dataSync();
  const xs = x.dataSync();
  const out = new Float32Array(outputCount * columns);
  for (let k = 0; k < to.length; k++) {
    const weight = v[k];
    if (weight === 0) continue;
    const target = to[k] * columns;
    const source = from[k] * columns;
    for (let c = 0; c < columns; c++) out[target + c] += weight * xs[source + c];
  }
  return tf.tensor2d(out, [outputCount, columns]);
}

function checkSparseMatrix(matrix: SparseMatrix): void {
  const { rowCount, columnCount, row, column, value } = matrix;
  if (row.length !== column.length || row.length !== value.length) {
    throw new GraphShapeError(
      `A sparse matrix needs as many rows as columns and values per entry ` +
        `(got ${row.length}, ${column.length}, ${value.length}).`,
    );
  }
  for (let k = 0; k < row.length; k++) {
    if (row[k] < 0 || row[k] >= rowCount || column[k] < 0 || column[k] >= columnCount) {
      throw new GraphShapeError(
        `Entry ${k} is at (${row[k]}, ${column[k]}), outside the ${rowCount} x ` +
          `${columnCount} matrix.`,
      );
    }
  }
}
