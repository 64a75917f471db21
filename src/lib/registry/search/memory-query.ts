/**
 * Filters and sort orders over `VersionColumns`. Each comparison is compiled once per query
 * into a test of one slot; where the field is dictionary-coded (names, tags, parameters) the
 * comparison itself runs once per distinct value, through `matchesComparison`, so the meaning
 * of every operator stays defined in one place (`match.ts`). Numbers compared with a number
 * take a direct path; everything else goes through `matchesComparison` on a probe row.
 *
 * The order of slots is the comparator of `order.ts` restated on columns: same keys, same
 * ties by id, versions lacking the sort metric last in either direction.
 */
import type { SortField } from '../types';
import { isListComparison, type ComparisonNode, type FilterNode } from './ast';
import type { CodedColumn, VersionColumns } from './columns';
import { matchesComparison, matchesFilter, type SearchFields } from './match';
import type { SortDirection } from './order';

/** True when the version in `slot` passes. */
export type SlotTest = (slot: number) => boolean;
/**
 * A sort order on slots. `key` is a number per slot that agrees with `compare` wherever it
 * differs (`key(a) < key(b)` means `a` comes first), so that most slots are placed or passed
 * over by one number comparison; equal keys fall back to `compare`.
 */
export interface SlotOrder {
  /** Negative when the version in slot `a` comes first. */
  compare(a: number, b: number): number;
  key(slot: number): number;
}

/** Version numbers stay below this, so `rank * NUMBER_SPAN + number` keeps both in order. */
const NUMBER_SPAN = 2 ** 32;

const BLANK: SearchFields = {
  id: '',
  modelName: '',
  nameLower: '',
  number: 0,
  createdAt: 0,
  archived: 0,
  aliases: [],
  params: {},
  tkv: [],
  pkv: [],
  mkv: [],
};

/** The test for `filter` (null: every version), archived versions left out unless asked. */
export function compileFilter(
  columns: VersionColumns,
  filter: FilterNode | null,
  includeArchived: boolean,
): SlotTest {
  const archived = columns.archived;
  const matches = filter ? compileNode(columns, filter) : () => true;
  const irregular = columns.irregular;
  const test: SlotTest =
    irregular.size === 0 || !filter
      ? matches
      : (slot) => {
          const row = irregular.get(slot);
          return row ? matchesFilter(row, filter) : matches(slot);
        };
  return includeArchived ? test : (slot) => archived[slot] === 0 && test(slot);
}

function compileNode(columns: VersionColumns, node: FilterNode): SlotTest {
  if (node.type === 'comparison') return compileComparison(columns, node);
  const children = node.children.map((child) => compileNode(columns, child));
  if (children.length === 2) {
    const [first, second] = children;
    if (node.type === 'and') return (slot) => first(slot) && second(slot);
    return (slot) => first(slot) || second(slot);
  }
  if (node.type === 'and') return (slot) => children.every((child) => child(slot));
  return (slot) => children.some((child) => child(slot));
}

function compileComparison(columns: VersionColumns, node: ComparisonNode): SlotTest {
  const key = node.key ?? '';
  switch (node.field) {
    case 'name': {
      const pass = truthTable(node, columns.names, (probe, entry) => {
        probe.modelName = entry.name;
        probe.nameLower = entry.lower;
      });
      const codes = columns.nameCode;
      return (slot) => pass[codes[slot]] === 1;
    }
    case 'tag':
      return codedTest(columns.tags.get(key), node, (probe, { value }) => {
        probe.tkv = [[key, value]];
      });
    case 'param':
      return codedTest(columns.params.get(key), node, (probe, { value, text }) => {
        probe.pkv = [[key, value]];
        probe.params = text === undefined ? {} : { [key]: text };
      });
    case 'metric': {
      const values = columns.metrics.get(key);
      if (!values) return () => false;
      // NaN marks a missing metric; no comparison holds on what a version lacks.
      return numberColumnTest(values, node, (probe, value) => {
        probe.mkv = [[key, value]];
      });
    }
    case 'version':
      return numberColumnTest(columns.number, node, (probe, value) => {
        probe.number = value;
      });
    case 'created':
      return numberColumnTest(columns.createdAt, node, (probe, value) => {
        probe.createdAt = value;
      });
    case 'alias': {
      const aliases = columns.aliases;
      const probe = { ...BLANK };
      return (slot) => {
        probe.aliases = aliases[slot] as string[];
        return matchesComparison(probe, node);
      };
    }
  }
}

/**
 * A numeric column's test: a number literal compared directly, anything else through a
 * probe row. NaN (a missing metric; never a version number or time) fails every comparison.
 */
function numberColumnTest(
  values: Float64Array,
  node: ComparisonNode,
  fill: (probe: SearchFields, value: number) => void,
): SlotTest {
  const test = numberTest(node) ?? probeTest(node, fill);
  return (slot) => {
    const value = values[slot];
    return value === value && test(value);
  };
}

/** A coded key's test: each distinct value judged once; a version without the key fails. */
function codedTest(
  column: CodedColumn | undefined,
  node: ComparisonNode,
  fill: (probe: SearchFields, entry: CodedColumn['values'][number]) => void,
): SlotTest {
  if (!column) return () => false;
  const pass = truthTable(node, column.values, fill);
  const codes = column.codes;
  return (slot) => {
    const code = codes[slot];
    return code >= 0 && pass[code] === 1;
  };
}

/** `node` judged on each entry, through a probe row that holds only that entry's field. */
function truthTable<T>(
  node: ComparisonNode,
  entries: readonly T[],
  fill: (probe: SearchFields, entry: T) => void,
): Uint8Array {
  const pass = new Uint8Array(entries.length);
  const probe = { ...BLANK };
  entries.forEach((entry, code) => {
    fill(probe, entry);
    pass[code] = matchesComparison(probe, node) ? 1 : 0;
  });
  return pass;
}

function probeTest(node: ComparisonNode, fill: (probe: SearchFields, value: number) => void) {
  const probe = { ...BLANK };
  return (value: number) => {
    fill(probe, value);
    return matchesComparison(probe, node);
  };
}

/** A number compared with a number literal, directly; null for every other comparison. */
function numberTest(node: ComparisonNode): ((value: number) => boolean) | null {
  if (isListComparison(node) || typeof node.value !== 'number') return null;
  const bound = node.value;
  switch (node.op) {
    case '=':
      return (value) => value === bound;
    case '!=':
      return (value) => value !== bound;
    case '<':
      return (value) => value < bound;
    case '<=':
      return (value) => value <= bound;
    case '>':
      return (value) => value > bound;
    case '>=':
      return (value) => value >= bound;
    default:
      return null;
  }
}

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
      key: (slot) => sign * values[slot],
    };
  }
  if (sort === 'name') {
    const { names, nameCode, number } = columns;
    const ranks = lowerNameRanks(columns);
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
      key: (slot) => sign * (ranks[nameCode[slot]] * NUMBER_SPAN + number[slot]),
    };
  }

  const values = columns.metrics.get(sort.slice('metrics.'.length));
  if (!values) return { compare: (a, b) => sign * byId(a, b), key: () => 0 };
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
    // Versions without the metric come last in either direction.
    key: (slot) => {
      const value = values[slot];
      return value === value ? sign * value : Infinity;
    },
  };
}

const rankCache = new WeakMap<VersionColumns, { names: number; ranks: Float64Array }>();

/** Each name's place among the distinct lower-cased names; names differing in case share one. */
function lowerNameRanks(columns: VersionColumns): Float64Array {
  const cached = rankCache.get(columns);
  if (cached && cached.names === columns.names.length) return cached.ranks;

  const lowers = [...new Set(columns.names.map((entry) => entry.lower))].sort(compareKeys);
  const place = new Map(lowers.map((lower, index) => [lower, index]));
  const ranks = Float64Array.from(columns.names, (entry) => place.get(entry.lower) as number);
  rankCache.set(columns, { names: columns.names.length, ranks });
  return ranks;
}

/**
 * The first `limit` passing slots in `order`, and how many pass in all. A bounded heap keeps
 * the best `limit` seen so far, so a page costs one pass over the slots, not a full sort.
 */
export function firstSlots(
  columns: VersionColumns,
  test: SlotTest,
  order: SlotOrder,
  limit: number,
): { slots: number[]; total: number } {
  const heap: number[] = [];
  const alive = columns.alive;
  const { compare, key } = order;
  let rootKey = Infinity;
  let total = 0;
  for (let slot = 0; slot < columns.size; slot++) {
    if (alive[slot] === 0 || !test(slot)) continue;
    total += 1;
    if (heap.length < limit) {
      heap.push(slot);
      siftUp(heap, heap.length - 1, compare);
      rootKey = key(heap[0]);
      continue;
    }
    if (limit === 0) continue;
    const slotKey = key(slot);
    if (slotKey > rootKey || (slotKey === rootKey && compare(slot, heap[0]) >= 0)) continue;
    heap[0] = slot;
    siftDown(heap, compare);
    rootKey = key(heap[0]);
  }
  return { slots: heap.sort(compare), total };
}

/** The heap keeps its last slot in `order` at the root, to be replaced first. */
function siftUp(heap: number[], index: number, order: SlotOrder['compare']): void {
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (order(heap[index], heap[parent]) <= 0) return;
    [heap[index], heap[parent]] = [heap[parent], heap[index]];
    index = parent;
  }
}

function siftDown(heap: number[], order: SlotOrder['compare']): void {
  let index = 0;
  for (;;) {
    const left = 2 * index + 1;
    const right = left + 1;
    let last = index;
    if (left < heap.length && order(heap[left], heap[last]) > 0) last = left;
    if (right < heap.length && order(heap[right], heap[last]) > 0) last = right;
    if (last === index) return;
    [heap[index], heap[last]] = [heap[last], heap[index]];
    index = last;
  }
}

/** Two numbers or two strings, in IndexedDB's order for them (UTF-16 code units for text). */
function compareKeys<T extends number | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
