/**
 * GGUF (versions 2 and 3): magic, version, tensor and key-value counts, the key-value
 * section, then a tensor table; the tensor bodies that follow are never read. Every count,
 * length and offset is checked against the file's size before it is trusted.
 */
import type { ReaderContext, ReaderOutcome } from './context';
import {
  ImplausibleHeaderError,
  MalformedFileError,
  TruncatedFileError,
  UnsupportedVariantError,
} from './errors';
import {
  GGML_TYPES,
  GGUF_ARRAY,
  GGUF_FILE_TYPES,
  GGUF_STRING,
  GGUF_VALUE_TYPES,
} from './gguf-types';
import {
  addCounts,
  alignUp,
  checkedProduct,
  describeCount,
  formatBytes,
  isPowerOfTwo,
  jsonInteger,
} from './numbers';
import { WindowReader, decodeText } from './source';
import type { GgufMetadata, GgufTensor, GgufValue } from './types';

const FORMAT = 'GGUF';
const MAX_DIMS = 8;
const MAX_ALIGNMENT = 1n << 20n;
const MAX_STRING_KEPT = 16_384;
const ARRAY_SAMPLE = 3;

/** True when the file starts with the GGUF magic. */
export function looksLikeGguf(head: Uint8Array): boolean {
  return head[0] === 0x47 && head[1] === 0x47 && head[2] === 0x55 && head[3] === 0x46;
}

/** Read a GGUF header: every key-value (arrays summarised) and the tensor table. */
export async function readGguf(ctx: ReaderContext): Promise<ReaderOutcome> {
  const { source, budget } = ctx;
  source.format = FORMAT;
  const reader = new WindowReader(source);
  await reader.need(24, 'the fixed header');
  reader.skip(4, 'the magic');
  const version = reader.u32();
  if (version !== 2 && version !== 3) {
    throw new UnsupportedVariantError(FORMAT, `format version ${version} (only 2 and 3 are read)`);
  }
  const tensorCount = reader.u64();
  const kvCount = reader.u64();
  checkCounts(tensorCount, kvCount, source.size);

  const kv: Record<string, GgufValue> = {};
  for (let i = 0; i < Number(kvCount); i++) {
    budget.checkpoint();
    const key = await readString(reader, 'a metadata key');
    await reader.need(4, `the type of "${key}"`);
    const value = await readValue(reader, reader.u32(), key, 0, ctx);
    if (key in kv) ctx.warn(`The key "${key}" appears twice; the last value is shown.`);
    kv[key] = value;
  }

  const alignment = readAlignment(kv);
  const infos: { tensor: GgufTensor; type: number; dims: bigint[]; offset: bigint }[] = [];
  for (let i = 0; i < Number(tensorCount); i++) {
    budget.checkpoint();
    infos.push(await readTensorInfo(reader));
  }
  const dataStart = alignUp(BigInt(reader.pos), alignment);

  const paramsByType: Record<string, number> = {};
  const tensors: GgufTensor[] = [];
  let parameterCount = 0;
  for (const info of infos) {
    const elements = checkTensorBytes(info, alignment, dataStart, source.size, ctx);
    parameterCount = addCounts(parameterCount, elements);
    const typeName = info.tensor.type;
    paramsByType[typeName] = addCounts(paramsByType[typeName] ?? 0, elements);
    if (tensors.length < budget.limits.maxListed) tensors.push(info.tensor);
  }

  const metadata: GgufMetadata = {
    format: 'gguf',
    version,
    tensorCount: Number(tensorCount),
    kvCount: Number(kvCount),
    kv,
    ...architectureFields(kv),
    alignment: Number(alignment),
    parameterCount,
    paramsByType,
    tensors,
    tensorsTruncated: tensors.length < infos.length,
  };
  return { metadata };
}

function checkCounts(tensorCount: bigint, kvCount: bigint, size: number): void {
  // The smallest tensor record is 24 bytes and the smallest key-value 13: a count that could
  // not fit in the file is refused before any loop or allocation depends on it.
  const room = BigInt(Math.max(size - 24, 0));
  const plausible = tensorCount < 1n << 24n && kvCount < 1n << 24n;
  if (plausible && tensorCount * 24n + kvCount * 13n > room) {
    // Counts a real model could have: the file is more likely cut short than crafted.
    throw new TruncatedFileError(
      FORMAT,
      `the ${tensorCount} tensors and ${kvCount} keys its header declares`,
      24 + Number(tensorCount) * 24 + Number(kvCount) * 13,
      size,
    );
  }
  if (tensorCount * 24n > room) {
    throw new ImplausibleHeaderError(
      FORMAT,
      `declares ${describeCount(tensorCount)} tensors in a ${formatBytes(size)} file`,
    );
  }
  if (kvCount * 13n > room) {
    throw new ImplausibleHeaderError(
      FORMAT,
      `declares ${describeCount(kvCount)} metadata keys in a ${formatBytes(size)} file`,
    );
  }
  if (tensorCount * 24n + kvCount * 13n > room) {
    throw new ImplausibleHeaderError(
      FORMAT,
      `declares ${tensorCount} tensors and ${kvCount} keys, more than a ` +
        `${formatBytes(size)} file can hold`,
    );
  }
}

/** Sizes below this are ones real files have: running out of bytes then means truncation. */
const PLAUSIBLE = 1n << 24n;

function cutShort(reader: WindowReader, what: string, bytes: bigint): TruncatedFileError {
  return new TruncatedFileError(FORMAT, what, reader.pos + Number(bytes), reader.end);
}

async function readString(reader: WindowReader, what: string, keep = Infinity): Promise<string> {
  await reader.need(8, `the length of ${what}`);
  const length = reader.u64();
  if (length > BigInt(reader.remaining)) {
    if (length < PLAUSIBLE) throw cutShort(reader, what, length);
    throw new ImplausibleHeaderError(
      FORMAT,
      `declares ${what} of ${describeCount(length)} bytes at offset ${reader.pos - 8}, ` +
        `but only ${formatBytes(reader.remaining)} remain`,
    );
  }
  const n = Number(length);
  if (n > reader.source.budget.limits.maxHeaderBytes) {
    throw new ImplausibleHeaderError(FORMAT, `declares ${what} of ${formatBytes(n)}`);
  }
  await reader.need(n, what);
  const text = decodeText(reader.bytes(n));
  return text.length > keep ? `${text.slice(0, keep)}…` : text;
}

async function readValue(
  reader: WindowReader,
  type: number,
  key: string,
  depth: number,
  ctx: ReaderContext,
): Promise<GgufValue> {
  const spec = GGUF_VALUE_TYPES[type];
  if (!spec) throw new MalformedFileError(FORMAT, `key "${key}" has unknown value type ${type}`);
  if (type === GGUF_STRING) {
    return {
      type: 'str',
      value: await readString(reader, `the value of "${key}"`, MAX_STRING_KEPT),
    };
  }
  if (type === GGUF_ARRAY) return { type: 'arr', value: await readArray(reader, key, depth, ctx) };
  await reader.need(spec.width, `the value of "${key}"`);
  return { type: spec.name, value: readScalar(reader, type) };
}

function readScalar(reader: WindowReader, type: number): unknown {
  switch (type) {
    case 0:
      return reader.u8();
    case 1:
      return reader.i8();
    case 2:
      return reader.u16();
    case 3:
      return reader.i16();
    case 4:
      return reader.u32();
    case 5:
      return reader.i32();
    case 6:
      return reader.f32();
    case 7:
      return reader.u8() !== 0;
    case 10:
      return jsonInteger(reader.u64());
    case 11:
      return jsonInteger(reader.i64());
    default:
      return reader.f64();
  }
}

async function readArray(reader: WindowReader, key: string, depth: number, ctx: ReaderContext) {
  ctx.budget.checkDepth(depth + 1, `GGUF array "${key}"`);
  await reader.need(12, `the array header of "${key}"`);
  const itemType = reader.u32();
  const length = reader.u64();
  const spec = GGUF_VALUE_TYPES[itemType];
  if (!spec)
    throw new MalformedFileError(FORMAT, `array "${key}" has unknown item type ${itemType}`);
  const minItem = BigInt(spec.width || (itemType === GGUF_STRING ? 8 : 12));
  if (length * minItem > BigInt(reader.remaining)) {
    if (length < PLAUSIBLE) throw cutShort(reader, `array "${key}"`, length * minItem);
    throw new ImplausibleHeaderError(
      FORMAT,
      `declares ${describeCount(length)} items in array "${key}", more than the ` +
        `${formatBytes(reader.remaining)} left in the file can hold`,
    );
  }

  const count = Number(length);
  const first: unknown[] = [];
  if (spec.width > 0) {
    const sample = Math.min(count, ARRAY_SAMPLE);
    await reader.need(sample * spec.width, `the items of "${key}"`);
    for (let i = 0; i < sample; i++) first.push(readScalar(reader, itemType));
    reader.skip((count - sample) * spec.width, `the items of "${key}"`);
  } else {
    for (let i = 0; i < count; i++) {
      if ((i & 255) === 0) ctx.budget.checkpoint();
      const item = await readValue(reader, itemType, `${key}[${i}]`, depth + 1, ctx);
      if (i < ARRAY_SAMPLE) first.push(item.value);
    }
  }
  return { array_type: spec.name, length: jsonInteger(length), first };
}

function readAlignment(kv: Record<string, GgufValue>): bigint {
  const entry = kv['general.alignment'];
  if (!entry) return 32n;
  const value = typeof entry.value === 'number' ? BigInt(entry.value) : -1n;
  if (!isPowerOfTwo(value) || value > MAX_ALIGNMENT) {
    throw new ImplausibleHeaderError(
      FORMAT,
      `sets general.alignment to ${describeCount(value)}; it must be a power of two up to ` +
        `${describeCount(MAX_ALIGNMENT)}`,
    );
  }
  return value;
}

async function readTensorInfo(reader: WindowReader) {
  const name = await readString(reader, 'a tensor name');
  await reader.need(4, `the dimensions of "${name}"`);
  const nDims = reader.u32();
  if (nDims > MAX_DIMS) {
    throw new ImplausibleHeaderError(
      FORMAT,
      `gives tensor "${name}" ${describeCount(nDims)} dimensions (ggml allows ${MAX_DIMS})`,
    );
  }
  await reader.need(nDims * 8 + 12, `the shape of "${name}"`);
  const dims: bigint[] = [];
  for (let d = 0; d < nDims; d++) dims.push(reader.u64());
  const type = reader.u32();
  const offset = reader.u64();
  const typeName = GGML_TYPES[type]?.name ?? `type_${type}`;
  const tensor: GgufTensor = {
    name,
    type: typeName,
    shape: dims.map(jsonInteger),
    offset: jsonInteger(offset),
  };
  return { tensor, type, dims, offset };
}

function checkTensorBytes(
  info: { tensor: GgufTensor; type: number; dims: bigint[]; offset: bigint },
  alignment: bigint,
  dataStart: bigint,
  size: number,
  ctx: ReaderContext,
): bigint {
  const name = info.tensor.name;
  const elements = checkedProduct(info.dims);
  if (elements === null) {
    throw new ImplausibleHeaderError(
      FORMAT,
      `gives tensor "${name}" dimensions ${info.dims.join(' × ')}, whose product overflows`,
    );
  }
  if (info.offset % alignment !== 0n) {
    throw new MalformedFileError(FORMAT, `tensor "${name}" is not aligned to ${alignment} bytes`);
  }
  const spec = GGML_TYPES[info.type];
  if (!spec) {
    ctx.warn(`Tensor "${name}" has ggml type ${info.type}, unknown to Stemma; size not checked.`);
    return elements;
  }
  const blocks = (elements + BigInt(spec.block) - 1n) / BigInt(spec.block);
  const end = dataStart + info.offset + blocks * BigInt(spec.bytes);
  if (end > BigInt(size)) {
    throw new ImplausibleHeaderError(
      FORMAT,
      `places tensor "${name}" at offset ${describeCount(info.offset)}, ending at ` +
        `${formatBytes(end)}, past the end of the ${formatBytes(size)} file`,
    );
  }
  return elements;
}

function architectureFields(kv: Record<string, GgufValue>) {
  const text = (key: string) =>
    typeof kv[key]?.value === 'string' ? (kv[key].value as string) : null;
  const architecture = text('general.architecture');
  const numeric = (suffix: string) => {
    const value = architecture ? kv[`${architecture}.${suffix}`]?.value : undefined;
    return typeof value === 'number' ? value : null;
  };
  const fileTypeValue = kv['general.file_type']?.value;
  const fileType =
    typeof fileTypeValue === 'number'
      ? { id: fileTypeValue, name: GGUF_FILE_TYPES[fileTypeValue] ?? `unknown (${fileTypeValue})` }
      : null;
  return {
    architecture,
    name: text('general.name'),
    contextLength: numeric('context_length'),
    embeddingLength: numeric('embedding_length'),
    blockCount: numeric('block_count'),
    fileType,
  };
}
