/**
 * Dot products of many query vectors with many row vectors: the inner loop of "similar
 * models". A small WebAssembly module, written out below instruction by instruction, uses
 * 128-bit SIMD; plain JavaScript is the fallback where WebAssembly SIMD is missing. Both give
 * `scores[q * rowCount + i] = rows[i] . queries[q]`.
 *
 * The WebAssembly kernel keeps rows in blocks of four, stored dimension by dimension, so one
 * 16-byte load holds the same dimension of four rows; each query value is broadcast to four
 * lanes and multiplied in. Eight queries share every row load, and each accumulator ends up
 * holding four finished scores: no lane shuffling, one store per four scores.
 */
import { dotsModule, ROWS_PER_BLOCK, QUERIES_PER_BLOCK } from './dot-kernel-wasm';

/** Scores queries against a fixed set of rows; see the module comment. */
export interface DotKernel {
  readonly kind: 'wasm-simd' | 'javascript';
  /** Copies the rows (row-major, `rowCount x dimension`) in once for later `score` calls. */
  setRows(rows: Float32Array, rowCount: number, dimension: number): void;
  /**
   * Scores of each query (row-major, `queryCount x dimension`) against every row. The result
   * may be a view into the kernel's memory: read it before the next call.
   */
  score(queries: Float32Array, queryCount: number): Float32Array;
}

/** The WebAssembly kernel when the runtime validates SIMD, else the JavaScript one. */
export function createDotKernel(preferred: DotKernel['kind'] = 'wasm-simd'): DotKernel {
  if (preferred === 'wasm-simd' && typeof WebAssembly === 'object') {
    const bytes = dotsModule();
    if (WebAssembly.validate(bytes)) return new WasmDotKernel(new WebAssembly.Module(bytes));
  }
  return new JavaScriptDotKernel();
}

class JavaScriptDotKernel implements DotKernel {
  readonly kind = 'javascript';
  private rows = new Float32Array(0);
  private rowCount = 0;
  private dimension = 0;

  setRows(rows: Float32Array, rowCount: number, dimension: number): void {
    this.rows = rows.slice(0, rowCount * dimension);
    this.rowCount = rowCount;
    this.dimension = dimension;
  }

  score(queries: Float32Array, queryCount: number): Float32Array {
    const { rows, rowCount, dimension: d } = this;
    const scores = new Float32Array(queryCount * rowCount);
    for (let q = 0; q < queryCount; q++) {
      for (let i = 0; i < rowCount; i++) {
        let sum = 0;
        for (let t = 0; t < d; t++) sum += rows[i * d + t] * queries[q * d + t];
        scores[q * rowCount + i] = sum;
      }
    }
    return scores;
  }
}

const PAGE = 65536;

class WasmDotKernel implements DotKernel {
  readonly kind = 'wasm-simd';
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  private readonly dots: (...args: number[]) => void;
  private rowCount = 0;
  private rowBlocks = 0;
  private dimension = 0;

  constructor(module: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.dots = instance.exports.dots as (...args: number[]) => void;
  }

  setRows(rows: Float32Array, rowCount: number, dimension: number): void {
    this.rowCount = rowCount;
    this.dimension = dimension;
    this.rowBlocks = Math.ceil(rowCount / ROWS_PER_BLOCK);
    this.reserve(this.rowBytes());

    const blocked = new Float32Array(this.memory.buffer, 0, this.rowBytes() / 4);
    blocked.fill(0);
    for (let i = 0; i < rowCount; i++) {
      const block = Math.floor(i / ROWS_PER_BLOCK);
      const lane = i % ROWS_PER_BLOCK;
      for (let t = 0; t < dimension; t++) {
        blocked[(block * dimension + t) * ROWS_PER_BLOCK + lane] = rows[i * dimension + t];
      }
    }
  }

  score(queries: Float32Array, queryCount: number): Float32Array {
    const d = this.dimension;
    const queryBlocks = Math.ceil(queryCount / QUERIES_PER_BLOCK);
    const queryStart = this.rowBytes();
    const queryBytes = queryBlocks * QUERIES_PER_BLOCK * d * 4;
    const paddedRows = this.rowBlocks * ROWS_PER_BLOCK;
    const scoreStart = queryStart + queryBytes;
    this.reserve(scoreStart + queryBlocks * QUERIES_PER_BLOCK * paddedRows * 4);

    const blocked = new Float32Array(this.memory.buffer, queryStart, queryBytes / 4);
    blocked.fill(0);
    for (let q = 0; q < queryCount; q++) {
      const block = Math.floor(q / QUERIES_PER_BLOCK);
      const lane = q % QUERIES_PER_BLOCK;
      for (let t = 0; t < d; t++) {
        blocked[(block * d + t) * QUERIES_PER_BLOCK + lane] = queries[q * d + t];
      }
    }

    this.dots(0, this.rowBlocks, d, queryStart, queryBlocks, scoreStart);
    const padded = new Float32Array(this.memory.buffer, scoreStart, queryCount * paddedRows);
    if (paddedRows === this.rowCount) return padded;
    const scores = new Float32Array(queryCount * this.rowCount);
    for (let q = 0; q < queryCount; q++) {
      scores.set(
        padded.subarray(q * paddedRows, q * paddedRows + this.rowCount),
        q * this.rowCount,
      );
    }
    return scores;
  }

  private rowBytes(): number {
    return this.rowBlocks * ROWS_PER_BLOCK * this.dimension * 4;
  }

  private reserve(bytes: number): void {
    const missing = bytes - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE));
  }
}
