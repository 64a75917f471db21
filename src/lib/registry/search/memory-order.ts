/**
 * Sort orders over `VersionColumns`, and the page they cut from the slots a filter lets
 * through (`memory-query.ts`). The order of slots is the comparator of `order.ts` restated on
 * columns: same keys, same ties by id, versions lacking the sort metric last in either
 * direction.
 */
import type { SortField } from '../types';
import type { VersionColumns } from './columns';
import type { SlotFilter } from './memory-query';
import type { SortDirection } from './order';

/**
 * A sort order on slots: by `sign * values[slot]`, slots whose value is NaN (a missing
 * metric) last in either direction; equal values fall back to `compare`. Most slots are
 * thus placed or passed over by one array read and one comparison of numbers.
 */
export interface SlotOrder {
  /** Negative when the version in slot `a` comes first: the whole order, ties by id. */
  compare(a: number, b: number): number;
  values: Float64Array;
  /** 1 ascending, -1 descending. */
  sign: number;
}

/** Version numbers stay below this, so `rank * NUMBER_SPAN + number` keeps both in order. */
const NUMBER_SPAN = 2 ** 32;

/** The slot order for `sort`; `sort` has been checked by `sortPlan` already. */
export function slotOrder(
  columns: VersionColumns,
  sort: SortField,
  direction: SortDirection,
): SlotOrder {
  const sign = direction === 'desc' ? -1 : 1;
  const ids = columns.ids as string[];
  const byId = (a: number, b: number) => compareKeys(ids[a], ids[b]);

  if (sort === 'created' || sort === 'version') {
    const values = sort === 'created' ? columns.createdAt : columns.number;
    return {
      compare: (a, b) => sign * (compareKeys(values[a], values[b]) || byId(a, b)),
      values,
      sign,
    };
  }
  if (sort === 'name') {
    const { names, nameCode, number } = columns;
    return {
      compare: (a, b) => {
        const left = names[nameCode[a]];
        const right = names[nameCode[b]];
        return (
          sign *
          (compareKeys(left.lower, right.lower) ||
            compareKeys(number[a], number[b]) ||
            compareKeys(left.name, right.name) ||
            byId(a, b))
        );
      },
      values: nameValues(columns),
      sign,
    };
  }

  const key = sort.slice('metrics.'.length);
  const values = columns.metrics.get(key) ?? new Float64Array(columns.size).fill(NaN);
  return {
    compare: (a, b) => {
      const left = values[a];
      const right = values[b];
      const hasLeft = left === left;
      const hasRight = right === right;
      if (hasLeft !== hasRight) return hasLeft ? -1 : 1;
      const byValue = hasLeft ? compareKeys(left, right) : 0;
      return sign * (byValue || byId(a, b));
    },
    values,
    sign,
  };
}

const nameCache = new WeakMap<VersionColumns, { revision: number; values: Float64Array }>();

/**
 * Per slot, the place of its lower-cased name among all of them and its version number in
 * one number, as `[nameLower+number]` orders them; kept until the columns change.
 */
function nameValues(columns: VersionColumns): Float64Array {
  const cached = nameCache.get(columns);
  if (cached && cached.revision === columns.revision) return cached.values;

  const lowers = [...new Set(columns.names.map((entry) => entry.lower))].sort(compareKeys);
  const place = new Map(lowers.map((lower, index) => [lower, index]));
  const ranks = Float64Array.from(columns.names, (entry) => place.get(entry.lower) as number);
  const { nameCode, number, size } = columns;
  const values = new Float64Array(size);
  for (let slot = 0; slot < size; slot++) {
    values[slot] = ranks[nameCode[slot]] * NUMBER_SPAN + number[slot];
  }
  nameCache.set(columns, { revision: columns.revision, values });
  return values;
}

/**
 * The first `limit` slots passing `filter` in `order`, and how many pass in all. A bounded
 * heap keeps the best `limit` seen so far, so a page costs one pass over the slots, not a
 * sort. Slots are mostly in the order versions were registered, so a descending order scans
 * from the end: the newest come first and seldom displace one another.
 */
export function firstSlots(
  columns: VersionColumns,
  filter: SlotFilter,
  order: SlotOrder,
  limit: number,
): { slots: number[]; total: number } {
  const { mask, includeArchived } = filter;
  const { alive, archived, size } = columns;
  const { values, sign, compare } = order;
  // Typed arrays and no call per slot: a key passed to a function is boxed, and 100,000
  // boxed numbers a search woke the garbage collector.
  const heap: Heap = { slots: new Int32Array(limit), keys: new Float64Array(limit), length: 0 };
  let total = 0;
  const step = sign < 0 ? -1 : 1;
  for (let slot = step < 0 ? size - 1 : 0; slot >= 0 && slot < size; slot += step) {
    if (alive[slot] === 0 || (mask !== null && mask[slot] === 0)) continue;
    if (!includeArchived && archived[slot] === 1) continue;
    total += 1;
    if (limit === 0) continue;

    const value = values[slot];
    const key = value === value ? sign * value : Infinity;
    if (heap.length < limit) {
      heap.slots[heap.length] = slot;
      heap.keys[heap.length] = key;
      heap.length += 1;
      siftUp(heap, heap.length - 1, compare);
      continue;
    }
    // The root holds the last of the best so far: a slot after it is passed over.
    const root = heap.keys[0];
    if (key > root || (key === root && compare(slot, heap.slots[0]) >= 0)) continue;
    heap.slots[0] = slot;
    heap.keys[0] = key;
    siftDown(heap, compare);
  }
  const slots = Array.from(heap.slots.subarray(0, heap.length)).sort(compare);
  return { slots, total };
}

/** The best slots found so far, with their keys; the worst of them at the root. */
interface Heap {
  slots: Int32Array;
  keys: Float64Array;
  length: number;
}

/** True when entry `i` of the heap comes after entry `j` in the order. */
function after(heap: Heap, i: number, j: number, compare: SlotOrder['compare']): boolean {
  const { keys, slots } = heap;
  if (keys[i] !== keys[j]) return keys[i] > keys[j];
  return compare(slots[i], slots[j]) > 0;
}

function swap(heap: Heap, i: number, j: number): void {
  const { keys, slots } = heap;
  const slot = slots[i];
  slots[i] = slots[j];
  slots[j] = slot;
  const key = keys[i];
  keys[i] = keys[j];
  keys[j] = key;
}

function siftUp(heap: Heap, index: number, compare: SlotOrder['compare']): void {
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (!after(heap, index, parent, compare)) return;
    swap(heap, index, parent);
    index = parent;
  }
}

function siftDown(heap: Heap, compare: SlotOrder['compare']): void {
  let index = 0;
  for (;;) {
    const left = 2 * index + 1;
    const right = left + 1;
    let last = index;
    if (left < heap.length && after(heap, left, last, compare)) last = left;
    if (right < heap.length && after(heap, right, last, compare)) last = right;
    if (last === index) return;
    swap(heap, index, last);
    index = last;
  }
}

/** Two numbers or two strings, in IndexedDB's order for them (UTF-16 code units for text). */
function compareKeys<T extends number | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
