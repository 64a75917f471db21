/**
 * Seeded fuzzing: headers of real and built files, mutated thousands of times (bytes flipped,
 * cut short, spliced), must each end in a result or a named error within the time budget,
 * and a pickle-bearing file that fails to read is never called safe.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { inspectFile } from '$lib/registry/formats/inspect';
import {
  callingPickle,
  concat,
  gguf,
  ggufString,
  stateDictPickle,
  text,
  u32,
  zip,
} from './formats-builders';
import { kerasH5 } from './formats-hdf5-builder';

const FIXTURES = join(process.cwd(), 'tests/fixtures/models');
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));

/** mulberry32: a small seeded generator, so every failure reproduces. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(base: Uint8Array, next: () => number): Uint8Array {
  const headerSpan = Math.min(base.length, 8192);
  const kind = next();
  if (kind < 0.2) return base.subarray(0, Math.floor(next() * base.length));
  const copy = base.slice();
  const flips = 1 + Math.floor(next() * 8);
  for (let i = 0; i < flips; i++) {
    const at = Math.floor(next() * headerSpan);
    copy[at] = kind < 0.6 ? Math.floor(next() * 256) : copy[at] ^ (1 << Math.floor(next() * 8));
  }
  if (kind > 0.9) {
    const at = Math.floor(next() * headerSpan);
    return concat([
      copy.subarray(0, at),
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
      copy.subarray(at),
    ]);
  }
  return copy;
}

const torchZip = zip([
  { name: 'archive/data.pkl', data: stateDictPickle([['w', [2, 2]]]), deflate: true },
  { name: 'archive/version', data: text('3\n') },
]);

const bases: [name: string, bytes: Uint8Array, runs: number][] = [
  ['safetensors', fixture('hf_safetensors_samples_overall.safetensors'), 2000],
  [
    'gguf',
    gguf({
      kvs: [
        ['general.architecture', 8, ggufString('llama')],
        [
          'tokenizer.ggml.tokens',
          9,
          concat([
            u32(8),
            new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0]),
            ggufString('a'),
            ggufString('b'),
          ]),
        ],
      ],
      tensors: [{ name: 'w', dims: [32n, 2n], type: 2, offset: 0n }],
      dataBytes: 36,
    }),
    2000,
  ],
  ['onnx', fixture('onnx_pytorch_operator_conv.onnx'), 2000],
  ['pickle', callingPickle('os', 'system', 'echo hi'), 2000],
  ['pytorch-zip', torchZip, 2000],
  ['keras', fixture('flownet_ann_final_model.keras'), 1000],
  ['tfjs', fixture('tiny_face_detector_model-weights_manifest.json'), 2000],
  ['mlmodel', fixture('MLmodel'), 2000],
  ['joblib', fixture('loan_payback_hgbt_best_model.joblib').subarray(0, 20_000), 1000],
  ['keras-h5', kerasH5({ class_name: 'Sequential', config: { layers: [] } }), 2000],
];

const PICKLE_FORMATS = new Set(['pickle', 'pytorch-zip', 'pytorch-legacy']);

describe('fuzzed headers', () => {
  for (const [name, base, runs] of bases) {
    test(`${runs} mutations of a ${name} file end in a result or a named error`, async () => {
      const next = random(0x5eed + name.length * 7919);
      for (let i = 0; i < runs; i++) {
        const bytes = mutate(base, next);
        const result = await inspectFile(
          { blob: new Blob([bytes as BlobPart]), name: `${name}-${i}` },
          { limits: { timeoutMs: 2000 } },
        );
        const context = `${name} mutation ${i}: ${result.error?.message ?? 'ok'}`;
        expect(result.error?.code ?? 'ok', context).not.toBe('model-file-internal');
        expect(result.error?.code ?? 'model-file-ok', context).toMatch(/^model-file-/);
        expect(result.tookMs, context).toBeLessThan(2500);
        if (result.error && result.format && PICKLE_FORMATS.has(result.format)) {
          expect(result.safety?.verdict, context).not.toBe('safe');
        }
      }
    });
  }
});
