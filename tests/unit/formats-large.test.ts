/**
 * Multi-gigabyte models are read from their headers only: sparse 3.8 GB safetensors and GGUF
 * files on disk, opened as disk-backed Blobs, inspect in well under a second, read a few
 * hundred kB and leave the heap where it was. (Node 20's `openAsBlob` wraps sizes at 2^32,
 * so the files stay under 4 GiB; browsers have no such limit.)
 */
import { closeSync, mkdtempSync, openAsBlob, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { inspectFile } from '$lib/registry/formats/inspect';
import type { GgufMetadata, SafetensorsMetadata } from '$lib/registry/formats/types';
import { gguf, ggufString, u64 } from './formats-builders';

const dir = mkdtempSync(join(tmpdir(), 'stemma-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sparseFile(name: string, header: Uint8Array, size: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  writeSync(fd, header);
  // Writing the last byte makes a sparse file; ftruncate wraps lengths past 2^32 here.
  writeSync(fd, new Uint8Array(1), 0, 1, size - 1);
  closeSync(fd);
  return path;
}

function safetensorsHeader(tensors: number, tensorBytes: number): Uint8Array {
  const entries: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  for (let i = 0; i < tensors; i++) {
    entries[`model.layers.${i}.weight`] = {
      dtype: 'BF16',
      shape: [tensorBytes / 2],
      data_offsets: [i * tensorBytes, (i + 1) * tensorBytes],
    };
  }
  const json = new TextEncoder().encode(JSON.stringify(entries));
  const header = new Uint8Array(8 + json.length);
  header.set(u64(json.length), 0);
  header.set(json, 8);
  return header;
}

async function measure(path: string, name: string) {
  const blob = await openAsBlob(path);
  await inspectFile({ blob, name });
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const result = await inspectFile({ blob, name });
  return {
    result,
    ms: performance.now() - started,
    heap: process.memoryUsage().heapUsed - heapBefore,
  };
}

describe('multi-gigabyte files', () => {
  test('a 3.8 GB safetensors file reads its header only', async () => {
    const tensors = 900;
    const tensorBytes = 4 * 1024 ** 2;
    const header = safetensorsHeader(tensors, tensorBytes);
    const path = sparseFile('big.safetensors', header, header.length + tensors * tensorBytes);
    const { result, ms, heap } = await measure(path, 'big.safetensors');
    expect(result.error).toBeNull();
    const meta = result.metadata as SafetensorsMetadata;
    expect(meta.tensorCount).toBe(tensors);
    expect(meta.parameterCount).toBe((tensors * tensorBytes) / 2);
    expect(result.size).toBeGreaterThan(3.7e9);
    expect(result.bytesRead).toBeLessThan(header.length + 8192);
    expect(ms).toBeLessThan(1000);
    expect(heap).toBeLessThan(64 * 1024 ** 2);
    console.log(`3.8 GB safetensors: ${ms.toFixed(1)} ms, ${result.bytesRead} bytes read`);
  });

  test('a 3.8 GB GGUF file reads its header only', async () => {
    const count = 228;
    const tensorBytes = 16 * 1024 ** 2;
    const tensors = Array.from({ length: count }, (_, i) => ({
      name: `blk.${i}.ffn.weight`,
      dims: [BigInt(tensorBytes / 2)],
      type: 1,
      offset: BigInt(i * tensorBytes),
    }));
    const header = gguf({ kvs: [['general.architecture', 8, ggufString('llama')]], tensors });
    const path = sparseFile('big.gguf', header, header.length + count * tensorBytes);
    const { result, ms, heap } = await measure(path, 'big.gguf');
    expect(result.error).toBeNull();
    expect((result.metadata as GgufMetadata).parameterCount).toBe((count * tensorBytes) / 2);
    expect(result.size).toBeGreaterThan(3.8e9);
    expect(result.bytesRead).toBeLessThan(2 * 1024 ** 2);
    expect(ms).toBeLessThan(1000);
    expect(heap).toBeLessThan(64 * 1024 ** 2);
    console.log(`3.8 GB GGUF: ${ms.toFixed(1)} ms, ${result.bytesRead} bytes read`);
  });
});
