import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectFiles } from '../../src/lib/registry/formats';
import { diffVersions } from '../../src/lib/registry/formats/diff';
import { summarizeInspection, type ModelFileSummary } from '../../src/lib/registry/formats/summary';
import type { FileInspection, ModelFileInput } from '../../src/lib/registry/formats/types';
import { filesFromDrop, withoutCommonFolder } from '../../src/lib/ui/dropped-files';
import { fileChangeLines, suggestionSentence } from '../../src/lib/ui/file-diff-lines';
import {
  errorTitle,
  formatCount,
  formatCountDelta,
  formatShape,
  summaryFacts,
} from '../../src/lib/ui/model-file-facts';
import { fillBlankRows, suggestFields } from '../../src/lib/ui/model-file-prefill';
import { callingPickle, safetensors } from './formats-builders';

const fixtures = 'tests/fixtures/models/';

function fixture(name: string, bytes?: Uint8Array): ModelFileInput {
  const body = bytes ?? readFileSync(fixtures + name);
  return { blob: new Blob([body as BlobPart]), name, path: name };
}

async function inspectAll(files: ModelFileInput[]): Promise<FileInspection[]> {
  const results: FileInspection[] = [];
  for await (const result of inspectFiles(files)) results.push(result);
  return results;
}

function summary(fields: Partial<ModelFileSummary>): ModelFileSummary {
  return {
    fileName: 'model.safetensors',
    size: 1000,
    format: 'safetensors',
    framework: null,
    architecture: null,
    parameterCount: null,
    tensorCount: null,
    paramsByDtype: null,
    inputs: [],
    outputs: [],
    opsets: null,
    producer: null,
    quantization: null,
    layerTypes: [],
    tensors: [],
    tensorsTruncated: false,
    safety: null,
    warnings: [],
    error: null,
    ...fields,
  };
}

describe('how counts and shapes read', () => {
  it('writes parameter counts with three significant digits and a unit', () => {
    expect(formatCount(757)).toBe('757');
    expect(formatCount(1872)).toBe('1.87K');
    expect(formatCount(134_732)).toBe('135K');
    expect(formatCount(999_999)).toBe('1M');
    expect(formatCount(7_241_732_096)).toBe('7.24B');
    expect(formatCount(null)).toBe('—');
    expect(formatCountDelta(-1115)).toBe('−1.12K');
    expect(formatCountDelta(0)).toBe('0');
  });

  it('keeps symbolic dimensions and marks unknown ones', () => {
    expect(formatShape(['batch', 3, null])).toBe('[batch, 3, ?]');
    expect(formatShape(null)).toBe('shape unknown');
  });

  it('names every reading error code, and falls back for new ones', () => {
    expect(errorTitle('model-file-truncated')).toBe('Truncated file');
    expect(errorTitle('model-file-something-new')).toBe('Could not read');
  });
});

describe('the facts shown for a file', () => {
  it('lists an ONNX model signature, opset, producer and dtypes', async () => {
    const [conv] = await inspectAll([fixture('onnx_pytorch_operator_conv.onnx')]);
    const facts = summaryFacts(summarizeInspection(conv));
    const byLabel = Object.fromEntries(facts.map((fact) => [fact.label, fact]));

    expect(byLabel.Parameters).toMatchObject({ value: '1.87K', title: '1,872' });
    expect(byLabel.Opset.value).toBe('ai.onnx 6');
    expect(byLabel.Producer.value).toBe('pytorch 0.3');
    expect(byLabel.Dtypes.value).toBe('FLOAT');
    expect(byLabel.Inputs.list).toEqual(['0 FLOAT [20, 16, 50, 40]']);
    expect(byLabel.Outputs.list).toEqual(['2 FLOAT [20, 13, 48, 38]']);
  });

  it('leaves out what a file does not state', () => {
    const facts = summaryFacts(summary({ parameterCount: 54 }));
    expect(facts.map((fact) => fact.label)).toEqual(['Parameters']);
  });
});

describe('what the register form fills in from a folder', () => {
  it('takes format, framework and parameters from the biggest model of a folder', async () => {
    const inspections = await inspectAll([
      fixture('onnx_light_squeezenet.onnx'),
      fixture('flownet_ann_final_model.keras'),
      fixture('MLmodel'),
      fixture('notes.txt', new TextEncoder().encode('trained on Tuesday')),
    ]);

    expect(suggestFields(inspections)).toEqual({
      tags: { format: 'keras-v3', framework: 'keras', architecture: 'Sequential' },
      params: { parameter_count: '10786' },
    });
  });

  it('reports the ONNX opset of an ONNX model', async () => {
    const inspections = await inspectAll([fixture('onnx_light_squeezenet.onnx')]);
    expect(suggestFields(inspections).params).toEqual({ parameter_count: '757', opset: '9' });
  });

  it('adds up the parameters of every shard of a sharded checkpoint', async () => {
    const shard = (name: string, rows: number) =>
      fixture(
        name,
        safetensors(
          { w: { dtype: 'F32', shape: [rows, 4], data_offsets: [0, rows * 16] } },
          rows * 16,
        ),
      );
    const inspections = await inspectAll([
      shard('model-00001-of-00002.safetensors', 10),
      shard('model-00002-of-00002.safetensors', 6),
    ]);
    expect(suggestFields(inspections).params.parameter_count).toBe('64');
  });

  it('suggests nothing from files that could not be read', async () => {
    const inspections = await inspectAll([
      fixture('empty.onnx', new Uint8Array(0)),
      fixture('evil.pkl', callingPickle('os', 'system', 'echo owned')),
    ]);
    expect(suggestFields(inspections)).toEqual({ tags: { format: 'pickle' }, params: {} });
    expect(inspections[1].safety?.verdict).toBe('dangerous');
  });
});

describe('filling the form rows', () => {
  it('fills blank rows first, then adds rows, and never overwrites a typed value', () => {
    const { rows, filled } = fillBlankRows(
      [
        { key: 'framework', value: 'jax' },
        { key: '', value: '' },
      ],
      { framework: 'keras', format: 'keras-v3', architecture: 'Sequential' },
      new Set(),
    );
    expect(rows).toEqual([
      { key: 'framework', value: 'jax' },
      { key: 'format', value: 'keras-v3' },
      { key: 'architecture', value: 'Sequential' },
    ]);
    expect(filled).toEqual(['format', 'architecture']);
  });

  it('fills a named row whose value is blank', () => {
    const { rows } = fillBlankRows([{ key: 'format', value: ' ' }], { format: 'onnx' }, new Set());
    expect(rows).toEqual([{ key: 'format', value: 'onnx' }]);
  });

  it('does not bring back a key it offered before', () => {
    const { rows, filled } = fillBlankRows([], { format: 'onnx' }, new Set(['format']));
    expect(rows).toEqual([]);
    expect(filled).toEqual([]);
  });
});

/** A dropped file as the browser's entry API presents it. */
function fileEntry(name: string) {
  const file = new File([name], name);
  return { name, isFile: true, isDirectory: false, file: (done: (f: File) => void) => done(file) };
}

/** A dropped folder whose reader answers in the given batches, then with an empty batch. */
function folderEntry(name: string, batches: unknown[][]) {
  return {
    name,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      const pending = [...batches];
      return { readEntries: (done: (batch: unknown[]) => void) => done(pending.shift() ?? []) };
    },
  };
}

function dropOf(entries: unknown[]): DataTransfer {
  const items = entries.map((entry) => ({
    kind: 'file',
    webkitGetAsEntry: () => entry,
    getAsFile: () => null,
  }));
  return { items, files: [] } as unknown as DataTransfer;
}

describe('paths of a dropped folder', () => {
  const file = {} as File;

  it('walks every batch of a folder and its subfolders, leaving hidden entries out', async () => {
    const folder = folderEntry('gpt-tiny', [
      [fileEntry('config.json'), folderEntry('onnx', [[fileEntry('model.onnx')]])],
      [fileEntry('.DS_Store'), folderEntry('.git', [[fileEntry('HEAD')]]), fileEntry('README.md')],
    ]);

    const dropped = await filesFromDrop(dropOf([folder]));

    expect(dropped.files.map((f) => f.path)).toEqual([
      'config.json',
      'onnx/model.onnx',
      'README.md',
    ]);
    expect(dropped.files[1].file.name).toBe('model.onnx');
    expect(dropped.skippedHidden).toBe(2);
  });

  it('keeps folder names when a folder and a loose file are dropped together', async () => {
    const dropped = await filesFromDrop(
      dropOf([folderEntry('tfjs', [[fileEntry('model.json')]]), fileEntry('MLmodel')]),
    );
    expect(dropped.files.map((f) => f.path)).toEqual(['tfjs/model.json', 'MLmodel']);
  });

  it('drops the one folder every file is in', () => {
    const trimmed = withoutCommonFolder({
      files: [
        { file, path: 'bert-v2/config.json' },
        { file, path: 'bert-v2/onnx/model.onnx' },
      ],
      skippedHidden: 0,
    });
    expect(trimmed.files.map((f) => f.path)).toEqual(['config.json', 'onnx/model.onnx']);
  });

  it('keeps paths when files come from different places', () => {
    const paths = ['a/model.onnx', 'b/model.onnx'];
    const kept = withoutCommonFolder({
      files: paths.map((path) => ({ file, path })),
      skippedHidden: 0,
    });
    expect(kept.files.map((f) => f.path)).toEqual(paths);

    const loose = withoutCommonFolder({
      files: [
        { file, path: 'a/model.onnx' },
        { file, path: 'README.md' },
      ],
      skippedHidden: 0,
    });
    expect(loose.files.map((f) => f.path)).toEqual(['a/model.onnx', 'README.md']);
  });
});

describe('the change lines of the compare page', () => {
  const tensors = [
    { name: 'embed.weight', dtype: 'F32', shape: [100, 8] },
    { name: 'head.weight', dtype: 'F32', shape: [8, 2] },
  ];
  const before = summary({
    parameterCount: 816,
    tensorCount: 2,
    paramsByDtype: { F32: 816 },
    tensors,
  });

  it('lists re-typed tensors and dtype counts of a quantised copy, and suggests why', () => {
    const after = summary({
      parameterCount: 816,
      tensorCount: 2,
      paramsByDtype: { F16: 816 },
      tensors: tensors.map((t) => ({ ...t, dtype: 'F16' })),
    });
    const diff = diffVersions(
      [{ name: 'model.safetensors', size: 3264, sha256: 'a'.repeat(64), summary: before }],
      [{ name: 'model.safetensors', size: 1632, sha256: 'b'.repeat(64), summary: after }],
    );

    const lines = fileChangeLines(diff.files[0]);
    expect(lines.map((l) => l.label)).toEqual([
      'Size',
      'Parameters by dtype',
      'Tensors re-typed (2)',
    ]);
    expect(lines[0].items).toEqual(['3.26 KB → 1.63 KB (−1.63 KB)']);
    expect(lines[1].items).toEqual(['F16: 0 → 816', 'F32: 816 → 0']);
    expect(lines[2].items).toEqual(['embed.weight F32 → F16', 'head.weight F32 → F16']);

    expect(diff.suggestion?.relation).toBe('quantized-from');
    expect(suggestionSentence(diff.suggestion!, { before: 'm v1', after: 'm v2' })).toEqual({
      child: 'm v2',
      relation: 'quantized from',
      parent: 'm v1',
    });
  });

  it('gives a file only one version has no change lines: it was added or removed', () => {
    const diff = diffVersions([], [{ name: 'model.safetensors', size: 10, summary: before }]);
    expect(diff.files[0].pairing).toBe('added');
    expect(fileChangeLines(diff.files[0])).toEqual([]);
  });

  it('lists added and reshaped tensors with their shapes, and cuts long lists short', () => {
    const extra = Array.from({ length: 14 }, (_, i) => ({
      name: `layer.${String(i).padStart(2, '0')}.weight`,
      dtype: 'F32',
      shape: [8, 8],
    }));
    const after = summary({
      parameterCount: 1712 + 14 * 64,
      tensors: [{ ...tensors[0], shape: [200, 8] }, tensors[1], ...extra],
    });
    const diff = diffVersions(
      [{ name: 'model.safetensors', size: 1, summary: before }],
      [{ name: 'model.safetensors', size: 2, summary: after }],
    );
    const lines = Object.fromEntries(fileChangeLines(diff.files[0]).map((l) => [l.label, l]));

    expect(lines.Parameters.items).toEqual(['816 → 2.61K (+1.79K)']);
    expect(lines['Tensors reshaped (1)'].items).toEqual(['embed.weight [100, 8] → [200, 8]']);
    const added = lines['Tensors added (14)'];
    expect(added.items).toHaveLength(12);
    expect(added.items[0]).toBe('layer.00.weight F32 [8, 8]');
    expect(added.more).toBe(2);
  });
});
