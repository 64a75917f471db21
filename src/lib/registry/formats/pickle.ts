/**
 * Standalone pickles: plain pickles, scikit-learn and joblib dumps (gzip or zlib compressed
 * too), and PyTorch's legacy format, a run of pickles followed by raw storages. Every stream
 * is disassembled, never loaded; the safety report is set even when reading stops early.
 */
import type { ReaderContext, ReaderOutcome } from './context';
import { MalformedFileError, ModelFileError, UnsupportedVariantError } from './errors';
import { PickleMachine } from './pickle-machine';
import { PickleRecord } from './pickle-record';
import { asInt, getKey, type PyValue } from './pickle-values';
import { ByteSource, WindowReader } from './source';
import { collectTensors } from './torch-tensors';
import type { PickleMetadata, PytorchMetadata } from './types';
import { inflateStream } from './zip';

const LEGACY_TORCH_MAGIC = 0x1950a86a20f9469cfc6cn;
const MAX_STREAMS = 16;

/** True when the bytes start like a pickle of protocol 2 or later, or a protocol-0/1 one. */
export function looksLikePickle(head: Uint8Array): boolean {
  if (head[0] === 0x80) return head[1] >= 2 && head[1] <= 5;
  if (head[0] === 0x63) return /^c[\w.]+\n[\w.]+\n/.test(new TextDecoder('latin1').decode(head));
  return (
    head.length > 2 &&
    '(}])'.includes(String.fromCharCode(head[0])) &&
    'dlpqt'.includes(String.fromCharCode(head[1]))
  );
}

/** The compression a joblib dump was written with, judged from its first bytes. */
export function pickleCompression(head: Uint8Array): string | null {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x78 && [0x01, 0x5e, 0x9c, 0xda].includes(head[1])) return 'zlib';
  if (head[0] === 0xfd && String.fromCharCode(...head.subarray(1, 6)) === '7zXZ\0') return 'xz';
  if (head[0] === 0x5d && head[1] === 0 && head[2] === 0) return 'lzma';
  if (head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return 'bz2';
  if (head[0] === 0x04 && head[1] === 0x22 && head[2] === 0x4d && head[3] === 0x18) return 'lz4';
  return null;
}

/** Read a standalone pickle file. */
export async function readPickleFile(
  ctx: ReaderContext,
  compression: string | null = null,
): Promise<ReaderOutcome> {
  let source = ctx.source;
  source.format = 'pickle';
  if (compression) source = await decompress(ctx, compression);

  const record = new PickleRecord();
  const reader = new WindowReader(source);
  const streams: PyValue[] = [];
  let legacyTorch = false;
  try {
    while (streams.length < MAX_STREAMS) {
      streams.push(await new PickleMachine(reader, record, ctx.budget).runStream());
      legacyTorch ||= streams.length === 1 && asInt(streams[0]) === LEGACY_TORCH_MAGIC;
      if (legacyTorch && streams.length === 5) break;
      if (reader.remaining === 0) break;
      await reader.need(1, 'the next pickle');
      const next = reader.u8();
      reader.pos -= 1;
      if (!legacyTorch && next !== 0x80) {
        ctx.warn(
          `${reader.remaining} bytes follow the pickle's end. pickle.load ignores them, ` +
            'but they may carry another payload.',
        );
        break;
      }
    }
  } catch (error) {
    record.complete = false;
    ctx.setSafety(record.report());
    throw error;
  }
  if (legacyTorch && streams.length < 5) {
    record.complete = false;
    ctx.setSafety(record.report());
    throw new MalformedFileError('PyTorch', 'the legacy file stops before its tensors');
  }

  const safety = record.report();
  if (legacyTorch) return { metadata: legacyMetadata(streams, ctx), safety };
  return { metadata: pickleMetadata(record, compression), safety };
}

async function decompress(ctx: ReaderContext, compression: string): Promise<ByteSource> {
  if (compression !== 'gzip' && compression !== 'zlib') {
    throw new UnsupportedVariantError('pickle', `${compression} compression`);
  }
  const format = compression === 'gzip' ? 'gzip' : 'deflate';
  const cap = Math.min(
    ctx.budget.limits.maxInflatedBytes,
    ctx.source.size * ctx.budget.limits.maxCompressionRatio,
  );
  try {
    const bytes = await inflateStream(ctx.source, cap, ctx.fileName, format);
    const source = new ByteSource(new Blob([bytes as BlobPart]), ctx.budget);
    source.format = 'pickle';
    return source;
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new MalformedFileError('compressed pickle', 'it does not decompress', { cause: error });
  }
}

function pickleMetadata(record: PickleRecord, compression: string | null): PickleMetadata {
  const globals = [...record.imports.keys()].filter((name) => !name.startsWith('<'));
  const estimatorClasses = globals.filter((name) =>
    /^(sklearn|xgboost|lightgbm|catboost)\..*\.[A-Z]\w*$/.test(name),
  );
  const root = (prefix: string) => globals.some((name) => name.startsWith(prefix));
  const framework = root('sklearn.')
    ? 'scikit-learn'
    : root('xgboost.')
      ? 'xgboost'
      : root('lightgbm.')
        ? 'lightgbm'
        : root('torch.')
          ? 'pytorch'
          : root('numpy.')
            ? 'numpy'
            : null;
  const versions = [...record.sklearnVersions];
  return {
    format: 'pickle',
    container: root('joblib.') ? 'joblib' : 'pickle',
    compression,
    protocol: record.protocol,
    framework,
    estimatorClasses,
    sklearnVersion: versions[0] ?? null,
    globals,
    embeddedArrays: record.embeddedArrays,
  };
}

function legacyMetadata(streams: PyValue[], ctx: ReaderContext): PytorchMetadata {
  const markers: Record<string, string | number | boolean> = { legacyFormat: true };
  const protocolVersion = asInt(streams[1]);
  if (protocolVersion !== null) markers.protocolVersion = Number(protocolVersion);
  const littleEndian = getKey(streams[2], 'little_endian');
  if (littleEndian?.k === 'bool') markers.littleEndian = littleEndian.v;
  const found = collectTensors(streams[3], ctx.budget);
  return {
    format: 'pytorch-legacy',
    archiveName: null,
    markers,
    isTorchScript: false,
    tensorCount: found.tensorCount,
    parameterCount: found.parameterCount,
    paramsByDtype: found.paramsByDtype,
    tensors: found.tensors,
    tensorsTruncated: found.tensors.length < found.tensorCount,
    storageCount: found.storageKeys.size,
  };
}
