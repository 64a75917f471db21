/**
 * Reading the inline arguments of pickle opcodes: fixed-width integers, text lines, and
 * length-prefixed strings and bytes. Lengths are checked against what is left of the file;
 * bytes are skipped unread and strings kept to a few thousand characters.
 */
import { ImplausibleHeaderError, MalformedFileError } from './errors';
import { describeCount, formatBytes } from './numbers';
import type { ArgKind } from './pickle-opcodes';
import type { PyValue } from './pickle-values';
import { WindowReader, decodeText } from './source';

const KEEP_CHARS = 4096;
const MAX_LINE = 1 << 20;
const latin1 = new TextDecoder('latin1');

export type PickleArg = number | bigint | string | [string, string] | { bytes: number } | null;

/** Read the inline argument of an opcode of kind `kind`. */
export async function readPickleArg(
  r: WindowReader,
  kind: ArgKind,
  name: string,
): Promise<PickleArg> {
  const what = `the argument of ${name}`;
  switch (kind) {
    case 'none':
      return null;
    case 'u1':
      await r.need(1, what);
      return r.u8();
    case 'u2':
      await r.need(2, what);
      return r.u16();
    case 'i4':
      await r.need(4, what);
      return r.i32();
    case 'u4':
      await r.need(4, what);
      return r.u32();
    case 'u8':
      await r.need(8, what);
      return r.u64();
    case 'f8be':
      await r.need(8, what);
      return r.f64be();
    case 'line':
      return latin1.decode(await r.line(MAX_LINE, what));
    case 'twolines': {
      const module = decodeText(await r.line(KEEP_CHARS, what));
      return [module, decodeText(await r.line(KEEP_CHARS, what))];
    }
    case 'long1':
    case 'long4':
      return readLong(r, kind, what);
    default:
      return readSized(r, kind, what);
  }
}

async function readLong(r: WindowReader, kind: 'long1' | 'long4', what: string) {
  await r.need(kind === 'long1' ? 1 : 4, what);
  const length = kind === 'long1' ? r.u8() : r.i32();
  if (length < 0 || length > r.remaining) {
    throw new ImplausibleHeaderError('Pickle', `declares a ${length}-byte integer at ${r.pos}`);
  }
  if (length > 64) {
    r.skip(length, what);
    return 0n;
  }
  await r.need(length, what);
  const bytes = r.bytes(length);
  let value = 0n;
  for (let i = length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  if (length > 0 && bytes[length - 1] & 0x80) value -= 1n << BigInt(length * 8);
  return value;
}

async function readSized(
  r: WindowReader,
  kind: ArgKind,
  what: string,
): Promise<string | { bytes: number }> {
  const width = kind.endsWith('1') ? 1 : kind.endsWith('4') ? 4 : 8;
  await r.need(width, what);
  const declared = width === 1 ? BigInt(r.u8()) : width === 4 ? BigInt(r.u32()) : r.u64();
  if (kind === 'str4' && declared > 0x7fffffffn) {
    throw new ImplausibleHeaderError('Pickle', `declares a negative string length at ${r.pos}`);
  }
  if (declared > BigInt(r.remaining)) {
    throw new ImplausibleHeaderError(
      'Pickle',
      `declares ${describeCount(declared)} bytes at offset ${r.pos - width}, ` +
        `but only ${formatBytes(r.remaining)} remain`,
    );
  }
  const length = Number(declared);
  if (kind.startsWith('bytes')) {
    r.skip(length, what);
    return { bytes: length };
  }
  const kept = Math.min(length, KEEP_CHARS);
  await r.need(kept, what);
  const raw = r.bytes(kept);
  const text = kind.startsWith('ustr') ? decodeText(raw) : latin1.decode(raw);
  r.skip(length - kept, what);
  return text;
}

export function parseIntLine(text: string, offset: number): PyValue {
  const trimmed = text.trim();
  if (trimmed === '01') return { k: 'bool', v: true };
  if (trimmed === '00') return { k: 'bool', v: false };
  if (!/^[+-]?\d+$/.test(trimmed)) {
    throw new MalformedFileError('pickle', `"${trimmed.slice(0, 40)}" at ${offset} is no integer`);
  }
  return { k: 'int', v: BigInt(trimmed) };
}

export function unescapeRawUnicode(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}
