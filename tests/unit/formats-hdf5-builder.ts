/**
 * Builds a small legacy Keras `.h5` file by hand from the HDF5 specification: superblock
 * version 0, version-1 object headers, groups as symbol tables (B-tree, local heap, symbol
 * node), a `model_weights` group holding two datasets, fixed-length string attributes and
 * one variable-length string in the global heap. Structures sit at fixed 512-byte slots.
 */
import { concat, text, u16, u32, u64 } from './formats-builders';

const UNDEFINED = new Uint8Array(8).fill(0xff);
const pad8 = (bytes: Uint8Array) => concat([bytes, new Uint8Array((8 - (bytes.length % 8)) % 8)]);

function message(type: number, body: Uint8Array): Uint8Array {
  const data = pad8(body);
  return concat([u16(type), u16(data.length), [0, 0, 0, 0], data]);
}

function objectHeader(messages: Uint8Array[]): Uint8Array {
  const body = concat(messages);
  return concat([[1, 0], u16(messages.length), u32(1), u32(body.length), u32(0), body]);
}

const scalarSpace = concat([[1, 0, 0, 0], u32(0)]);

function stringAttribute(name: string, value: string): Uint8Array {
  const bytes = text(value);
  const type = concat([[0x13, 0, 0, 0], u32(bytes.length)]);
  const nameBytes = concat([text(name), [0]]);
  return message(
    0x0c,
    concat([
      [1, 0],
      u16(nameBytes.length),
      u16(type.length),
      u16(scalarSpace.length),
      pad8(nameBytes),
      pad8(type),
      pad8(scalarSpace),
      bytes,
    ]),
  );
}

function vlenStringAttribute(name: string, length: number, heap: number): Uint8Array {
  const base = concat([[0x10, 0, 0, 0], u32(1), u16(0), u16(8)]);
  const type = concat([[0x19, 0x01, 0, 0], u32(16), base]);
  const nameBytes = concat([text(name), [0]]);
  return message(
    0x0c,
    concat([
      [1, 0],
      u16(nameBytes.length),
      u16(type.length),
      u16(scalarSpace.length),
      pad8(nameBytes),
      pad8(type),
      pad8(scalarSpace),
      u32(length),
      u64(heap),
      u32(1),
    ]),
  );
}

function dataset(dims: number[]): Uint8Array {
  const space = concat([[1, dims.length, 0, 0], u32(0), ...dims.map((d) => u64(d))]);
  const float32 = concat([
    [0x11, 0x20, 0x1f, 0],
    u32(4),
    u16(0),
    u16(32),
    [23, 8, 0, 23],
    u32(127),
  ]);
  const layout = concat([[3, 1], u64(0), u64(dims.reduce((a, b) => a * b, 4))]);
  return objectHeader([message(0x01, space), message(0x03, float32), message(0x08, layout)]);
}

/** A group whose members are `names[i]` at `addresses[i]`, with its tree, heap and node. */
function group(at: number, names: string[], addresses: number[]) {
  const heapData = concat([
    [0, 0, 0, 0, 0, 0, 0, 0],
    ...names.map((n) => pad8(concat([text(n), [0]]))),
  ]);
  const offsets: number[] = [];
  let offset = 8;
  for (const n of names) {
    offsets.push(offset);
    offset += pad8(concat([text(n), [0]])).length;
  }
  const tree = at + 1024;
  const heap = at + 1536;
  const node = at + 2048;
  const header = objectHeader([message(0x11, concat([u64(tree), u64(heap)]))]);
  // Each group's header gets 1 kB of room before its tree, heap and symbol node.
  const treeBytes = concat([
    text('TREE'),
    [0, 0],
    u16(names.length ? 1 : 0),
    UNDEFINED,
    UNDEFINED,
    u64(0),
    ...(names.length ? [u64(node), u64(offsets[offsets.length - 1])] : []),
  ]);
  const heapBytes = concat([
    text('HEAP'),
    [0, 0, 0, 0],
    u64(heapData.length),
    UNDEFINED,
    u64(heap + 32),
  ]);
  const entries = names.map((_, i) =>
    concat([u64(offsets[i]), u64(addresses[i]), u32(0), u32(0), new Uint8Array(16)]),
  );
  const nodeBytes = concat([text('SNOD'), [1, 0], u16(names.length), ...entries]);
  return {
    header,
    parts: [
      [tree, treeBytes],
      [heap, concat([heapBytes, heapData])],
      [node, nodeBytes],
    ] as [number, Uint8Array][],
  };
}

/** A legacy Keras HDF5 file with `model_config`, versions and a 3x4 kernel and 4 biases. */
export function kerasH5(modelConfig: unknown, backend = 'tensorflow'): Uint8Array {
  const file = new Uint8Array(8192);
  const put = (at: number, bytes: Uint8Array) => file.set(bytes, at);
  const ROOT = 512;
  const WEIGHTS = 3072;
  const GLOBAL_HEAP = 7168;

  const superblock = concat([
    [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0, 8, 8, 0],
    u16(4),
    u16(16),
    u32(0),
    u64(0),
    UNDEFINED,
    u64(file.length),
    UNDEFINED,
    u64(0),
    u64(ROOT),
    u32(1),
    u32(0),
    u64(ROOT + 1024),
    u64(ROOT + 1536),
  ]);
  put(0, superblock);

  const root = group(ROOT, ['model_weights'], [WEIGHTS]);
  const attributes = [
    stringAttribute('keras_version', '2.15.0'),
    vlenStringAttribute('backend', text(backend).length, GLOBAL_HEAP),
    stringAttribute('model_config', JSON.stringify(modelConfig)),
  ];
  put(
    ROOT,
    objectHeader([message(0x11, concat([u64(ROOT + 1024), u64(ROOT + 1536)])), ...attributes]),
  );
  for (const [at, bytes] of root.parts) put(at, bytes);

  const weights = group(WEIGHTS, ['kernel', 'bias'], [6144, 6656]);
  put(WEIGHTS, weights.header);
  for (const [at, bytes] of weights.parts) put(at, bytes);
  put(6144, dataset([3, 4]));
  put(6656, dataset([4]));

  const value = pad8(text(backend));
  put(
    GLOBAL_HEAP,
    concat([
      text('GCOL'),
      [1, 0, 0, 0],
      u64(16 + 16 + value.length + 16),
      u16(1),
      u16(0),
      u32(0),
      u64(text(backend).length),
      value,
      new Uint8Array(16),
    ]),
  );
  return file;
}
