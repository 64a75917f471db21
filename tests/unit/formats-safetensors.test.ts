/**
 * safetensors headers: dtype and shape accounting, and the header sizes and byte ranges a
 * crafted file can lie about.
 */
import { mkdtempSync, openSync, closeSync, writeSync, ftruncateSync } from 'node:fs';
import { openAsBlob } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { inspectFile } from '$lib/registry/formats/inspect';
import type { SafetensorsMetadata } from '$lib/registry/formats/types';
import { inspectBytes, safetensors, u64 } from './formats-builders';

const tensor = (dtype: string, shape: number[], begin: number, end: number) => ({
  dtype,
  shape,
  data_offsets: [begin, end],
});

describe('safetensors reader', () => {
  test('counts parameters per dtype and keeps __metadata__', async () => {
    const bytes = safetensors(
      {
        __metadata__: { format: 'pt' },
        'a.weight': tensor('BF16', [4, 8], 0, 64),
        'a.bias': tensor('F32', [8], 64, 96),
      },
      96,
    );
    const result = await inspectBytes(bytes, 'model.safetensors');
    expect(result.error).toBeNull();
    expect(result.metadata).toMatchObject({
      metadata: { format: 'pt' },
      tensorCount: 2,
      parameterCount: 40,
      paramsByDtype: { BF16: 32, F32: 8 },
      dataBytes: 96,
    } satisfies Partial<SafetensorsMetadata>);
  });

  test('a header longer than the file is refused', async () => {
    const result = await inspectBytes(safetensors({}, 0, 1n << 40n));
    expect(result.error?.message).toMatch(/declares a 2\^40-byte header in a 10 bytes file/);
  });

  test('a header over 100 MB is refused without reading it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stemma-st-'));
    const path = join(dir, 'huge-header.safetensors');
    const fd = openSync(path, 'w');
    writeSync(fd, u64(150_000_000));
    writeSync(fd, new TextEncoder().encode('{"'));
    ftruncateSync(fd, 200_000_000);
    closeSync(fd);
    const result = await inspectFile({ blob: await openAsBlob(path), name: 'huge-header' });
    expect(result.error?.message).toMatch(/header is 150 MB, over the 100 MB a header may take/);
    expect(result.bytesRead).toBeLessThan(10_000);
  });

  test('overlapping tensors are refused', async () => {
    const bytes = safetensors({ a: tensor('F32', [6], 0, 24), b: tensor('F32', [6], 16, 40) }, 40);
    const result = await inspectBytes(bytes);
    expect(result.error?.message).toMatch(/lets tensors "a" and "b" overlap/);
  });

  test('offsets outside the data area are refused', async () => {
    const bytes = safetensors({ a: tensor('F32', [4], 0, 16), b: tensor('F32', [4], 16, 400) }, 32);
    const result = await inspectBytes(bytes);
    expect(result.error?.message).toMatch(
      /places tensor "b" at bytes 16–400, outside the 32-byte data area/,
    );
  });

  test('a byte range that does not match dtype and shape is refused', async () => {
    const result = await inspectBytes(safetensors({ a: tensor('F32', [2, 3], 0, 20) }, 20));
    expect(result.error?.message).toMatch(
      /tensor "a" \(F32 \[2,3\]\) should take 24 bytes but its offsets span 20/,
    );
  });

  test('a truncated header says the file ends early', async () => {
    const bytes = safetensors({ a: tensor('F32', [2], 0, 8) }, 8);
    const result = await inspectBytes(bytes.subarray(0, 30));
    expect(result.error?.code).toMatch(/^model-file-(truncated|implausible)$/);
  });

  test('a header that is not JSON is named as damaged', async () => {
    const bytes = new Uint8Array([...u64(4), 0x7b, 0x22, 0x7d, 0x21]);
    const result = await inspectBytes(bytes);
    expect(result.error?.message).toMatch(/its header is not valid JSON/);
  });
});
