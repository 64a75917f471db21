/**
 * GGUF headers: a well-formed file with quantised tensors, and each crafted count, length,
 * dimension, alignment and offset refused with a message that says what it claims.
 */
import { describe, expect, test } from 'vitest';
import type { GgufMetadata } from '$lib/registry/formats/types';
import { concat, gguf, ggufString, inspectBytes, u32, u64 } from './formats-builders';

const U32 = 4;
const STR = 8;
const ARR = 9;

function wellFormed() {
  return gguf({
    kvs: [
      ['general.architecture', STR, ggufString('llama')],
      ['general.name', STR, ggufString('tiny')],
      ['llama.context_length', U32, u32(2048)],
      ['llama.embedding_length', U32, u32(64)],
      ['llama.block_count', U32, u32(2)],
      ['general.file_type', U32, u32(2)],
      [
        'tokenizer.ggml.tokens',
        ARR,
        concat([u32(STR), u64(4), ...['<s>', '</s>', 'a', 'b'].map(ggufString)]),
      ],
      ['tokenizer.ggml.scores', ARR, concat([u32(6), u64(4), new Uint8Array(16)])],
    ],
    tensors: [
      { name: 'token_embd.weight', dims: [64n, 8n], type: 0, offset: 0n },
      { name: 'blk.0.attn_q.weight', dims: [64n, 64n], type: 2, offset: 2048n },
    ],
    dataBytes: 2048 + (4096 / 32) * 18,
  });
}

describe('GGUF reader', () => {
  test('reads architecture, quantisation, summarised arrays and the tensor table', async () => {
    const result = await inspectBytes(wellFormed(), 'tiny.gguf');
    expect(result.error).toBeNull();
    const meta = result.metadata as GgufMetadata;
    expect(meta).toMatchObject({
      version: 3,
      architecture: 'llama',
      name: 'tiny',
      contextLength: 2048,
      embeddingLength: 64,
      blockCount: 2,
      fileType: { id: 2, name: 'MOSTLY_Q4_0' },
      tensorCount: 2,
      parameterCount: 64 * 8 + 64 * 64,
      paramsByType: { F32: 512, Q4_0: 4096 },
    });
    expect(meta.kv['tokenizer.ggml.tokens'].value).toEqual({
      array_type: 'str',
      length: 4,
      first: ['<s>', '</s>', 'a'],
    });
    expect(meta.tensors[1]).toEqual({
      name: 'blk.0.attn_q.weight',
      type: 'Q4_0',
      shape: [64, 64],
      offset: 2048,
    });
  });

  test('a tensor count of 2^63 in a small file is refused before any loop', async () => {
    const result = await inspectBytes(gguf({ tensorCount: 1n << 63n }));
    expect(result.error?.name).toBe('ImplausibleHeaderError');
    expect(result.error?.message).toMatch(
      /^GGUF header declares 2\^63 tensors in a \d+ bytes file/,
    );
  });

  test('a key count near 2^63 is refused', async () => {
    const result = await inspectBytes(gguf({ kvCount: (1n << 63n) - 1n }));
    expect(result.error?.message).toMatch(/declares about 2\^63 metadata keys in a/);
  });

  test('a string length near 2^64 is refused', async () => {
    const bytes = concat([
      new TextEncoder().encode('GGUF'),
      u32(3),
      u64(0),
      u64(1),
      u64((1n << 64n) - 1n),
      new Uint8Array(64),
    ]);
    const result = await inspectBytes(bytes);
    expect(result.error?.message).toMatch(
      /declares a metadata key of about 2\^64 bytes at offset 24/,
    );
  });

  test('an array of 2^62 items is refused', async () => {
    const result = await inspectBytes(
      gguf({ kvs: [['tokenizer.ggml.tokens', ARR, concat([u32(STR), u64(1n << 62n)])]] }),
    );
    expect(result.error?.message).toMatch(/declares 2\^62 items in array "tokenizer.ggml.tokens"/);
  });

  test('n_dims of 0xFFFFFFFF is refused', async () => {
    const bytes = gguf({
      tensors: [{ name: 'w', dims: [], nDims: 0xffffffff, type: 0, offset: 0n }],
      dataBytes: 64,
    });
    const result = await inspectBytes(bytes);
    expect(result.error?.message).toMatch(/gives tensor "w" 4,294,967,295 dimensions/);
  });

  test('dimensions whose product overflows 64 bits are refused', async () => {
    const bytes = gguf({
      tensors: [{ name: 'w', dims: [1n << 40n, 1n << 40n], type: 0, offset: 0n }],
    });
    const result = await inspectBytes(bytes);
    expect(result.error?.message).toMatch(
      /dimensions 1099511627776 × 1099511627776, whose product overflows/,
    );
  });

  test('an alignment of 2^31 is refused', async () => {
    const result = await inspectBytes(gguf({ kvs: [['general.alignment', U32, u32(2 ** 31)]] }));
    expect(result.error?.message).toMatch(/sets general.alignment to 2\^31/);
  });

  test('a tensor offset past the end of the file is refused', async () => {
    const bytes = gguf({ tensors: [{ name: 'w', dims: [16n], type: 0, offset: 1n << 40n }] });
    const result = await inspectBytes(bytes);
    expect(result.error?.message).toMatch(
      /places tensor "w" at offset 2\^40, ending at .* past the end/,
    );
  });

  test('a tensor whose bytes run past the end is refused', async () => {
    const bytes = gguf({
      tensors: [{ name: 'w', dims: [1024n], type: 0, offset: 0n }],
      dataBytes: 64,
    });
    const result = await inspectBytes(bytes);
    expect(result.error?.name).toBe('ImplausibleHeaderError');
  });

  test('a truncated file says it ends early', async () => {
    const bytes = wellFormed();
    const result = await inspectBytes(bytes.subarray(0, 120));
    expect(result.error?.name).toBe('TruncatedFileError');
    expect(result.error?.message).toMatch(
      /^The GGUF file ends early: .* needs .* but the file has 120 bytes/,
    );
  });

  test('version 1 is named as unsupported', async () => {
    const result = await inspectBytes(gguf({ version: 1 }));
    expect(result.error?.message).toMatch(/format version 1 \(only 2 and 3 are read\)/);
  });
});
