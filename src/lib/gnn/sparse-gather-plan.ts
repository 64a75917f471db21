/**
 * The `gather` strategy of sparse-matmul.ts, for backends that run on a GPU: `M x` from
 * gathers, a multiply and sums only, ops every backend implements as parallel kernels.
 *
 * Output rows are grouped by their entry count rounded up to a power of two. Within a group
 * every row's entries are padded to the group's width with an entry that reads a zero row, so
 * a group is one [rows, width, columns] block summed over the width. All groups' slots are
 * gathered in one go; a last gather puts the group sums back in output order.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface GatherPlan {
  readonly outputCount: number;
  readonly inputCount: number;
  readonly groups: readonly { width: number; rows: number; offset: number }[];
  /** Per padded slot, the input row to read (`inputCount` reads the zero row). */
  readonly gatherIndex: tf.Tensor1D;
  /** Per padded slot, the entry whose value scales it (`entries` reads a zero value). */
  readonly entryIndex: tf.Tensor1D;
  /** Per output row, its row among the concatenated group sums (the last is a zero row). */
  readonly order: tf.Tensor1D;
}

/**
 * Plans `out[output[k]] += value[k] * x[input[k]]` over all entries k, for `outputCount`
 * output rows and an x of `inputCount` rows.
 */
export function gatherPlan(
  output: Int32Array,
  input: Int32Array,
  outputCount: number,
  inputCount: number,
): GatherPlan {
  const entries = output.length;
  const counts = new Int32Array(outputCount);
  for (const o of output) counts[o]++;
  const starts = new Int32Array(outputCount + 1);
  for (let o = 0; o < outputCount; o++) starts[o + 1] = starts[o] + counts[o];
  const byOutput = new Int32Array(entries);
  const next = starts.slice(0, outputCount);
  for (let k = 0; k < entries; k++) byOutput[next[output[k]]++] = k;

  const rowsByWidth = new Map<number, number[]>();
  for (let o = 0; o < outputCount; o++) {
    if (counts[o] === 0) continue;
    const width = 2 ** Math.ceil(Math.log2(counts[o]));
    rowsByWidth.set(width, [...(rowsByWidth.get(width) ?? []), o]);
  }
  const widths = [...rowsByWidth.keys()].sort((a, b) => a - b);
  const slots = widths.reduce((sum, w) => sum + w * rowsByWidth.get(w)!.length, 0);

  const gatherIndex = new Int32Array(slots).fill(inputCount);
  const entryIndex = new Int32Array(slots).fill(entries);
  const order = new Int32Array(outputCount);
  const groups: { width: number; rows: number; offset: number }[] = [];
  let offset = 0;
  let groupRow = 0;
  for (const width of widths) {
    const rows = rowsByWidth.get(width)!;
    groups.push({ width, rows: rows.length, offset });
    rows.forEach((o, r) => {
      for (let s = starts[o]; s < starts[o + 1]; s++) {
        const slot = offset + r * width + (s - starts[o]);
        entryIndex[slot] = byOutput[s];
        gatherIndex[slot] = input[byOutput[s]];
      }
      order[o] = groupRow + r;
    });
    offset += rows.length * width;
    groupRow += rows.length;
  }
  for (let o = 0; o < outputCount; o++) if (counts[o] === 0) order[o] = groupRow;

  return {
    outputCount,
    inputCount,
    groups,
    gatherIndex: tf.tensor1d(gatherIndex, 'int32'),
    entryIndex: tf.tensor1d(entryIndex, 'int32'),
    order: tf.tensor1d(order, 'int32'),
  };
}

/** Frees a plan's tensors. */
export function disposeGatherPlan(plan: GatherPlan): void {
  tf.dispose([plan.gatherIndex, plan.entryIndex, plan.order]);
}

/** Runs the plan: `out = M x` with M's entry values `values`. */
export function planProduct(plan: GatherPlan, values: tf.Tensor1D, x: tf.Tensor2D): tf.Tensor2D {
  const columns = x.shape[1];
  const zeroRow = tf.zeros([1, columns]);
  const paddedX = tf.concat([x, zeroRow]);
  const paddedValues = tf.concat([values, tf.zeros([1])]);
  const slots = tf.mul(
    tf.gather(paddedX, plan.gatherIndex),
    tf.expandDims(tf.gather(paddedValues, plan.entryIndex), 1),
  );

  const sums = plan.groups.map(({ width, rows, offset }) => {
    const block = tf.slice(slots, [offset, 0], [rows * width, columns]);
    return width === 1 ? block : tf.sum(tf.reshape(block, [rows, width, columns]), 1);
  });
  return tf.gather(tf.concat([...sums, zeroRow]), plan.order) as tf.Tensor2D;
}
