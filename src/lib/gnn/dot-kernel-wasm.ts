/**
 * The bytes of dot-kernel.ts's WebAssembly module, assembled here rather than shipped as a
 * binary so that every instruction can be read and reviewed. One exported function:
 *
 *   dots(rows, rowBlocks, dimension, queries, queryBlocks, scores)
 *
 * `rows` holds blocks of 4 rows stored dimension-major (dimension t of rows 4b..4b+3 at
 * `((b * dimension + t) * 4 + lane) * 4` bytes); `queries` blocks of 8 queries the same way.
 * For every row block and query block it accumulates eight f32x4 sums over the dimensions
 * (a row load times each query value broadcast with `v128.load32_splat`) and stores the sums
 * of query 8c + j at `scores + ((8c + j) * rowBlocks * 4 + 4b) * 4`.
 */

export const ROWS_PER_BLOCK = 4;
export const QUERIES_PER_BLOCK = 8;

// Local variables: the six parameters, then i32 scratch, then v128 accumulators.
const [ROWS, ROW_BLOCKS, DIMENSION, QUERIES, QUERY_BLOCKS, SCORES] = [0, 1, 2, 3, 4, 5];
const [BLOCK, QUERY_BLOCK, T, ROW_AT, QUERY_AT, SCORE_AT, SCORE_STRIDE] = [6, 7, 8, 9, 10, 11, 12];
const ACCUMULATORS = [13, 14, 15, 16, 17, 18, 19, 20];
const ROW_CHUNK = 21;

const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];
const i32Const = (value: number) => [0x41, ...signedLeb128(value)];
const I32_ADD = 0x6a;
const I32_MUL = 0x6c;
const I32_GE_U = 0x4f;
const simd = (opcode: number, ...immediates: number[]) => [0xfd, ...leb128(opcode), ...immediates];
const v128Load = simd(0x00, 4, 0);
const v128Store = simd(0x0b, 4, 0);
const loadSplat = (offset: number) => simd(0x09, 2, ...leb128(offset));
const F32X4_ADD = simd(0xe4);
const F32X4_MUL = simd(0xe6);
const v128Zero = simd(0x0c, ...new Array(16).fill(0));

/** `local += value`. */
// prettier-ignore
const increment = (local: number, value: number[]) => [
  ...get(local), ...value, I32_ADD, ...set(local),
];

/** `while (counter < limit) { body }`: block { loop { br_if exit; body; br loop } }. */
// prettier-ignore
const whileBelow = (counter: number, limit: number, body: number[]) => [
  0x02, 0x40, 0x03, 0x40,
  ...get(counter), ...get(limit), I32_GE_U, 0x0d, 0x01,
  ...body,
  0x0c, 0x00, 0x0b, 0x0b,
];

// prettier-ignore
const dimensionLoop = whileBelow(T, DIMENSION, [
  ...get(ROW_AT), ...v128Load, ...set(ROW_CHUNK),
  ...ACCUMULATORS.flatMap((accumulator, j) => [
    ...get(accumulator),
    ...get(ROW_CHUNK), ...get(QUERY_AT), ...loadSplat(4 * j), ...F32X4_MUL,
    ...F32X4_ADD, ...set(accumulator),
  ]),
  ...increment(ROW_AT, i32Const(16)),
  ...increment(QUERY_AT, i32Const(4 * QUERIES_PER_BLOCK)),
  ...increment(T, i32Const(1)),
]);

// prettier-ignore
const queryBlockLoop = whileBelow(QUERY_BLOCK, QUERY_BLOCKS, [
  ...ACCUMULATORS.flatMap((accumulator) => [...v128Zero, ...set(accumulator)]),
  // ROW_AT = rows + block * dimension * 16; QUERY_AT = queries + queryBlock * dimension * 32
  ...get(ROWS), ...get(BLOCK), ...get(DIMENSION), I32_MUL, ...i32Const(16), I32_MUL, I32_ADD,
  ...set(ROW_AT),
  ...get(QUERIES), ...get(QUERY_BLOCK), ...get(DIMENSION), I32_MUL, ...i32Const(32), I32_MUL,
  I32_ADD, ...set(QUERY_AT),
  ...i32Const(0), ...set(T),
  ...dimensionLoop,
  // SCORE_AT = scores + queryBlock * 8 * SCORE_STRIDE + block * 16
  ...get(SCORES), ...get(QUERY_BLOCK), ...i32Const(8), I32_MUL, ...get(SCORE_STRIDE), I32_MUL,
  I32_ADD, ...get(BLOCK), ...i32Const(16), I32_MUL, I32_ADD, ...set(SCORE_AT),
  ...ACCUMULATORS.flatMap((accumulator) => [
    ...get(SCORE_AT), ...get(accumulator), ...v128Store,
    ...increment(SCORE_AT, get(SCORE_STRIDE)),
  ]),
  ...increment(QUERY_BLOCK, i32Const(1)),
]);

// prettier-ignore
const body = [
  // SCORE_STRIDE = rowBlocks * 16: bytes between one query's scores and the next's.
  ...get(ROW_BLOCKS), ...i32Const(16), I32_MUL, ...set(SCORE_STRIDE),
  ...i32Const(0), ...set(BLOCK),
  ...whileBelow(BLOCK, ROW_BLOCKS, [
    ...i32Const(0), ...set(QUERY_BLOCK),
    ...queryBlockLoop,
    ...increment(BLOCK, i32Const(1)),
  ]),
  0x0b,
];

/** The module's bytes: type, memory import, function, export and code sections. */
export function dotsModule(): Uint8Array<ArrayBuffer> {
  const I32 = 0x7f;
  const V128 = 0x7b;
  const locals = [0x02, 7, I32, ACCUMULATORS.length + 1, V128];
  const code = [...locals, ...body];
  const section = (id: number, content: number[]) => [id, ...leb128(content.length), ...content];
  const name = (text: string) => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [0x01, 0x60, 6, I32, I32, I32, I32, I32, I32, 0x00]),
    ...section(2, [0x01, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]),
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, ...name('dots'), 0x00, 0x00]),
    ...section(10, [0x01, ...leb128(code.length), ...code]),
  ]);
}

function leb128(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest !== 0);
  return bytes;
}

function signedLeb128(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}
