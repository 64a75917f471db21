/**
 * A zip reader that opens only the central directory and the entries a model reader asks
 * for. It refuses archives that declare too many entries, names that escape the archive, and
 * entries whose expansion ratio or actual output betrays a zip bomb. Entries stored without
 * compression are handed out as byte ranges, so a weights file inside is never copied.
 */
import {
  ArchiveIntegrityError,
  ImplausibleHeaderError,
  LimitExceededError,
  MalformedFileError,
  ModelFileError,
  UnsafeArchivePathError,
  UnsupportedVariantError,
  ZipBombError,
} from './errors';
import { unsafePathReason } from './context';
import { describeCount, formatBytes } from './numbers';
import { ByteSource, decodeText } from './source';
import { crc32 } from './crc32';

const FORMAT = 'zip';
const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** Entries smaller than this may compress well (zeros, JSON) without raising suspicion. */
const RATIO_FLOOR = 1 << 20;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  localHeaderOffset: number;
  encrypted: boolean;
}

export interface ZipArchive {
  source: ByteSource;
  entries: ZipEntry[];
}

/** True when the bytes start like a zip archive. */
export function looksLikeZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5);
}

/**
 * Read the central directory, applying the entry, path and ratio checks. With
 * `onUnsafePath`, an entry whose name escapes is left out and reported there instead of
 * refusing the whole archive (imports that go on past one bad entry).
 */
export async function openZip(
  source: ByteSource,
  options: { onUnsafePath?: (name: string, reason: string) => void } = {},
): Promise<ZipArchive> {
  const limits = source.budget.limits;
  const tailLength = Math.min(source.size, 22 + 65535);
  const tail = await source.read(source.size - tailLength, tailLength, 'the end of the archive');
  const view = new DataView(tail.buffer, tail.byteOffset, tail.length);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new MalformedFileError(FORMAT, 'it has no central directory');

  let count = BigInt(view.getUint16(eocd + 10, true));
  let directorySize = BigInt(view.getUint32(eocd + 12, true));
  let directoryOffset = BigInt(view.getUint32(eocd + 16, true));
  const locatorAt = eocd - 20;
  if (locatorAt >= 0 && view.getUint32(locatorAt, true) === ZIP64_LOCATOR) {
    const recordOffset = Number(view.getBigUint64(locatorAt + 8, true));
    const record = await source.read(recordOffset, 56, 'the zip64 directory record');
    const rv = new DataView(record.buffer, record.byteOffset, record.length);
    if (rv.getUint32(0, true) !== ZIP64_EOCD) {
      throw new MalformedFileError(FORMAT, 'its zip64 directory record is missing');
    }
    count = rv.getBigUint64(32, true);
    directorySize = rv.getBigUint64(40, true);
    directoryOffset = rv.getBigUint64(48, true);
  }

  if (count > BigInt(limits.maxZipEntries)) {
    throw new ZipBombError(
      `it declares ${describeCount(count)} entries (the limit is ${limits.maxZipEntries})`,
    );
  }
  if (directoryOffset + directorySize > BigInt(source.size) || count * 46n > directorySize) {
    throw new ImplausibleHeaderError(
      'Zip',
      `declares a central directory of ${describeCount(count)} entries at offset ` +
        `${describeCount(directoryOffset)} in a ${formatBytes(source.size)} file`,
    );
  }
  const directory = await source.read(
    Number(directoryOffset),
    Number(directorySize),
    'the central directory',
  );
  let entries = parseDirectory(directory, Number(count), source.size);
  const report = options.onUnsafePath;
  if (report) {
    entries = entries.filter((entry) => {
      const reason = unsafePathReason(entry.name);
      if (reason !== null) report(entry.name, reason);
      return reason === null;
    });
  }
  for (const entry of entries) checkEntry(entry, limits.maxCompressionRatio);
  return { source, entries };
}

function parseDirectory(directory: Uint8Array, count: number, fileSize: number): ZipEntry[] {
  const view = new DataView(directory.buffer, directory.byteOffset, directory.length);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw new MalformedFileError(FORMAT, `central directory entry ${i + 1} is damaged`);
    }
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > directory.length) {
      throw new MalformedFileError(FORMAT, `central directory entry ${i + 1} runs past its end`);
    }
    const entry: ZipEntry = {
      name: decodeText(directory.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
      encrypted: (flags & 1) !== 0,
    };
    readZip64Extra(
      directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength),
      entry,
    );
    if (entry.localHeaderOffset + 30 > fileSize) {
      throw new ImplausibleHeaderError(
        'Zip',
        `places entry "${entry.name}" at offset ${entry.localHeaderOffset}, past the end ` +
          'of the file',
      );
    }
    entries.push(entry);
    at = end;
  }
  return entries;
}

function readZip64Extra(extra: Uint8Array, entry: ZipEntry): void {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.length);
  for (let at = 0; at + 4 <= extra.length;) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        const value = field + 8 <= at + 4 + length ? view.getBigUint64(field, true) : 0n;
        field += 8;
        if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
          throw new ImplausibleHeaderError('Zip', `gives entry "${entry.name}" a 64-bit size`);
        }
        return Number(value);
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
    }
    at += 4 + length;
  }
}

function checkEntry(entry: ZipEntry, maxRatio: number): void {
  if (unsafePathReason(entry.name) !== null) throw new UnsafeArchivePathError(entry.name);
  if (entry.method === 0 && entry.size !== entry.compressedSize) {
    throw new MalformedFileError(FORMAT, `stored entry "${entry.name}" has two different sizes`);
  }
  const ratio = entry.size / Math.max(entry.compressedSize, 1);
  if (entry.size >= RATIO_FLOOR && ratio > maxRatio) {
    throw new ZipBombError(
      `entry "${entry.name}" expands ${formatBytes(entry.compressedSize)} into ` +
        `${formatBytes(entry.size)}, a ratio of ${Math.round(ratio)} (the limit is ${maxRatio})`,
    );
  }
}

/** Where an entry's data starts, after its local header. */
async function dataOffset(archive: ZipArchive, entry: ZipEntry): Promise<number> {
  const header = await archive.source.read(
    entry.localHeaderOffset,
    30,
    `the header of "${entry.name}"`,
  );
  const view = new DataView(header.buffer, header.byteOffset, 30);
  if (view.getUint32(0, true) !== LOCAL_SIGNATURE) {
    throw new MalformedFileError(FORMAT, `the local header of "${entry.name}" is missing`);
  }
  const start = entry.localHeaderOffset + 30 + view.getUint16(26, true) + view.getUint16(28, true);
  if (start + entry.compressedSize > archive.source.size) {
    throw new ImplausibleHeaderError(
      'Zip',
      `says entry "${entry.name}" runs to ${formatBytes(start + entry.compressedSize)}, past ` +
        `the end of the ${formatBytes(archive.source.size)} file`,
    );
  }
  return start;
}

/**
 * An entry's bytes as a source. Stored entries are a window on the archive; deflated ones
 * are inflated into memory, up to the inflation limit, and checked against their CRC.
 */
export async function openEntry(
  archive: ZipArchive,
  entry: ZipEntry,
  verify = false,
): Promise<ByteSource> {
  if (entry.encrypted) throw new UnsupportedVariantError('zip', `encryption ("${entry.name}")`);
  const start = await dataOffset(archive, entry);
  if (entry.method === 0 && !verify) return archive.source.slice(start, entry.size);
  if (entry.method === 0) {
    const bytes = await archive.source.read(start, entry.size, `entry "${entry.name}"`);
    if (crc32(bytes) !== entry.crc) throw new ArchiveIntegrityError(entry.name);
    return inMemory(bytes, archive.source);
  }
  if (entry.method !== 8) {
    throw new UnsupportedVariantError('zip', `compression method ${entry.method}`);
  }
  const limit = archive.source.budget.limits.maxInflatedBytes;
  if (entry.size > limit) {
    throw new LimitExceededError(
      formatBytes(limit),
      `entry "${entry.name}" inflates to ${formatBytes(entry.size)}`,
    );
  }
  const compressed = archive.source.slice(start, entry.compressedSize);
  const bytes = await inflateRaw(compressed, entry.size, entry.name);
  if (crc32(bytes) !== entry.crc) throw new ArchiveIntegrityError(entry.name);
  return inMemory(bytes, archive.source);
}

function inMemory(bytes: Uint8Array, parent: ByteSource): ByteSource {
  const source = new ByteSource(new Blob([bytes as BlobPart]), parent.budget);
  source.format = parent.format;
  return source;
}

/** Read a whole entry into memory (small ones: configs, pickles), verifying its CRC. */
export async function readEntry(archive: ZipArchive, entry: ZipEntry): Promise<Uint8Array> {
  const source = await openEntry(archive, entry, true);
  return source.read(0, source.size, `entry "${entry.name}"`);
}

/** Inflate a raw deflate stream, stopping the moment it passes its declared size. */
export async function inflateRaw(source: ByteSource, declared: number, name: string) {
  return inflateStream(source, declared, name, 'deflate-raw');
}

/** Decompress a stream (raw deflate, zlib or gzip) into memory, refusing to pass `cap` bytes. */
export async function inflateStream(
  source: ByteSource,
  cap: number,
  name: string,
  format: CompressionFormat = 'deflate-raw',
): Promise<Uint8Array> {
  const compressed = await source.read(0, source.size, `the compressed bytes of "${name}"`);
  const stream = new Blob([compressed as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream(format));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > cap) {
        throw new ZipBombError(`"${name}" inflates past the ${formatBytes(cap)} it declares`);
      }
      source.budget.charge(value.length);
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    if (error instanceof ModelFileError) throw error;
    throw new MalformedFileError('compressed', `"${name}" does not decompress`, { cause: error });
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
