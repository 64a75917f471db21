/**
 * The symbolic values a pickle builds when disassembled: what an unpickler would create,
 * described rather than constructed. Calls stay unevaluated records of callable and
 * arguments, which is enough to find tensors, estimators and versions.
 */
export type PyValue =
  | { k: 'none' }
  | { k: 'bool'; v: boolean }
  | { k: 'int'; v: bigint }
  | { k: 'float'; v: number }
  | { k: 'str'; v: string }
  | { k: 'bytes'; length: number }
  | { k: 'tuple'; items: PyValue[] }
  | { k: 'list'; items: PyValue[] }
  | { k: 'set'; items: PyValue[] }
  | { k: 'dict'; entries: [PyValue, PyValue][] }
  | { k: 'global'; name: string }
  | PyObject
  | { k: 'persid'; id: PyValue }
  | { k: 'opaque'; why: string };

/** The result of a call (REDUCE, NEWOBJ, INST, OBJ), with what BUILD and SETITEMS added. */
export interface PyObject {
  k: 'object';
  callable: PyValue;
  args: PyValue[];
  state: PyValue | null;
  items: PyValue[];
  entries: [PyValue, PyValue][];
}

export const NONE: PyValue = { k: 'none' };

/** Items kept per container; counting and scanning go on past it. */
const MAX_ITEMS = 100_000;

/** A readable name for what is being called. */
export function callableName(value: PyValue): string {
  if (value.k === 'global') return value.name;
  if (value.k === 'object') return `<result of ${callableName(value.callable)}>`;
  return `<${value.k} value>`;
}

/** The class or function name of an object, or null. */
export function classOf(value: PyValue): string | null {
  return value.k === 'object' && value.callable.k === 'global' ? value.callable.name : null;
}

/** Entries of a dict, or of a dict-like object (OrderedDict), or null. */
export function entriesOf(value: PyValue | null | undefined): [PyValue, PyValue][] | null {
  if (!value) return null;
  if (value.k === 'dict') return value.entries;
  if (value.k === 'object' && value.entries.length > 0) return value.entries;
  if (value.k === 'object' && classOf(value)?.endsWith('OrderedDict')) return value.entries;
  return null;
}

/** Look up a string key in a dict-like value. */
export function getKey(value: PyValue | null | undefined, key: string): PyValue | undefined {
  const entries = entriesOf(value);
  return entries?.find(([k]) => k.k === 'str' && k.v === key)?.[1];
}

export function asString(value: PyValue | undefined): string | null {
  return value?.k === 'str' ? value.v : null;
}

export function asInt(value: PyValue | undefined): bigint | null {
  if (value?.k === 'int') return value.v;
  if (value?.k === 'bool') return value.v ? 1n : 0n;
  return null;
}

/** Items of a tuple or list. */
export function itemsOf(value: PyValue | undefined): PyValue[] | null {
  return value && (value.k === 'tuple' || value.k === 'list') ? value.items : null;
}

/** Numpy's item size for a dtype descriptor such as `<f8` or `|u1`. */
export function dtypeItemSize(descr: string): bigint | null {
  const match = /^[<>|=]?([biufcSUVMm])(\d+)$/.exec(descr);
  if (!match) return null;
  const size = BigInt(match[2]);
  return match[1] === 'U' ? size * 4n : size;
}

/** Consecutive items as key-value pairs (DICT, SETITEMS). */
export function pairs(items: PyValue[]): [PyValue, PyValue][] {
  const out: [PyValue, PyValue][] = [];
  for (let i = 0; i + 1 < items.length; i += 2) out.push([items[i], items[i + 1]]);
  return out;
}

/** Append to a list, set or list-like object, up to the per-container cap. */
export function addItems(target: PyValue, items: PyValue[]): void {
  const list =
    target.k === 'list' || target.k === 'set'
      ? target.items
      : target.k === 'object'
        ? target.items
        : null;
  if (!list) return;
  for (const item of items) {
    if (list.length >= MAX_ITEMS) return;
    list.push(item);
  }
}

/** Add to a dict or dict-like object, up to the per-container cap. */
export function addEntries(target: PyValue, entries: [PyValue, PyValue][]): void {
  const list = target.k === 'dict' || target.k === 'object' ? target.entries : null;
  if (!list) return;
  for (const entry of entries) {
    if (list.length >= MAX_ITEMS) return;
    list.push(entry);
  }
}
