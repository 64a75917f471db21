/**
 * A minimal, read-only HDF5 reader: the superblock, object headers (versions 1 and 2), groups
 * stored as symbol tables or compact links, dataset shapes and types, and attributes with
 * their strings (fixed-length or in the global heap). That covers what h5py writes for Keras;
 * dense (fractal-heap) groups are reported as unsupported. Dataset contents are never read.
 */
import { ImplausibleHeaderError, MalformedFileError, UnsupportedVariantError } from './errors';
import { formatBytes } from './numbers';
import type { ByteSource } from './source';
import { decodeText } from './source';
import {
  decodeAttribute,
  parseDataspace,
  parseDatatype,
  type Hdf5Attribute,
  type Hdf5Type,
} from './hdf5-messages';

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const MAX_HEADER_BYTES = 1 << 20;

export interface Hdf5Object {
  address: number;
  kind: 'group' | 'dataset' | 'other';
  shape: number[] | null;
  dtype: Hdf5Type | null;
  attributes: Map<string, Hdf5Attribute>;
  links: Map<string, number>;
  symbolTable: { btree: number; heap: number } | null;
}

/**
 * Run HDF5 parsing, turning a DataView bounds failure (a size or offset that points outside
 * the block it was read with) into the named error for a damaged file.
 */
export async function guardStructure<T>(parse: () => Promise<T>): Promise<T> {
  try {
    return await parse();
  } catch (error) {
    if (error instanceof RangeError) {
      throw new MalformedFileError('HDF5', 'a structure points outside its block', {
        cause: error,
      });
    }
    throw error;
  }
}

/** True when the file starts with the HDF5 signature. */
export function looksLikeHdf5(head: Uint8Array): boolean {
  return SIGNATURE.every((byte, i) => head[i] === byte);
}

export class Hdf5File {
  readonly source: ByteSource;
  superblockVersion = 0;
  offsetSize = 8;
  lengthSize = 8;
  base = 0;
  rootAddress = 0;

  private constructor(source: ByteSource) {
    this.source = source;
  }

  /** Open a file whose superblock is at offset 0. */
  static async open(source: ByteSource): Promise<Hdf5File> {
    const file = new Hdf5File(source);
    const head = await source.read(0, Math.min(source.size, 128), 'the HDF5 superblock');
    const view = new DataView(head.buffer, head.byteOffset, head.length);
    file.superblockVersion = head[8];
    if (file.superblockVersion <= 1) {
      file.offsetSize = head[13];
      file.lengthSize = head[14];
      const at = file.superblockVersion === 1 ? 28 : 24;
      file.checkSizes();
      file.base = file.address(view, at);
      const rootEntry = at + 4 * file.offsetSize;
      file.rootAddress = file.address(view, rootEntry + file.offsetSize);
    } else if (file.superblockVersion <= 3) {
      file.offsetSize = head[9];
      file.lengthSize = head[10];
      file.checkSizes();
      file.base = file.address(view, 12);
      file.rootAddress = file.address(view, 12 + 3 * file.offsetSize);
    } else {
      throw new UnsupportedVariantError('HDF5', `superblock version ${file.superblockVersion}`);
    }
    if (file.rootAddress < 0) throw new MalformedFileError('HDF5', 'the root group is missing');
    return file;
  }

  private checkSizes(): void {
    if (![2, 4, 8].includes(this.offsetSize) || ![2, 4, 8].includes(this.lengthSize)) {
      throw new ImplausibleHeaderError('HDF5', `uses ${this.offsetSize}-byte addresses`);
    }
  }

  /** An address field, or -1 for HDF5's "undefined address" (all bits set). */
  address(view: DataView, at: number, size = this.offsetSize): number {
    let value = 0n;
    let allSet = true;
    for (let i = size - 1; i >= 0; i--) {
      const byte = view.getUint8(at + i);
      if (byte !== 0xff) allSet = false;
      value = (value << 8n) | BigInt(byte);
    }
    if (allSet) return -1;
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ImplausibleHeaderError('HDF5', `holds the address ${value}`);
    }
    return Number(value);
  }

  /** Read `length` bytes at file address `address` (relative to the base). */
  async bytes(address: number, length: number, what: string): Promise<DataView> {
    if (address < 0) throw new MalformedFileError('HDF5', `${what} has an undefined address`);
    const bytes = await this.source.read(this.base + address, length, what);
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  /** Parse the object header at `address`. */
  async object(address: number): Promise<Hdf5Object> {
    const found: Hdf5Object = {
      address,
      kind: 'other',
      shape: null,
      dtype: null,
      attributes: new Map(),
      links: new Map(),
      symbolTable: null,
    };
    const messages: [number, DataView][] = [];
    const first = await this.bytes(
      address,
      Math.min(16, this.source.size - this.base - address),
      'an object header',
    );
    if (first.getUint8(0) === 1) await this.readHeaderV1(address, first, messages);
    else if (first.getUint32(0, true) === 0x5244484f) await this.readHeaderV2(address, messages);
    else throw new MalformedFileError('HDF5', `no object header at address ${address}`);

    let hasLayout = false;
    for (const [type, data] of messages) {
      if (type === 0x01) found.shape = parseDataspace(data, this.lengthSize);
      else if (type === 0x03) found.dtype = parseDatatype(data);
      else if (type === 0x08) hasLayout = true;
      else if (type === 0x11) {
        found.symbolTable = {
          btree: this.address(data, 0),
          heap: this.address(data, this.offsetSize),
        };
      } else if (type === 0x06) this.readLink(data, found.links);
      else if (type === 0x02 && this.address(data, 2 + (data.getUint8(1) & 1 ? 8 : 0)) >= 0) {
        throw new UnsupportedVariantError('HDF5', 'groups stored in a fractal heap (dense links)');
      } else if (type === 0x0c) {
        const attribute = decodeAttribute(data, this.lengthSize);
        if (attribute) found.attributes.set(attribute.name, attribute);
      }
    }
    if (found.symbolTable || found.links.size > 0 || messages.some(([t]) => t === 0x02)) {
      found.kind = 'group';
    } else if (hasLayout && found.shape) found.kind = 'dataset';
    return found;
  }

  private async readHeaderV1(address: number, first: DataView, out: [number, DataView][]) {
    const count = first.getUint16(2, true);
    const size = first.getUint32(8, true);
    const blocks: [number, number][] = [[address + 16, size]];
    let seen = 0;
    for (let b = 0; b < blocks.length && b < 64; b++) {
      const [start, length] = blocks[b];
      if (length > MAX_HEADER_BYTES)
        throw new ImplausibleHeaderError('HDF5', `declares a ${formatBytes(length)} object header`);
      const block = await this.bytes(start, length, 'object header messages');
      for (let at = 0; at + 8 <= length && seen < count; seen++) {
        const type = block.getUint16(at, true);
        const dataSize = block.getUint16(at + 2, true);
        if (at + 8 + dataSize > length)
          throw new MalformedFileError('HDF5', 'an object header message overruns its block');
        const data = new DataView(block.buffer, block.byteOffset + at + 8, dataSize);
        if (type === 0x10) blocks.push([this.address(data, 0), this.length(data, this.offsetSize)]);
        else out.push([type, data]);
        at += 8 + dataSize;
      }
    }
  }

  private async readHeaderV2(address: number, out: [number, DataView][]) {
    const prefix = await this.bytes(address, 24, 'an object header');
    const flags = prefix.getUint8(5);
    let at = 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
    const sizeWidth = 1 << (flags & 3);
    const size = Number(this.lengthOf(prefix, at, sizeWidth));
    at += sizeWidth;
    const blocks: [number, number][] = [[address + at, size]];
    for (let b = 0; b < blocks.length && b < 64; b++) {
      const [start, length] = blocks[b];
      if (length > MAX_HEADER_BYTES)
        throw new ImplausibleHeaderError('HDF5', `declares a ${formatBytes(length)} object header`);
      const block = await this.bytes(start, length, 'object header messages');
      const skip = b === 0 ? 0 : 4;
      const stop = b === 0 ? length : length - 4;
      for (let p = skip; p + 4 <= stop;) {
        const type = block.getUint8(p);
        const dataSize = block.getUint16(p + 1, true);
        const header = 4 + (block.getUint8(p + 3) & 0x04 ? 2 : 0);
        if (p + header + dataSize > stop) break;
        const data = new DataView(block.buffer, block.byteOffset + p + header, dataSize);
        if (type === 0x10) blocks.push([this.address(data, 0), this.length(data, this.offsetSize)]);
        else out.push([type, data]);
        p += header + dataSize;
      }
    }
  }

  private lengthOf(view: DataView, at: number, width: number): bigint {
    let value = 0n;
    for (let i = width - 1; i >= 0; i--) value = (value << 8n) | BigInt(view.getUint8(at + i));
    return value;
  }

  length(view: DataView, at: number): number {
    const value = this.lengthOf(view, at, this.lengthSize);
    if (value > BigInt(this.source.size)) {
      throw new ImplausibleHeaderError('HDF5', `declares a length of ${value} bytes`);
    }
    return Number(value);
  }

  private readLink(data: DataView, links: Map<string, number>): void {
    const flags = data.getUint8(1);
    let at = 2;
    const linkType = flags & 0x08 ? data.getUint8(at++) : 0;
    if (flags & 0x04) at += 8;
    if (flags & 0x10) at += 1;
    const width = 1 << (flags & 3);
    const nameLength = Number(this.lengthOf(data, at, width));
    at += width;
    const name = decodeText(new Uint8Array(data.buffer, data.byteOffset + at, nameLength));
    if (linkType === 0) links.set(name, this.address(data, at + nameLength));
  }

  /** Names and addresses of a group's members. */
  async members(group: Hdf5Object): Promise<Map<string, number>> {
    if (!group.symbolTable) return group.links;
    const heap = await this.bytes(
      group.symbolTable.heap,
      8 + 2 * this.lengthSize + this.offsetSize,
      'a local heap',
    );
    if (heap.getUint32(0, true) !== 0x50414548)
      throw new MalformedFileError('HDF5', 'a local heap is missing');
    const dataSize = this.length(heap, 8);
    const names = await this.bytes(
      this.address(heap, 8 + 2 * this.lengthSize),
      dataSize,
      'group names',
    );
    const members = new Map<string, number>();
    await this.readTreeNode(group.symbolTable.btree, names, members, 0);
    return members;
  }

  private async readTreeNode(
    address: number,
    names: DataView,
    into: Map<string, number>,
    depth: number,
  ) {
    if (depth > 32)
      throw new ImplausibleHeaderError('HDF5', 'nests group B-trees more than 32 deep');
    this.source.budget.checkpoint();
    const o = this.offsetSize;
    const prefix = await this.bytes(address, 8 + 2 * o, 'a group B-tree node');
    const signature = prefix.getUint32(0, true);
    if (signature === 0x444f4e53) return this.readSymbolNode(address, names, into);
    if (signature !== 0x45455254)
      throw new MalformedFileError('HDF5', `no B-tree node at ${address}`);
    const level = prefix.getUint8(5);
    const used = prefix.getUint16(6, true);
    const entry = this.lengthSize + o;
    const node = await this.bytes(
      address + 8 + 2 * o,
      used * entry + this.lengthSize,
      'a group B-tree node',
    );
    for (let i = 0; i < used; i++) {
      const child = this.address(node, i * entry + this.lengthSize);
      if (level > 0) await this.readTreeNode(child, names, into, depth + 1);
      else await this.readSymbolNode(child, names, into);
    }
  }

  private async readSymbolNode(address: number, names: DataView, into: Map<string, number>) {
    const prefix = await this.bytes(address, 8, 'a symbol table node');
    if (prefix.getUint32(0, true) !== 0x444f4e53)
      throw new MalformedFileError('HDF5', `no symbol node at ${address}`);
    const count = prefix.getUint16(6, true);
    const entrySize = 2 * this.offsetSize + 24;
    const entries = await this.bytes(address + 8, count * entrySize, 'symbol table entries');
    for (let i = 0; i < count; i++) {
      const nameOffset = this.address(entries, i * entrySize);
      const objectAddress = this.address(entries, i * entrySize + this.offsetSize);
      let end = nameOffset;
      while (end < names.byteLength && names.getUint8(end) !== 0) end++;
      const name = decodeText(
        new Uint8Array(names.buffer, names.byteOffset + nameOffset, end - nameOffset),
      );
      into.set(name, objectAddress);
    }
  }

  /** Read a variable-length string stored in the global heap. */
  async globalHeapString(collection: number, index: number): Promise<string> {
    const head = await this.bytes(collection, 8 + this.lengthSize, 'a global heap');
    if (head.getUint32(0, true) !== 0x4c4f4347)
      throw new MalformedFileError('HDF5', 'a global heap is missing');
    const size = this.length(head, 8);
    const heap = await this.bytes(collection, size, 'a global heap');
    for (let at = 8 + this.lengthSize; at + 8 + this.lengthSize <= size;) {
      const id = heap.getUint16(at, true);
      const objectSize = this.length(heap, at + 8);
      const dataAt = at + 8 + this.lengthSize;
      if (id === index)
        return decodeText(
          new Uint8Array(
            heap.buffer,
            heap.byteOffset + dataAt,
            Math.min(objectSize, size - dataAt),
          ),
        );
      if (id === 0) break;
      at = dataAt + Math.ceil(objectSize / 8) * 8;
    }
    throw new MalformedFileError('HDF5', `global heap object ${index} is missing`);
  }
}
