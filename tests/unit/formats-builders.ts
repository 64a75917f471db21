/**
 * Byte builders for the model-file tests: GGUF, safetensors, pickles, zips and protobuf,
 * written from the format specifications so tests can make well-formed files and break
 * exactly one thing in each.
 */
import { deflateRawSync } from 'node:zlib';
import { inspectFile } from '$lib/registry/formats/inspect';
import type { InspectOptions } from '$lib/registry/formats/types';

const encoder = new TextEncoder();

export function concat(parts: (Uint8Array | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

export function u16(v: number): Uint8Array {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setUint16(0, v, true);
  return b;
}

export function u32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
}

export function u64(v: bigint | number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
  return b;
}

export function text(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Inspect bytes as a dropped file. */
export function inspectBytes(bytes: Uint8Array, name = 'model.bin', options?: InspectOptions) {
  return inspectFile({ blob: new Blob([bytes as BlobPart]), name }, options);
}

// GGUF ---------------------------------------------------------------------------------

export type GgufKv = [key: string, type: number, value: Uint8Array];

export function ggufString(s: string): Uint8Array {
  const bytes = text(s);
  return concat([u64(bytes.length), bytes]);
}

export interface GgufSpec {
  version?: number;
  tensorCount?: bigint;
  kvCount?: bigint;
  kvs?: GgufKv[];
  tensors?: { name: string; dims: bigint[]; type: number; offset: bigint; nDims?: number }[];
  alignment?: number;
  dataBytes?: number;
}

export function gguf(spec: GgufSpec = {}): Uint8Array {
  const kvs = spec.kvs ?? [['general.architecture', 8, ggufString('llama')]];
  const tensors = spec.tensors ?? [];
  const kvBytes = kvs.map(([key, type, value]) => concat([ggufString(key), u32(type), value]));
  const tensorBytes = tensors.map((t) =>
    concat([
      ggufString(t.name),
      u32(t.nDims ?? t.dims.length),
      ...t.dims.map((d) => u64(d)),
      u32(t.type),
      u64(t.offset),
    ]),
  );
  const header = concat([
    text('GGUF'),
    u32(spec.version ?? 3),
    u64(spec.tensorCount ?? BigInt(tensors.length)),
    u64(spec.kvCount ?? BigInt(kvs.length)),
    ...kvBytes,
    ...tensorBytes,
  ]);
  const alignment = spec.alignment ?? 32;
  const padded = Math.ceil(header.length / alignment) * alignment;
  return concat([
    header,
    new Uint8Array(padded - header.length),
    new Uint8Array(spec.dataBytes ?? 0),
  ]);
}

// safetensors ----------------------------------------------------------------------------

export function safetensors(header: unknown, dataBytes: number, declared?: bigint): Uint8Array {
  const json = text(JSON.stringify(header));
  return concat([u64(declared ?? BigInt(json.length)), json, new Uint8Array(dataBytes)]);
}

// pickle -----------------------------------------------------------------------------------

/** Assemble pickle bytes from opcode characters, strings and raw bytes. */
export function pickle(...parts: (string | Uint8Array | number[])[]): Uint8Array {
  return concat(parts.map((p) => (typeof p === 'string' ? latin1(p) : p)));
}

function latin1(s: string): Uint8Array {
  return Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
}

/** SHORT_BINUNICODE s */
export function ustr(s: string): Uint8Array {
  const bytes = text(s);
  return concat([[0x8c, bytes.length], bytes]);
}

/** GLOBAL module name */
export function glob(module: string, name: string): string {
  return `c${module}\n${name}\n`;
}

export const PROTO2 = '\x80\x02';
export const PROTO4 = '\x80\x04';

/** A protocol-2 pickle that calls module.name(arg) when loaded. */
export function callingPickle(module: string, name: string, arg: string): Uint8Array {
  return pickle(PROTO2, glob(module, name), ustr(arg), '\x85R.');
}

/** data.pkl of a state dict with float tensors: name -> shape, storages keyed '0', '1'... */
export function stateDictPickle(tensors: [string, number[]][], legacy = false): Uint8Array {
  const parts: (string | Uint8Array)[] = [PROTO2, glob('collections', 'OrderedDict'), ')R('];
  tensors.forEach(([name, shape], i) => {
    const numel = shape.reduce((a, b) => a * b, 1);
    const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
    parts.push(
      ustr(name),
      glob('torch._utils', '_rebuild_tensor_v2'),
      '(',
      '(',
      ustr('storage'),
      glob('torch', 'FloatStorage'),
      ustr(String(i)),
      ustr('cpu'),
      pickle('J', u32(numel)),
      legacy ? 'N' : '',
      'tQ',
      'K\x00',
      '(',
      ...shape.map((d) => pickle('J', u32(d))),
      't(',
      ...strides.map((d) => pickle('J', u32(d))),
      't\x89',
      glob('collections', 'OrderedDict'),
      ')Rt',
      'R',
    );
  });
  parts.push('u.');
  return pickle(...parts);
}

// zip ----------------------------------------------------------------------------------------

export interface ZipSpecEntry {
  name: string;
  data: Uint8Array;
  deflate?: boolean;
  /** Override what the directory claims. */
  declaredSize?: number;
  crc?: number;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function zip(entries: ZipSpecEntry[], declaredCount?: number): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = text(entry.name);
    const body = entry.deflate ? new Uint8Array(deflateRawSync(entry.data)) : entry.data;
    const crc = entry.crc ?? crc32(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const method = entry.deflate ? 8 : 0;
    const common = concat([u16(20), u16(0), u16(method), u16(0), u16(0)]);
    const sizes = concat([u32(crc), u32(body.length), u32(size), u16(name.length), u16(0)]);
    const local = concat([u32(0x04034b50), common, sizes, name, body]);
    const central = concat([
      u32(0x02014b50),
      u16(20),
      common,
      sizes,
      u16(0),
      u16(0),
      u16(0),
      u32(0),
      u32(offset),
      name,
    ]);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const directory = concat(centrals);
  const count = declaredCount ?? entries.length;
  const eocd = concat([
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(Math.min(count, 0xffff)),
    u16(Math.min(count, 0xffff)),
    u32(directory.length),
    u32(offset),
    u16(0),
  ]);
  if (count <= 0xffff) return concat([...locals, directory, eocd]);
  const recordAt = offset + directory.length;
  const zip64 = concat([
    u32(0x06064b50),
    u64(44),
    u16(45),
    u16(45),
    u32(0),
    u32(0),
    u64(count),
    u64(count),
    u64(directory.length),
    u64(offset),
  ]);
  const locator = concat([u32(0x07064b50), u32(0), u64(recordAt), u32(1)]);
  return concat([...locals, directory, zip64, locator, eocd]);
}

// protobuf -------------------------------------------------------------------------------------

export function varint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return Uint8Array.from(out);
}

export function pbInt(field: number, value: number | bigint): Uint8Array {
  return concat([varint(field << 3), varint(value)]);
}

export function pbBytes(field: number, value: Uint8Array | string): Uint8Array {
  const bytes = typeof value === 'string' ? text(value) : value;
  return concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
}

export function pbMessage(field: number, ...parts: Uint8Array[]): Uint8Array {
  return pbBytes(field, concat(parts));
}
