/**
 * The dispatcher judges files by their bytes: renamed files, empty files and files of other
 * kinds get a message saying what they are.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { inspectFiles } from '$lib/registry/formats/inspect';
import {
  callingPickle,
  gguf,
  ggufString,
  inspectBytes,
  safetensors,
  stateDictPickle,
  text,
  zip,
} from './formats-builders';
import { kerasH5 } from './formats-hdf5-builder';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(join(process.cwd(), 'tests/fixtures/models', name)));

const wholeFiles: [string, Uint8Array][] = [
  ['safetensors', fixture('hf_safetensors_samples_overall.safetensors')],
  ['gguf', gguf({ kvs: [['general.name', 8, ggufString('x'.repeat(64))]] })],
  ['onnx', fixture('onnx_pytorch_operator_conv.onnx')],
  ['pickle', stateDictPickle([['w', [2]]])],
  ['pytorch-zip', zip([{ name: 'archive/data.pkl', data: stateDictPickle([['w', [2]]]) }])],
  ['keras-v3', fixture('flownet_ann_final_model.keras')],
  ['keras-h5', kerasH5({ class_name: 'Sequential', config: { layers: [] } })],
  ['tfjs-model', fixture('blazeface.json')],
  ['model-card', text('---\nlicense: mit\ntags: [a]\n---\n# Card\n')],
];

describe('truncated files', () => {
  test.each(wholeFiles)('a %s file cut in half ends in a named error', async (format, bytes) => {
    const whole = await inspectBytes(bytes);
    expect(whole.error).toBeNull();
    expect(whole.format).toBe(format);
    const half = await inspectBytes(bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(half.error?.code).toMatch(/^model-file-(truncated|implausible|malformed)$/);
    expect(half.safety?.verdict ?? 'none').not.toBe('safe');
  });
});

describe('format detection', () => {
  test('a PNG named .onnx is reported as a PNG image', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const result = await inspectBytes(png, 'model.onnx');
    expect(result.format).toBeNull();
    expect(result.error?.name).toBe('UnrecognizedFormatError');
    expect(result.error?.message).toMatch(/its bytes are those of a PNG image, whatever its name/);
  });

  test('an empty file is named as empty', async () => {
    const result = await inspectBytes(new Uint8Array(0), 'model.safetensors');
    expect(result.error).toMatchObject({ name: 'EmptyFileError', code: 'model-file-empty' });
  });

  test('a GGUF named .safetensors is read as GGUF', async () => {
    const result = await inspectBytes(gguf(), 'model.safetensors');
    expect(result.format).toBe('gguf');
  });

  test('one failing file does not stop the rest of a drop', async () => {
    const files = [
      { blob: new Blob([new Uint8Array(0)]), name: 'empty.bin' },
      { blob: new Blob([callingPickle('os', 'system', 'x') as BlobPart]), name: 'evil.pkl' },
      { blob: new Blob([text('hello') as BlobPart]), name: 'notes.txt' },
      { blob: new Blob([safetensors({}, 0) as BlobPart]), name: 'ok.safetensors' },
    ];
    const results = [];
    for await (const result of inspectFiles(files)) results.push(result);
    expect(results.map((r) => [r.fileName, r.format, r.error?.code ?? null])).toEqual([
      ['empty.bin', null, 'model-file-empty'],
      ['evil.pkl', 'pickle', null],
      ['notes.txt', null, 'model-file-unrecognized'],
      ['ok.safetensors', 'safetensors', null],
    ]);
    expect(results[1].safety?.verdict).toBe('dangerous');
  });

  test('a read past the byte budget stops with a named limit', async () => {
    const result = await inspectBytes(
      safetensors({ a: { dtype: 'U8', shape: [1], data_offsets: [0, 1] } }, 1),
      'x',
      {
        limits: { maxBytesRead: 64 },
      },
    );
    expect(result.error?.name).toBe('LimitExceededError');
  });

  test('a cancelled drop reports each file as cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await inspectBytes(gguf(), 'm.gguf', { signal: controller.signal });
    expect(result.error?.name).toBe('InspectionAbortedError');
  });
});
