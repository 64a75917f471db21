/**
 * Decoders for the HDF5 header messages Stemma needs: dataspace (shape), datatype (element
 * type) and attribute (name, type, shape and raw value bytes).
 */
import { MalformedFileError } from './errors';
import { decodeText } from './source';

export interface Hdf5Type {
  /** HDF5 type class: 0 integer, 1 float, 3 string, 9 variable-length, ... */
  typeClass: number;
  size: number;
  signed: boolean;
  /** For variable-length types: true when it is a string. */
  variableString: boolean;
  /** A readable name: float32, int64, string, vlen-string, compound, ... */
  name: string;
}

const CLASS_NAMES = [
  'integer',
  'float',
  'time',
  'string',
  'bitfield',
  'opaque',
  'compound',
  'reference',
  'enum',
  'vlen',
  'array',
];

export function parseDataspace(data: DataView, lengthSize: number): number[] {
  const version = data.getUint8(0);
  const rank = data.getUint8(1);
  if (version === 2 && data.getUint8(3) === 2) return [0];
  const at = version === 1 ? 8 : 4;
  if (rank > 32 || at + rank * lengthSize > data.byteLength) {
    throw new MalformedFileError('HDF5', `a dataspace declares ${rank} dimensions`);
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) {
    const value =
      lengthSize === 8
        ? data.getBigUint64(at + i * 8, true)
        : BigInt(data.getUint32(at + i * 4, true));
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new MalformedFileError('HDF5', `a dataspace dimension is ${value}`);
    }
    dims.push(Number(value));
  }
  return dims;
}

export function parseDatatype(data: DataView): Hdf5Type {
  const first = data.getUint8(0);
  const typeClass = first & 0x0f;
  const bits = data.getUint8(1);
  const size = data.getUint32(4, true);
  const signed = typeClass === 0 && (bits & 0x08) !== 0;
  const variableString = typeClass === 9 && (bits & 0x0f) === 1;
  let name = CLASS_NAMES[typeClass] ?? `class${typeClass}`;
  if (typeClass === 0) name = `${signed ? 'int' : 'uint'}${size * 8}`;
  else if (typeClass === 1) name = `float${size * 8}`;
  else if (typeClass === 3) name = 'string';
  else if (variableString) name = 'vlen-string';
  return { typeClass, size, signed, variableString, name };
}

export interface Hdf5Attribute {
  name: string;
  type: Hdf5Type;
  shape: number[];
  data: Uint8Array;
}

/** Split an attribute message into its name, type, shape and value bytes. */
export function decodeAttribute(data: DataView, lengthSize: number): Hdf5Attribute | null {
  const version = data.getUint8(0);
  const nameSize = data.getUint16(2, true);
  const typeSize = data.getUint16(4, true);
  const spaceSize = data.getUint16(6, true);
  const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
  let at = version === 3 ? 9 : 8;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (at + pad(nameSize) + pad(typeSize) + pad(spaceSize) > data.byteLength) {
    throw new MalformedFileError('HDF5', 'an attribute message overruns its header');
  }
  const name = decodeText(bytes.subarray(at, at + Math.max(nameSize - 1, 0)));
  at += pad(nameSize);
  const type = parseDatatype(new DataView(data.buffer, data.byteOffset + at, typeSize));
  at += pad(typeSize);
  const shape = parseDataspace(
    new DataView(data.buffer, data.byteOffset + at, spaceSize),
    lengthSize,
  );
  at += pad(spaceSize);
  return { name, type, shape, data: bytes.subarray(at) };
}
