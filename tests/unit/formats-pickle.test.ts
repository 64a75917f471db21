/**
 * The pickle disassembler and its verdicts: every import and call is listed, nothing is
 * executed, dangerous calls are named wherever they hide, and a pickle that cannot be read
 * to the end is never called safe.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import type { PickleMetadata, PytorchMetadata } from '$lib/registry/formats/types';
import {
  PROTO2,
  PROTO4,
  callingPickle,
  concat,
  glob,
  inspectBytes,
  pickle,
  stateDictPickle,
  text,
  u32,
  ustr,
} from './formats-builders';

describe('pickle safety verdicts', () => {
  test('os.system called through REDUCE is dangerous, with the call listed', async () => {
    const result = await inspectBytes(callingPickle('os', 'system', 'echo pwned'), 'model.pkl');
    expect(result.format).toBe('pickle');
    expect(result.safety).toMatchObject({ verdict: 'dangerous', complete: true, protocol: 2 });
    expect(result.safety?.imports).toEqual([
      { name: 'os.system', risk: 'dangerous', count: 1, firstOffset: 2 },
    ]);
    expect(result.safety?.calls).toEqual([
      { callable: 'os.system', opcode: 'REDUCE', count: 1, firstOffset: 26 },
    ]);
    expect(result.safety?.summary).toMatch(/would call os\.system.*Do not load it/);
  });

  test('builtins.exec imported by STACK_GLOBAL is dangerous', async () => {
    const bytes = pickle(
      PROTO4,
      ustr('builtins'),
      ustr('exec'),
      '\x93',
      ustr('import os'),
      '\x85R.',
    );
    const result = await inspectBytes(bytes);
    expect(result.safety?.verdict).toBe('dangerous');
    expect(result.safety?.calls[0]).toMatchObject({ callable: 'builtins.exec', opcode: 'REDUCE' });
  });

  test('subprocess.Popen built with NEWOBJ is dangerous', async () => {
    const bytes = pickle(PROTO2, glob('subprocess', 'Popen'), ']', ustr('id'), 'a\x85\x81.');
    const result = await inspectBytes(bytes);
    expect(result.safety?.verdict).toBe('dangerous');
    expect(result.safety?.calls[0]).toMatchObject({
      callable: 'subprocess.Popen',
      opcode: 'NEWOBJ',
    });
  });

  test('a protocol-0 pickle calling os.system is found too', async () => {
    const result = await inspectBytes(text("cos\nsystem\n(S'ls'\ntR."), 'weights.bin');
    expect(result.format).toBe('pickle');
    expect(result.safety?.verdict).toBe('dangerous');
  });

  test('a malicious pickle named .bin is read by its bytes, not its name', async () => {
    const result = await inspectBytes(callingPickle('posix', 'system', 'id'), 'pytorch_model.bin');
    expect(result.safety?.verdict).toBe('dangerous');
  });

  test('a zlib-compressed dump is decompressed, within limits, and judged', async () => {
    const bytes = new Uint8Array(deflateSync(callingPickle('os', 'system', 'id')));
    const result = await inspectBytes(bytes, 'model.joblib');
    expect((result.metadata as PickleMetadata).compression).toBe('zlib');
    expect(result.safety?.verdict).toBe('dangerous');
  });

  test('a pickle of plain containers and allowed globals is safe', async () => {
    const bytes = pickle(PROTO2, glob('collections', 'OrderedDict'), ')R', ustr('a'), 'K\x01s.');
    const result = await inspectBytes(bytes);
    expect(result.safety).toMatchObject({ verdict: 'safe', complete: true });
  });

  test('an unknown class makes a pickle suspicious, a library class too', async () => {
    const unknown = await inspectBytes(pickle(PROTO2, glob('mypkg.model', 'Net'), ')\x81.'));
    expect(unknown.safety?.verdict).toBe('suspicious');
    expect(unknown.safety?.imports[0].risk).toBe('unlisted');
    const library = await inspectBytes(pickle(PROTO2, glob('sklearn.svm', 'SVC'), ')\x81.'));
    expect(library.safety?.verdict).toBe('suspicious');
    expect((library.metadata as PickleMetadata).estimatorClasses).toEqual(['sklearn.svm.SVC']);
  });

  test('a truncated pickle is unknown, never safe', async () => {
    const bytes = pickle(PROTO2, glob('collections', 'OrderedDict'), ')R', ustr('a'));
    const result = await inspectBytes(bytes);
    expect(result.error?.name).toBe('TruncatedFileError');
    expect(result.safety).toMatchObject({ verdict: 'unknown', complete: false });
  });

  test('a dangerous import seen before the bytes run out still makes it dangerous', async () => {
    const bytes = callingPickle('os', 'system', 'id');
    const result = await inspectBytes(bytes.subarray(0, bytes.length - 3));
    expect(result.error).not.toBeNull();
    expect(result.safety?.verdict).toBe('dangerous');
  });

  test('a string length past the end of the file is refused by name', async () => {
    const bytes = pickle(PROTO2, 'X', u32(0xfffffff0), 'abc');
    const result = await inspectBytes(bytes);
    expect(result.error?.message).toMatch(/declares 4,294,967,280 bytes at offset 3/);
    expect(result.safety?.verdict).toBe('unknown');
  });

  test('deeply nested marks stop at the nesting limit', async () => {
    const bytes = pickle(PROTO2, '('.repeat(10_000), ')', '.');
    const result = await inspectBytes(bytes);
    expect(result.error?.name).toBe('LimitExceededError');
    expect(result.error?.message).toMatch(/nested more than 64 levels deep/);
    expect(result.safety?.verdict).toBe('unknown');
  });

  test('bytes after STOP are reported, and a second pickle there is judged too', async () => {
    const trailing = await inspectBytes(concat([pickle(PROTO2, 'N.'), text('hidden')]));
    expect(trailing.warnings.join(' ')).toMatch(/6 bytes follow the pickle's end/);
    const second = await inspectBytes(
      concat([pickle(PROTO2, 'N.'), callingPickle('os', 'system', 'x')]),
    );
    expect(second.safety?.verdict).toBe('dangerous');
  });

  test('an extension-registry code is suspicious', async () => {
    const result = await inspectBytes(pickle(PROTO2, '\x82\x07)R.'));
    expect(result.safety?.verdict).toBe('suspicious');
  });
});

describe('legacy PyTorch pickles', () => {
  const magic = pickle(
    PROTO2,
    '\x8a\x0a',
    [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19],
    '.',
  );
  const version = pickle(PROTO2, 'M\xe9\x03.');
  const sysInfo = pickle(
    PROTO2,
    '}(',
    ustr('protocol_version'),
    'M\xe9\x03',
    ustr('little_endian'),
    '\x88u.',
  );
  const keys = pickle(PROTO2, ']', ustr('0'), 'a.');

  test('lists the state dict with shapes and dtypes, and stops before the storages', async () => {
    const body = stateDictPickle([['fc.weight', [4, 3]]], true);
    const bytes = concat([magic, version, sysInfo, body, keys, new Uint8Array(8 + 48).fill(0x80)]);
    const result = await inspectBytes(bytes, 'model.pt');
    expect(result.error).toBeNull();
    expect(result.format).toBe('pytorch-legacy');
    const meta = result.metadata as PytorchMetadata;
    expect(meta.markers).toEqual({ legacyFormat: true, protocolVersion: 1001, littleEndian: true });
    expect(meta.tensors).toEqual([
      { name: 'fc.weight', dtype: 'float32', shape: [4, 3], storageDtype: 'float32' },
    ]);
    expect(meta.parameterCount).toBe(12);
    expect(result.safety?.verdict).toBe('safe');
  });
});
