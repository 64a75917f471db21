/**
 * safetensors: an 8-byte little-endian header length, a JSON header naming every tensor's
 * dtype, shape and byte range, then the raw tensor bytes. Only the header is read.
 */
import type { ReaderContext, ReaderOutcome } from './context';
import { ImplausibleHeaderError, MalformedFileError } from './errors';
import { addCounts, checkedProduct, describeCount, formatBytes } from './numbers';
import { decodeText } from './source';
import type { SafetensorsMetadata, TensorEntry } from './types';

const FORMAT = 'safetensors';

/** Bits per element of each dtype safetensors defines. */
const DTYPE_BITS: Record<string, number> = {
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
};

const JSON_AFTER_BRACE = new Set([0x22, 0x7d, 0x20, 0x0a, 0x0d, 0x09]);

interface Span {
  name: string;
  begin: number;
  end: number;
}

/** True when the first bytes look like a safetensors header (length, then `{`). */
export function looksLikeSafetensors(head: Uint8Array, size: number): boolean {
  if (head.length < 10 || size < 10) return false;
  const length = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
  // The length may lie (the reader says so); the JSON opening after it is what identifies.
  return head[8] === 0x7b && JSON_AFTER_BRACE.has(head[9]) && length >= 2n;
}

/** Read a safetensors header. */
export async function readSafetensors(ctx: ReaderContext): Promise<ReaderOutcome> {
  const { source, budget } = ctx;
  source.format = FORMAT;
  const prefix = await source.read(0, 8, 'the header length');
  const headerSize = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  const limit = budget.limits.maxHeaderBytes;
  if (headerSize > BigInt(source.size - 8)) {
    throw new ImplausibleHeaderError(
      FORMAT,
      `declares a ${describeCount(headerSize)}-byte header in a ${formatBytes(source.size)} file`,
    );
  }
  if (headerSize > BigInt(limit)) {
    throw new ImplausibleHeaderError(
      FORMAT,
      `is ${formatBytes(headerSize)}, over the ${formatBytes(limit)} a header may take`,
    );
  }

  const size = Number(headerSize);
  const text = decodeText(await source.read(8, size, 'the JSON header'));
  const header = parseHeader(text);
  const dataBytes = source.size - 8 - size;
  const metadata = readMetadataField(header.__metadata__);
  const spans: Span[] = [];
  const paramsByDtype: Record<string, number> = {};
  const tensors: TensorEntry[] = [];
  let parameterCount = 0;
  let tensorCount = 0;
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    budget.checkpoint();
    const tensor = readTensor(name, value, dataBytes, spans, ctx);
    tensorCount += 1;
    parameterCount = addCounts(parameterCount, tensor.elements);
    paramsByDtype[tensor.dtype] = addCounts(paramsByDtype[tensor.dtype] ?? 0, tensor.elements);
    if (tensors.length < budget.limits.maxListed) {
      tensors.push({ name, dtype: tensor.dtype, shape: tensor.shape });
    }
  }
  checkOverlaps(spans, dataBytes, ctx);

  const result: SafetensorsMetadata = {
    format: FORMAT,
    headerSize: size,
    metadata,
    tensorCount,
    parameterCount,
    paramsByDtype,
    dataBytes,
    tensors,
    tensorsTruncated: tensors.length < tensorCount,
  };
  return { metadata: result };
}

function parseHeader(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/ +$/, ''));
  } catch (cause) {
    throw new MalformedFileError(FORMAT, 'its header is not valid JSON', { cause });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new MalformedFileError(FORMAT, 'its header is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function readMetadataField(value: unknown): Record<string, string> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedFileError(FORMAT, '__metadata__ is not an object of strings');
  }
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    out[key] = typeof entry === 'string' ? entry : JSON.stringify(entry);
  }
  return out;
}

function readTensor(
  name: string,
  value: unknown,
  dataBytes: number,
  spans: Span[],
  ctx: ReaderContext,
): { dtype: string; shape: number[]; elements: bigint } {
  const entry = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (!entry || typeof entry !== 'object' || typeof entry.dtype !== 'string') {
    throw new MalformedFileError(FORMAT, `tensor "${name}" has no dtype`);
  }
  if (!Array.isArray(entry.shape) || !entry.shape.every(isCount)) {
    throw new MalformedFileError(
      FORMAT,
      `tensor "${name}" has a shape that is not a list of sizes`,
    );
  }
  const offsets = entry.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw new MalformedFileError(FORMAT, `tensor "${name}" has no valid data_offsets`);
  }

  const shape = entry.shape as number[];
  const elements = checkedProduct(shape.map(BigInt));
  if (elements === null) {
    throw new ImplausibleHeaderError(FORMAT, `gives tensor "${name}" a shape that overflows`);
  }
  const [begin, end] = offsets as number[];
  if (begin > end || end > dataBytes) {
    throw new ImplausibleHeaderError(
      FORMAT,
      `places tensor "${name}" at bytes ${begin}–${end}, outside the ${dataBytes}-byte data area`,
    );
  }
  const bits = DTYPE_BITS[entry.dtype];
  if (bits === undefined) {
    ctx.warn(`Tensor "${name}" has dtype ${entry.dtype}, which Stemma does not know.`);
  } else if (BigInt(end - begin) * 8n !== elements * BigInt(bits)) {
    throw new MalformedFileError(
      FORMAT,
      `tensor "${name}" (${entry.dtype} ${JSON.stringify(shape)}) should take ` +
        `${(elements * BigInt(bits) + 7n) / 8n} bytes but its offsets span ${end - begin}`,
    );
  }
  spans.push({ name, begin, end });
  return { dtype: entry.dtype, shape, elements };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function checkOverlaps(spans: Span[], dataBytes: number, ctx: ReaderContext): void {
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (i > 0 && span.begin < spans[i - 1].end && span.end > span.begin) {
      throw new ImplausibleHeaderError(
        FORMAT,
        `lets tensors "${spans[i - 1].name}" and "${span.name}" overlap in the data area`,
      );
    }
    covered = Math.max(covered, span.end);
  }
  if (covered < dataBytes) {
    ctx.warn(`${dataBytes - covered} bytes after the last tensor belong to no tensor.`);
  }
}
