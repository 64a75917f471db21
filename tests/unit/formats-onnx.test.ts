/**
 * ONNX models built field by field: signatures with symbolic dimensions, parameter counts,
 * external-data paths judged but never followed, deep nesting and truncation.
 */
import { describe, expect, test } from 'vitest';
import type { OnnxMetadata } from '$lib/registry/formats/types';
import { concat, inspectBytes, pbBytes, pbInt, pbMessage } from './formats-builders';

const dim = (value: number | string) =>
  pbMessage(1, typeof value === 'number' ? pbInt(1, value) : pbBytes(2, value));
const valueInfo = (field: number, name: string, elemType: number, dims: (number | string)[]) =>
  pbMessage(
    field,
    pbBytes(1, name),
    pbMessage(2, pbMessage(1, pbInt(1, elemType), pbMessage(2, ...dims.map(dim)))),
  );
const externalEntry = (key: string, value: string) =>
  pbMessage(13, pbBytes(1, key), pbBytes(2, value));
const initializer = (name: string, dims: number[], location?: string) =>
  pbMessage(
    5,
    ...dims.map((d) => pbInt(1, d)),
    pbInt(2, 1),
    pbBytes(8, name),
    ...(location
      ? [externalEntry('location', location), externalEntry('offset', '0'), pbInt(14, 1)]
      : []),
  );

function model(graphParts: Uint8Array[], extra: Uint8Array[] = []) {
  return concat([
    pbInt(1, 8),
    pbBytes(2, 'stemma-test'),
    pbBytes(3, '1.0'),
    pbMessage(7, pbBytes(2, 'g'), ...graphParts),
    pbMessage(8, pbBytes(1, ''), pbInt(2, 17)),
    pbMessage(8, pbBytes(1, 'com.microsoft'), pbInt(2, 1)),
    pbMessage(14, pbBytes(1, 'author'), pbBytes(2, 'someone')),
    ...extra,
  ]);
}

const conv = pbMessage(1, pbBytes(1, 'x'), pbBytes(1, 'w'), pbBytes(2, 'y'), pbBytes(4, 'Conv'));

describe('ONNX reader', () => {
  test('reports signature, operators, parameters, opsets and metadata', async () => {
    const bytes = model([
      conv,
      initializer('w', [8, 3, 3, 3]),
      valueInfo(11, 'x', 1, ['batch', 3, 32, 32]),
      valueInfo(12, 'y', 1, ['batch', 8, 30, 30]),
    ]);
    const result = await inspectBytes(bytes, 'net.onnx');
    expect(result.error).toBeNull();
    expect(result.metadata).toMatchObject({
      irVersion: 8,
      producerName: 'stemma-test',
      producerVersion: '1.0',
      opsetImports: { 'ai.onnx': 17, 'com.microsoft': 1 },
      graphName: 'g',
      nodeCount: 1,
      opTypes: ['Conv'],
      initializerCount: 1,
      parameterCount: 216,
      metadataProps: { author: 'someone' },
      inputs: [{ name: 'x', dtype: 'FLOAT', shape: ['batch', 3, 32, 32] }],
      outputs: [{ name: 'y', dtype: 'FLOAT', shape: ['batch', 8, 30, 30] }],
    } satisfies Partial<OnnxMetadata>);
    expect(result.safety).toBeNull();
  });

  test.each([
    ['../secret.bin', /climbs out of the model folder/],
    ['sub/../../secret.bin', /climbs out of the model folder/],
    ['/etc/passwd', /absolute path/],
    ['%2e%2e/secret.bin', /climbs out of the model folder/],
    ['C:\\Windows\\win.ini', /names a drive/],
    ['file:///etc/passwd', /is a URL/],
  ])('external data at %s is listed, refused and never followed', async (location, reason) => {
    const result = await inspectBytes(model([conv, initializer('w', [4], location)]));
    const meta = result.metadata as OnnxMetadata;
    expect(meta.externalData).toEqual([
      {
        tensor: 'w',
        location,
        offset: 0,
        length: null,
        unsafeReason: expect.stringMatching(reason),
      },
    ]);
    expect(result.safety?.verdict).toBe('dangerous');
    expect(result.bytesRead).toBeLessThan(1000);
  });

  test('external data inside the model folder is fine', async () => {
    const result = await inspectBytes(model([conv, initializer('w', [4], 'weights/w.bin')]));
    expect(result.safety?.verdict).toBe('safe');
    expect((result.metadata as OnnxMetadata).externalData[0].unsafeReason).toBeNull();
  });

  test('deeply nested subgraphs stop at the nesting limit', async () => {
    let graph = concat([conv]);
    for (let i = 0; i < 40; i++) {
      const attribute = pbMessage(5, pbBytes(1, 'then_branch'), pbMessage(6, graph));
      graph = pbMessage(1, pbBytes(4, 'If'), attribute);
    }
    const result = await inspectBytes(model([graph]));
    expect(result.error?.name).toBe('LimitExceededError');
    expect(result.error?.message).toMatch(/nested more than 64 levels deep/);
  });

  test('a truncated model says it ends early', async () => {
    const bytes = model([conv, initializer('w', [8, 3, 3, 3])]);
    const result = await inspectBytes(bytes.subarray(0, 30));
    expect(result.error?.name).toBe('TruncatedFileError');
    expect(result.error?.message).toMatch(/^The ONNX file ends early/);
  });

  test('a length past its enclosing message is refused', async () => {
    const inner = Uint8Array.from([0x0a, 0xff, 0xff, 0x03]);
    const bytes = concat([pbInt(1, 8), pbMessage(7, inner), pbMessage(8, pbInt(2, 17))]);
    const result = await inspectBytes(bytes);
    expect(result.error?.name).toBe('ImplausibleHeaderError');
    expect(result.error?.message).toMatch(/declares a field of 65,535 bytes at offset 5/);
  });
});
