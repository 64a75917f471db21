/**
 * Random access to a file's bytes through `Blob.slice`, so a multi-gigabyte model costs only
 * the bytes a reader asks for. Every read is range-checked and charged to the budget.
 */
import { ImplausibleHeaderError, TruncatedFileError } from './errors';
import type { ReadBudget } from './limits';
import { formatBytes } from './numbers';

export class ByteSource {
  readonly blob: Blob;
  readonly budget: ReadBudget;
  /** The format name used in messages; readers set it once they know. */
  format = 'model';

  constructor(blob: Blob, budget: ReadBudget) {
    this.blob = blob;
    this.budget = budget;
  }

  get size(): number {
    return this.blob.size;
  }

  /** Read `length` bytes at `offset`; `what` names the structure for the error message. */
  async read(offset: number, length: number, what: string): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0) {
      throw new ImplausibleHeaderError(this.format, `points ${what} at an impossible position`);
    }
    if (length < 0 || offset + length > this.size) {
      throw new TruncatedFileError(this.format, what, offset + Math.max(length, 0), this.size);
    }
    this.budget.charge(length);
    const buffer = await this.blob.slice(offset, offset + length).arrayBuffer();
    return new Uint8Array(buffer);
  }

  /** A view of a byte range as its own source (an archive entry stored without compression). */
  slice(offset: number, length: number): ByteSource {
    const sub = new ByteSource(this.blob.slice(offset, offset + length), this.budget);
    sub.format = this.format;
    return sub;
  }
}

/**
 * Sequential reads over a source through a sliding window, for formats read front to back
 * (GGUF metadata, protobuf, pickle). Skipped ranges (tensor bodies) are never read.
 */
export class WindowReader {
  readonly source: ByteSource;
  pos: number;
  readonly end: number;
  private window: Uint8Array = new Uint8Array(0);
  private view = new DataView(this.window.buffer);
  private windowStart = 0;
  private readonly windowSize: number;

  constructor(source: ByteSource, start = 0, end = source.size, windowSize = 1 << 20) {
    this.source = source;
    this.pos = start;
    this.end = end;
    this.windowSize = windowSize;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Make `length` bytes from `pos` readable synchronously; `what` explains a shortfall. */
  async need(length: number, what: string): Promise<void> {
    if (this.pos + length > this.end) {
      throw new TruncatedFileError(this.source.format, what, this.pos + length, this.end);
    }
    const offset = this.pos - this.windowStart;
    if (offset >= 0 && offset + length <= this.window.length) return;
    const size = Math.min(Math.max(length, this.windowSize), this.end - this.pos);
    this.window = await this.source.read(this.pos, size, what);
    this.view = new DataView(this.window.buffer, this.window.byteOffset, this.window.length);
    this.windowStart = this.pos;
  }

  /** The bytes up to the next newline (which is consumed), for pickle's text opcodes. */
  async line(maxLength: number, what: string): Promise<Uint8Array> {
    await this.need(Math.min(maxLength, this.remaining), what);
    const offset = this.pos - this.windowStart;
    const limit = Math.min(offset + maxLength, this.window.length);
    const newline = this.window.subarray(offset, limit).indexOf(0x0a);
    if (newline < 0 && this.remaining > maxLength) {
      throw new ImplausibleHeaderError(this.source.format, `holds ${what} over ${maxLength} bytes`);
    }
    if (newline < 0) {
      throw new TruncatedFileError(this.source.format, what, this.pos + maxLength, this.end);
    }
    const text = this.window.subarray(offset, offset + newline);
    this.pos += newline + 1;
    return text;
  }

  /** Move past `length` bytes without reading them. */
  skip(length: number, what: string): void {
    if (length < 0 || this.pos + length > this.end) {
      throw new TruncatedFileError(this.source.format, what, this.pos + length, this.end);
    }
    this.pos += length;
  }

  private at(width: number): number {
    const offset = this.pos - this.windowStart;
    this.pos += width;
    return offset;
  }

  u8(): number {
    return this.view.getUint8(this.at(1));
  }

  u16(): number {
    return this.view.getUint16(this.at(2), true);
  }

  i16(): number {
    return this.view.getInt16(this.at(2), true);
  }

  u32(): number {
    return this.view.getUint32(this.at(4), true);
  }

  i32(): number {
    return this.view.getInt32(this.at(4), true);
  }

  u64(): bigint {
    return this.view.getBigUint64(this.at(8), true);
  }

  i64(): bigint {
    return this.view.getBigInt64(this.at(8), true);
  }

  f32(): number {
    return this.view.getFloat32(this.at(4), true);
  }

  f64(): number {
    return this.view.getFloat64(this.at(8), true);
  }

  f64be(): number {
    return this.view.getFloat64(this.at(8), false);
  }

  i8(): number {
    return this.view.getInt8(this.at(1));
  }

  /** The next `length` bytes (already made readable by `need`). */
  bytes(length: number): Uint8Array {
    const offset = this.at(length);
    return this.window.subarray(offset, offset + length);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Decode UTF-8, replacing invalid sequences rather than failing on a name. */
export function decodeText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** Read a whole small source as text, refusing anything past `maxBytes`. */
export async function readText(source: ByteSource, maxBytes: number, what: string) {
  if (source.size > maxBytes) {
    throw new ImplausibleHeaderError(
      source.format,
      `is ${formatBytes(source.size)}, more than the ${formatBytes(maxBytes)} allowed for ${what}`,
    );
  }
  return decodeText(await source.read(0, source.size, what));
}
