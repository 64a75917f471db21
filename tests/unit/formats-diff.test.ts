/**
 * Change detection between versions on real files: tensors added, removed, reshaped and
 * re-typed; opset, format and metadata changes; file pairing; and the diff as stored JSON.
 * The relation suggestions drawn from these diffs are specified in formats-suggest.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { diffVersions } from '$lib/registry/formats/diff';
import type { DiffableFile } from '$lib/registry/formats/diff-types';
import { dtypeWidth, isNarrowing, meanBits } from '$lib/registry/formats/dtype-bits';
import { text } from './formats-builders';
import {
  LAYER,
  asDtype,
  expected,
  fixtureBytes,
  safetensorsFile,
  versionFile,
  type Tensor,
} from './formats-diff-files';

describe('tensor changes between versions', () => {
  test('added, removed, reshaped and re-typed tensors are listed exactly', async () => {
    const older = await versionFile(
      'model.safetensors',
      safetensorsFile([
        ['embed.weight', 'F32', [8, 4]],
        ['layer.0.weight', 'F32', [4, 4]],
        ['layer.0.bias', 'F32', [4]],
        ['head.weight', 'F32', [2, 4]],
      ]),
    );
    const newer = await versionFile(
      'model.safetensors',
      safetensorsFile([
        ['embed.weight', 'F32', [8, 4]],
        ['layer.0.weight', 'F32', [4, 8]],
        ['layer.0.bias', 'F16', [4]],
        ['layer.1.weight', 'F32', [4, 4]],
      ]),
    );

    const diff = diffVersions([older], [newer]);

    expect(diff.files).toHaveLength(1);
    const [file] = diff.files;
    expect(file).toMatchObject({
      pairing: 'name',
      before: 'model.safetensors',
      after: 'model.safetensors',
      identical: false,
      changed: true,
      inspected: true,
      parameters: { before: 60, after: 84, delta: 24 },
      tensorCount: { before: 4, after: 4, delta: 0 },
      size: { before: older.size, after: newer.size, delta: newer.size - older.size },
      paramsByDtype: [
        { dtype: 'F16', before: 0, after: 4 },
        { dtype: 'F32', before: 60, after: 80 },
      ],
    });
    expect(file.tensors).toEqual({
      compared: 3,
      unchanged: 1,
      added: [{ name: 'layer.1.weight', dtype: 'F32', shape: [4, 4] }],
      removed: [{ name: 'head.weight', dtype: 'F32', shape: [2, 4] }],
      reshaped: [
        {
          name: 'layer.0.weight',
          before: { dtype: 'F32', shape: [4, 4] },
          after: { dtype: 'F32', shape: [4, 8] },
        },
      ],
      retyped: [
        {
          name: 'layer.0.bias',
          before: { dtype: 'F32', shape: [4] },
          after: { dtype: 'F16', shape: [4] },
        },
      ],
      unresolved: { before: 0, after: 0 },
      truncated: false,
    });
    expect(diff.counts).toEqual({ added: 0, removed: 0, changed: 1, unchanged: 0 });
    expect(diff.suggestion).toBeNull();
  });

  test('a tensor listed past the other side’s cut is unresolved, not called added', async () => {
    const tensors: Tensor[] = [1, 2, 3, 4, 5].map((i) => [`t${i}`, 'F32', [2]]);
    const older = await versionFile('m.safetensors', safetensorsFile(tensors), { maxListed: 3 });
    const newer = await versionFile(
      'm.safetensors',
      safetensorsFile([['t1', 'F32', [3]], ...tensors.slice(1), ['t6', 'F32', [2]]]),
    );

    const diff = diffVersions([older], [newer]);

    expect(older.summary?.tensorsTruncated).toBe(true);
    expect(diff.truncated).toBe(true);
    expect(diff.files[0].tensors).toMatchObject({
      compared: 3,
      added: [],
      removed: [],
      reshaped: [{ name: 't1' }],
      unresolved: { before: 0, after: 3 },
      truncated: true,
    });
    expect(diff.files[0].tensorCount).toEqual({ before: 5, after: 6, delta: 1 });
  });
});

describe('ONNX and format changes', () => {
  const conv = fixtureBytes('onnx_pytorch_operator_conv.onnx');

  test('a re-export at a newer opset reports the opset and suggests nothing', async () => {
    // The file ends with its only opset import, {version: 6}; bump the varint to 11.
    expect([...conv.slice(-4)]).toEqual([0x42, 0x02, 0x10, 0x06]);
    const bumped = conv.slice();
    bumped[bumped.length - 1] = 11;
    const older = await versionFile('model.onnx', conv);
    const newer = await versionFile('model.onnx', bumped);

    const diff = diffVersions([older], [newer]);

    expect(diff.files[0]).toMatchObject({
      pairing: 'name',
      identical: false,
      changed: true,
      opsets: [{ domain: 'ai.onnx', before: 6, after: 11 }],
      metadata: [],
      tensors: null,
      parameters: { before: 1872, after: 1872, delta: 0 },
    });
    expect(diff.suggestion).toBeNull();
  });

  test('an ONNX graph with the same structure and new weights suggests a fine-tune', async () => {
    const retrained = conv.slice();
    retrained[Math.floor(conv.length / 2)] ^= 0x01;
    const older = await versionFile('model.onnx', conv);
    const newer = await versionFile('model.onnx', retrained);

    const diff = diffVersions([older], [newer]);

    expect(diff.files[0]).toMatchObject({ identical: false, opsets: [], paramsByDtype: [] });
    expect(diff.suggestion).toMatchObject({
      relation: 'fine-tuned-from',
      child: 'after',
      confidence: 0.55,
    });
  });

  test('two ONNX files of different names pair by format and list what differs', async () => {
    const squeezenet = 'onnx_light_squeezenet.onnx';
    const older = await versionFile('conv.onnx', conv);
    const newer = await versionFile('squeezenet.onnx', fixtureBytes(squeezenet));

    const diff = diffVersions([older], [newer]);

    const [file] = diff.files;
    expect(file).toMatchObject({
      pairing: 'format',
      before: 'conv.onnx',
      after: 'squeezenet.onnx',
    });
    expect(file.opsets).toEqual([{ domain: 'ai.onnx', before: 6, after: 9 }]);
    expect(file.metadata).toEqual([
      { field: 'producer', before: 'pytorch 0.3', after: 'onnx-caffe2' },
    ]);
    expect(file.parameters).toEqual({
      before: expected['onnx_pytorch_operator_conv.onnx'].parameter_count,
      after: expected[squeezenet].parameter_count,
      delta: expected[squeezenet].parameter_count - 1872,
    });
    expect(file.layerTypes).toEqual({
      added: expected[squeezenet].op_types.filter((op: string) => op !== 'Conv'),
      removed: [],
    });
    expect(file.inputs.removed.map((i) => i.name)).toEqual(['0']);
    expect(diff.suggestion).toBeNull();
  });

  test('the only model file on each side pairs across formats; others by name or not', async () => {
    const weights = await versionFile('model.safetensors', safetensorsFile(LAYER));
    const tokenizer: DiffableFile = { name: 'tokenizer.json', size: 120, sha256: 'a'.repeat(64) };
    const exported = await versionFile('model.onnx', conv);
    const card = await versionFile(
      'README.md',
      text('---\nlicense: mit\nlibrary_name: onnx\n---\n# A model\n'),
    );
    const newTokenizer = { ...tokenizer, size: 130, sha256: 'b'.repeat(64) };

    const diff = diffVersions([weights, tokenizer], [exported, card, newTokenizer]);

    expect(diff.files.map((f) => [f.pairing, f.before, f.after])).toEqual([
      ['only-model', 'model.safetensors', 'model.onnx'],
      ['added', null, 'README.md'],
      ['name', 'tokenizer.json', 'tokenizer.json'],
    ]);
    expect(diff.files[0].metadata).toContainEqual({
      field: 'format',
      before: 'safetensors',
      after: 'onnx',
    });
    expect(diff.files[2]).toMatchObject({
      inspected: false,
      identical: false,
      changed: true,
      size: { before: 120, after: 130, delta: 10 },
    });
    expect(diff.counts).toEqual({ added: 1, removed: 0, changed: 2, unchanged: 0 });
    expect(diff.totals.size).toEqual({
      before: weights.size + 120,
      after: exported.size + card.size + 130,
      delta: exported.size + card.size + 130 - weights.size - 120,
    });
    expect(diff.totals.parameters).toEqual({ before: 320, after: 1872, delta: 1552 });
  });

  test('a file only the older version has is listed last as removed', async () => {
    const weights = await versionFile('model.safetensors', safetensorsFile(LAYER));
    const extra = await versionFile('model.onnx', conv);

    const diff = diffVersions([extra, weights], [weights]);

    expect(diff.files.map((f) => [f.pairing, f.before, f.after])).toEqual([
      ['name', 'model.safetensors', 'model.safetensors'],
      ['removed', 'model.onnx', null],
    ]);
    expect(diff.counts).toEqual({ added: 0, removed: 1, changed: 0, unchanged: 1 });
  });
});

describe('the diff as stored data', () => {
  test('is plain JSON: no undefined, no Map, no NaN', async () => {
    const older = await versionFile('model.safetensors', safetensorsFile(LAYER, 3));
    const newer = await versionFile('model.safetensors', safetensorsFile(asDtype(LAYER, 'F16')));
    const removed = await versionFile(
      'model.onnx',
      fixtureBytes('onnx_pytorch_operator_conv.onnx'),
    );

    const diff = diffVersions([older, removed], [newer, { name: 'notes.txt', size: 3 }]);

    const offending: string[] = [];
    const walk = (value: unknown, path: string): void => {
      if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) offending.push(path);
        return;
      }
      if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`));
      if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
        for (const [key, v] of Object.entries(value)) walk(v, `${path}.${key}`);
        return;
      }
      offending.push(path);
    };
    walk(diff, 'diff');
    expect(offending).toEqual([]);
    expect(JSON.parse(JSON.stringify(diff))).toEqual(diff);
  });
});

describe('dtype widths across formats', () => {
  test.each([
    ['F32', 32, 'float'],
    ['FLOAT16', 16, 'float'],
    ['torch.bfloat16', 16, 'float'],
    ['Q4_0', 4.5, 'quantized'],
    ['Q4_K', 4.5, 'quantized'],
    ['INT8', 8, 'int'],
  ])('%s is %d bits (%s)', (dtype, bits, kind) => {
    expect(dtypeWidth(dtype)).toEqual({ bits, kind });
  });

  test('narrowing is a float stored in fewer bits; integers shrinking are not quantisation', () => {
    expect(isNarrowing('F32', 'F16')).toBe(true);
    expect(isNarrowing('FLOAT', 'INT8')).toBe(true);
    expect(isNarrowing('BF16', 'Q4_K')).toBe(true);
    expect(isNarrowing('I64', 'I32')).toBe(false);
    expect(isNarrowing('F16', 'F32')).toBe(false);
    expect(isNarrowing('F32', 'mystery')).toBe(false);
  });

  test('mean bits weigh each dtype by its parameters', () => {
    expect(meanBits({ F32: 100, F16: 300 })).toBe(20);
    expect(meanBits({ mystery: 5 })).toBeNull();
    expect(meanBits(null)).toBeNull();
  });
});
