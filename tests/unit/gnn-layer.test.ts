// The sparse GCN layer against a dense reference and its gradients against finite
// differences, for both sparse strategies (host loops, and the gathers used on GPUs).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { gcnLayer, toGraphTensors } from '../../src/lib/gnn/gcn-layer';
import { normaliseGraph, type NormalisedGraph } from '../../src/lib/gnn/graph';
import { SeededRandom } from '../../src/lib/gnn/random';
import { fromDenseFeatures } from '../../src/lib/gnn/sparse-features';
import { toSparseMatrixTensors, type SparseStrategy } from '../../src/lib/gnn/sparse-matmul';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

function randomGraph(nodeCount: number, edgeCount: number, random: SeededRandom) {
  const source: number[] = [];
  const target: number[] = [];
  for (let k = 0; k < edgeCount; k++) {
    source.push(random.int(nodeCount));
    target.push(random.int(nodeCount));
  }
  return normaliseGraph(nodeCount, { source, target });
}

function randomMatrix(rows: number, cols: number, random: SeededRandom, density = 1) {
  return Float32Array.from({ length: rows * cols }, () =>
    random.next() < density ? random.normal() : 0,
  );
}

/** D^-1/2 (A + I) D^-1/2 built densely from the graph's edges, independently of its messages. */
function denseAdjacency(graph: NormalisedGraph): number[][] {
  const n = graph.nodeCount;
  const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => +(i === j)));
  for (let m = 0; m < graph.source.length; m++) a[graph.target[m]][graph.source[m]] = 1;
  const degree = a.map((row) => row.reduce((sum, v) => sum + v, 0));
  return a.map((row, i) => row.map((v, j) => v / Math.sqrt(degree[i] * degree[j])));
}

function matMul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((sum, v, k) => sum + v * b[k][j], 0)));
}

function rowsOf(values: Float32Array, cols: number): number[][] {
  return Array.from({ length: values.length / cols }, (_, i) =>
    Array.from(values.subarray(i * cols, (i + 1) * cols)),
  );
}

const strategies: SparseStrategy[] = ['host', 'gather'];

describe.each(strategies)('GCN layer, %s strategy', (strategy) => {
  const random = new SeededRandom(42);
  const nodes = 30;
  const inSize = 12;
  const outSize = 5;
  const graph = randomGraph(nodes, 60, random);
  const x = randomMatrix(nodes, inSize, random, 0.3);
  const w = randomMatrix(inSize, outSize, random);
  const b = randomMatrix(1, outSize, random);

  it('equals relu(A_hat X W + b) computed densely, for dense and sparse input', () => {
    const expected = matMul(
      matMul(denseAdjacency(graph), rowsOf(x, inSize)),
      rowsOf(w, outSize),
    ).map((row) => row.map((v, j) => Math.max(0, v + b[j])));
    const adjacency = toSparseMatrixTensors(
      { ...graphMatrix(graph), rowCount: nodes, columnCount: nodes },
      strategy,
    );
    const sparseX = toSparseMatrixTensors(sparseMatrixOf(x, nodes, inSize), strategy);
    const weights = { weight: tf.tensor2d(w, [inSize, outSize]), bias: tf.tensor1d(b) };

    for (const input of [tf.tensor2d(x, [nodes, inSize]), sparseX]) {
      const actual = gcnLayer(adjacency, input, weights, 'relu').arraySync();
      actual.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 4)));
    }
  });

  it('has weight and bias gradients that match central finite differences', () => {
    const adjacency = strategy === 'host' ? toGraphTensors(graph) : gatherGraph(graph);
    const sparseX = toSparseMatrixTensors(sparseMatrixOf(x, nodes, inSize), strategy);
    const probe = tf.tensor2d(randomMatrix(nodes, outSize, random), [nodes, outSize]);
    // A smooth loss of the layer's output; tanh keeps it away from ReLU's kink.
    const loss = (weight: tf.Tensor2D, bias: tf.Tensor1D) =>
      tf.sum(tf.mul(tf.tanh(gcnLayer(adjacency, sparseX, { weight, bias }, 'linear')), probe));

    const weight = tf.tensor2d(w, [inSize, outSize]);
    const bias = tf.tensor1d(b);
    const [dw, db] = tf.grads((wt: tf.Tensor, bt: tf.Tensor) =>
      loss(wt as tf.Tensor2D, bt as tf.Tensor1D),
    )([weight, bias]);

    const eps = 1e-2;
    const numeric = (values: Float32Array, k: number, at: (v: Float32Array) => number) => {
      const plus = values.slice();
      const minus = values.slice();
      plus[k] += eps;
      minus[k] -= eps;
      return (at(plus) - at(minus)) / (2 * eps);
    };
    const lossAt = (wv: Float32Array, bv: Float32Array) =>
      loss(tf.tensor2d(wv, [inSize, outSize]), tf.tensor1d(bv)).dataSync()[0];

    const analyticW = dw.dataSync();
    for (const k of [0, 7, 23, 41, 59]) {
      const expected = numeric(w, k, (v) => lossAt(v, b));
      expect(analyticW[k]).toBeCloseTo(expected, 2);
    }
    const analyticB = db.dataSync();
    for (let k = 0; k < outSize; k++) {
      expect(analyticB[k]).toBeCloseTo(
        numeric(b, k, (v) => lossAt(w, v)),
        2,
      );
    }
  });
});

function graphMatrix(graph: NormalisedGraph) {
  return { row: graph.target, column: graph.source, value: graph.coefficient };
}

function gatherGraph(graph: NormalisedGraph) {
  return toSparseMatrixTensors(
    { ...graphMatrix(graph), rowCount: graph.nodeCount, columnCount: graph.nodeCount },
    'gather',
  );
}

function sparseMatrixOf(dense: Float32Array, rows: number, cols: number) {
  const sparse = fromDenseFeatures(dense, rows, cols);
  return {
    rowCount: rows,
    columnCount: cols,
    row: sparse.row,
    column: sparse.column,
    value: sparse.value,
  };
}
