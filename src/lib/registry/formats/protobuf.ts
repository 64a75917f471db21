/**
 * A protobuf wire-format reader over a sliding window: fields are visited in order, bulky
 * bytes (tensor bodies) are skipped without being read, every length is checked against its
 * enclosing message, and nesting is bounded.
 */
import { ImplausibleHeaderError, MalformedFileError, TruncatedFileError } from './errors';
import type { ReadBudget } from './limits';
import { describeCount, formatBytes } from './numbers';
import { WindowReader, decodeText } from './source';

export const VARINT = 0;
export const FIXED64 = 1;
export const LENGTH_DELIMITED = 2;
export const FIXED32 = 5;

const KEEP_CHARS = 4096;

/** Called for each field of a message; it must consume the field's value. */
export type FieldVisitor = (field: number, wire: number, end: number) => Promise<void>;

export class ProtoReader {
  constructor(
    readonly reader: WindowReader,
    private readonly budget: ReadBudget,
    private readonly format: string,
  ) {}

  get pos(): number {
    return this.reader.pos;
  }

  /** Visit the fields between the current position and `end`. */
  async fields(end: number, depth: number, visit: FieldVisitor): Promise<void> {
    this.budget.checkDepth(depth, `An ${this.format} message`);
    while (this.reader.pos < end) {
      this.budget.checkpoint();
      const tag = await this.varint(end);
      const field = Number(tag >> 3n);
      const wire = Number(tag & 7n);
      if (field === 0 || wire === 3 || wire === 4 || wire > 5) {
        throw new MalformedFileError(
          this.format,
          `a field tag at offset ${this.reader.pos} is invalid (field ${field}, wire type ${wire})`,
        );
      }
      const before = this.reader.pos;
      await visit(field, wire, end);
      if (this.reader.pos === before) await this.skip(wire, end);
      if (this.reader.pos > end) {
        throw new MalformedFileError(this.format, `a field overruns its message at ${before}`);
      }
    }
  }

  /** Enter a length-delimited submessage and visit its fields. */
  async message(end: number, depth: number, visit: FieldVisitor): Promise<void> {
    const length = await this.length(end);
    await this.fields(this.reader.pos + length, depth + 1, visit);
  }

  async varint(end: number): Promise<bigint> {
    await this.reader.need(Math.min(10, end - this.reader.pos), 'a varint');
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.reader.pos >= end) {
        throw new MalformedFileError(this.format, `a varint runs past its message`);
      }
      const byte = this.reader.u8();
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value & 0xffffffffffffffffn;
    }
    throw new MalformedFileError(
      this.format,
      `a varint at ${this.reader.pos} is longer than 10 bytes`,
    );
  }

  /** A varint read as a signed 64-bit integer, as int64 fields are. */
  async int64(end: number): Promise<bigint> {
    return BigInt.asIntN(64, await this.varint(end));
  }

  async int(end: number): Promise<number> {
    return Number(BigInt.asIntN(53, await this.int64(end)));
  }

  /** The length prefix of a length-delimited field, checked against the enclosing message. */
  async length(end: number): Promise<number> {
    const at = this.reader.pos;
    const length = await this.varint(end);
    if (length > BigInt(end - this.reader.pos)) {
      if (end === this.reader.end && length < 1n << 32n) {
        throw new TruncatedFileError(
          this.format,
          `a field at offset ${at}`,
          this.reader.pos + Number(length),
          end,
        );
      }
      throw new ImplausibleHeaderError(
        this.format,
        `declares a field of ${describeCount(length)} bytes at offset ${at}, but its message ` +
          `has ${formatBytes(end - this.reader.pos)} left`,
      );
    }
    return Number(length);
  }

  /** A string field, keeping at most a few thousand characters of it. */
  async string(end: number): Promise<string> {
    const length = await this.length(end);
    const kept = Math.min(length, KEEP_CHARS);
    await this.reader.need(kept, 'a string field');
    const text = decodeText(this.reader.bytes(kept));
    this.reader.skip(length - kept, 'a string field');
    return kept < length ? `${text}…` : text;
  }

  /** Repeated int64 values, packed or not. */
  async int64s(wire: number, end: number, into: bigint[]): Promise<void> {
    if (wire === VARINT) {
      into.push(await this.int64(end));
      return;
    }
    const length = await this.length(end);
    const stop = this.reader.pos + length;
    while (this.reader.pos < stop) into.push(await this.int64(stop));
  }

  async skip(wire: number, end: number): Promise<void> {
    if (wire === VARINT) await this.varint(end);
    else if (wire === FIXED64) this.reader.skip(8, 'a fixed64 field');
    else if (wire === FIXED32) this.reader.skip(4, 'a fixed32 field');
    else this.reader.skip(await this.length(end), 'a length-delimited field');
  }
}
