/**
 * Node features stored sparsely: one entry per non-zero (row = node, column = feature).
 * Bag-of-words features (Cora) and the registry's one-hot and hashed-token features are
 * mostly zeros, so the first layer multiplies only the non-zeros by its weights instead of a
 * dense N x F matrix; on Cora that is 49k entries instead of 3.9M.
 */
import { GraphShapeError } from './errors';

export interface SparseFeatures {
  readonly nodeCount: number;
  readonly featureCount: number;
  readonly row: Int32Array;
  readonly column: Int32Array;
  readonly value: Float32Array;
}

/**
 * Scales each node's features to sum to 1, as the published GCN preprocesses Cora. Nodes with
 * no features stay empty.
 */
export function rowNormalise(features: SparseFeatures): SparseFeatures {
  const sums = new Float64Array(features.nodeCount);
  for (let k = 0; k < features.row.length; k++) sums[features.row[k]] += features.value[k];

  const value = new Float32Array(features.value.length);
  for (let k = 0; k < value.length; k++) {
    const sum = sums[features.row[k]];
    value[k] = sum === 0 ? 0 : features.value[k] / sum;
  }
  return { ...features, value };
}

/** The dense N x F matrix, row-major. For tests and small graphs only. */
export function toDenseFeatures(features: SparseFeatures): Float32Array {
  const dense = new Float32Array(features.nodeCount * features.featureCount);
  for (let k = 0; k < features.row.length; k++) {
    dense[features.row[k] * features.featureCount + features.column[k]] += features.value[k];
  }
  return dense;
}

/** Sparse form of a dense row-major N x F matrix, keeping the non-zeros. */
export function fromDenseFeatures(
  dense: ArrayLike<number>,
  nodeCount: number,
  featureCount: number,
): SparseFeatures {
  if (dense.length !== nodeCount * featureCount) {
    throw new GraphShapeError(
      `A ${nodeCount} x ${featureCount} matrix has ${nodeCount * featureCount} values, ` +
        `not ${dense.length}.`,
    );
  }
  const rows: number[] = [];
  const columns: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < nodeCount; i++) {
    for (let j = 0; j < featureCount; j++) {
      const v = dense[i * featureCount + j];
      if (v === 0) continue;
      rows.push(i);
      columns.push(j);
      values.push(v);
    }
  }
  return {
    nodeCount,
    featureCount,
    row: Int32Array.from(rows),
    column: Int32Array.from(columns),
    value: Float32Array.from(values),
  };
}
