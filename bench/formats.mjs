/**
 * Benchmark of model-file header reading: sparse multi-gigabyte safetensors and GGUF files
 * (bodies are holes on disk) are inspected through disk-backed Blobs, five times each; the
 * median time, bytes read and heap growth are printed as JSON. The issue's target is under
 * 100 ms and constant memory. Node 20's `openAsBlob` wraps sizes at 2^32, so files stay
 * just under 4 GiB. Run: `node bench/formats.mjs`.
 */
import { closeSync, mkdtempSync, openAsBlob, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'vite';

const RUNS = 5;
const dir = mkdtempSync(join(tmpdir(), 'stemma-bench-'));

function sparse(name, header, size) {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  writeSync(fd, header);
  writeSync(fd, new Uint8Array(1), 0, 1, size - 1);
  closeSync(fd);
  return path;
}

function u64(value) {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(value), true);
  return bytes;
}

function u32(value) {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
}

function join8(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function safetensorsFile(tensors, tensorBytes) {
  const header = {};
  for (let i = 0; i < tensors; i++) {
    header[`model.layers.${i}.mlp.weight`] = {
      dtype: 'BF16',
      shape: [tensorBytes / 2],
      data_offsets: [i * tensorBytes, (i + 1) * tensorBytes],
    };
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  return sparse(
    'big.safetensors',
    join8([u64(json.length), json]),
    8 + json.length + tensors * tensorBytes,
  );
}

function ggufFile(tensors, tensorBytes) {
  const str = (s) => {
    const bytes = new TextEncoder().encode(s);
    return join8([u64(bytes.length), bytes]);
  };
  const parts = [new TextEncoder().encode('GGUF'), u32(3), u64(tensors), u64(1)];
  parts.push(str('general.architecture'), u32(8), str('llama'));
  for (let i = 0; i < tensors; i++) {
    parts.push(
      str(`blk.${i}.ffn.weight`),
      u32(1),
      u64(tensorBytes / 2),
      u32(1),
      u64(i * tensorBytes),
    );
  }
  const header = join8(parts);
  const start = Math.ceil(header.length / 32) * 32;
  return sparse('big.gguf', header, start + tensors * tensorBytes);
}

async function measure(inspectFile, path, name) {
  const blob = await openAsBlob(path);
  const times = [];
  let result;
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    result = await inspectFile({ blob, name });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    file: name,
    sizeBytes: blob.size,
    error: result.error?.message ?? null,
    medianMs: Number(times[Math.floor(RUNS / 2)].toFixed(2)),
    bytesRead: result.bytesRead,
    heapGrowthBytes: process.memoryUsage().heapUsed - heapBefore,
  };
}

const server = await createServer({ logLevel: 'error', server: { middlewareMode: true } });
try {
  const { inspectFile } = await server.ssrLoadModule('/src/lib/registry/formats/inspect.ts');
  const results = [
    await measure(inspectFile, safetensorsFile(900, 4 * 1024 ** 2), 'big.safetensors'),
    await measure(inspectFile, ggufFile(228, 16 * 1024 ** 2), 'big.gguf'),
  ];
  console.log(JSON.stringify({ benchmark: 'formats', runs: RUNS, results }, null, 2));
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
