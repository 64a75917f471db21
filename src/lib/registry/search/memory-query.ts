/**
 * Filters over `VersionColumns`. A filter becomes a mask, one byte a slot, and each
 * comparison fills its mask in one tight loop over a typed array: a call per slot through a
 * chain of closures cost several milliseconds over 100,000 versions, these loops a fraction
 * of that. Where the field is dictionary-coded (names, tags, parameters) the comparison
 * itself runs once per distinct value, through `matchesComparison`, so the meaning of every
 * operator stays defined in one place (`match.ts`). Numbers compared with a number take a
 * direct path; everything else goes through `matchesComparison` on a probe row.
 *
 * `memory-order.ts` then finds the page among the slots the mask lets through.
 */
import { isListComparison, type ComparisonNode, type FilterNode } from './ast';
import type { CodedColumn, VersionColumns } from './columns';
import { matchesComparison, matchesFilter, type SearchFields } from './match';

/** One byte a slot: 1 where the version in that slot passes the filter, 0 elsewhere. */
export type SlotMask = Uint8Array;

/** The slots a search may answer with. */
export interface SlotFilter {
  /** Null when there is no filter. Freed and archived slots are left to `firstSlots`. */
  mask: SlotMask | null;
  includeArchived: boolean;
}

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

/**
 * Masks reused from search to search, one a level of the filter: a fresh 100,000-slot
 * array each time made the garbage collector stop searches now and then.
 */
const scratches = new WeakMap<VersionColumns, SlotMask[]>();

function maskAt(columns: VersionColumns, depth: number): SlotMask {
  let masks = scratches.get(columns);
  if (!masks || masks[0].length < columns.size) {
    masks = [new Uint8Array(columns.capacity)];
    scratches.set(columns, masks);
  }
  masks[depth] ??= new Uint8Array(masks[0].length);
  return masks[depth];
}

/**
 * The slots passing `filter` (null: every version). The mask is reused by the next call on
 * the same columns.
 */
export function compileFilter(
  columns: VersionColumns,
  filter: FilterNode | null,
  includeArchived: boolean,
): SlotFilter {
  if (!filter) return { mask: null, includeArchived };
  const mask = compileNode(columns, filter, 0);
  for (const [slot, row] of columns.irregular) mask[slot] = matchesFilter(row, filter) ? 1 : 0;
  return { mask, includeArchived };
}

/** Fills the mask of level `depth` for `node`; its children use the levels below. */
function compileNode(columns: VersionColumns, node: FilterNode, depth: number): SlotMask {
  if (node.type === 'comparison') return compileComparison(columns, node, maskAt(columns, depth));
  const size = columns.size;
  const [first, ...rest] = node.children;
  const mask = compileNode(columns, first, depth);
  for (const child of rest) {
    const other = compileNode(columns, child, depth + 1);
    if (node.type === 'and') for (let slot = 0; slot < size; slot++) mask[slot] &= other[slot];
    else for (let slot = 0; slot < size; slot++) mask[slot] |= other[slot];
  }
  return mask;
}

function compileComparison(
  columns: VersionColumns,
  node: ComparisonNode,
  mask: SlotMask,
): SlotMask {
  const key = node.key ?? '';
  const size = columns.size;
  switch (node.field) {
    case 'name': {
      const pass = truthTable(node, columns.names, (probe, entry) => {
        probe.modelName = entry.name;
        probe.nameLower = entry.lower;
      });
      const codes = columns.nameCode;
      for (let slot = 0; slot < size; slot++) mask[slot] = pass[codes[slot]];
      return mask;
    }
    case 'tag':
      return codedMask(columns.tags.get(key), size, node, mask, (probe, { value }) => {
        probe.tkv = [[key, value]];
      });
    case 'param':
      return codedMask(columns.params.get(key), size, node, mask, (probe, { value, text }) => {
        probe.pkv = [[key, value]];
        probe.params = text === undefined ? {} : { [key]: text };
      });
    case 'metric': {
      const values = columns.metrics.get(key);
      if (!values) return mask.fill(0, 0, size);
      // NaN marks a missing metric; no comparison holds on what a version lacks.
      return numberMask(values, size, node, mask, (probe, value) => {
        probe.mkv = [[key, value]];
      });
    }
    case 'version':
      return numberMask(columns.number, size, node, mask, (probe, value) => {
        probe.number = value;
      });
    case 'created':
      return numberMask(columns.createdAt, size, node, mask, (probe, value) => {
        probe.createdAt = value;
      });
    case 'alias': {
      const aliases = columns.aliases;
      const probe = { ...BLANK };
      for (let slot = 0; slot < size; slot++) {
        // A freed slot may hold no list; the mask of empty slots is cleared later anyway.
        probe.aliases = (aliases[slot] ?? []) as string[];
        mask[slot] = matchesComparison(probe, node) ? 1 : 0;
      }
      return mask;
    }
  }
}

/** A coded key's mask: each distinct value judged once; a version without the key fails. */
function codedMask(
  column: CodedColumn | undefined,
  size: number,
  node: ComparisonNode,
  mask: SlotMask,
  fill: (probe: SearchFields, entry: CodedColumn['values'][number]) => void,
): SlotMask {
  if (!column) return mask.fill(0, 0, size);
  // One more entry, for the code -1 of an absent key, read as `pass[code + 1]`.
  const pass = new Uint8Array(column.values.length + 1);
  pass.set(truthTable(node, column.values, fill), 1);
  const codes = column.codes;
  for (let slot = 0; slot < size; slot++) mask[slot] = pass[codes[slot] + 1];
  return mask;
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

/**
 * A numeric column's mask: a number literal compared directly, one loop an operator, and
 * anything else through a probe row. NaN (a missing metric; never a version number or
 * time) fails every comparison, `!=` included.
 */
function numberMask(
  values: Float64Array,
  size: number,
  node: ComparisonNode,
  mask: SlotMask,
  fill: (probe: SearchFields, value: number) => void,
): SlotMask {
  const literal = isListComparison(node) ? null : node.value;
  const bound = typeof literal === 'number' ? literal : NaN;
  const op = typeof literal === 'number' ? node.op : null;
  // Each comparison with NaN is false except `!=`, which is therefore written as two.
  switch (op) {
    case '=':
      for (let slot = 0; slot < size; slot++) mask[slot] = values[slot] === bound ? 1 : 0;
      return mask;
    case '!=':
      for (let slot = 0; slot < size; slot++) {
        mask[slot] = values[slot] < bound || values[slot] > bound ? 1 : 0;
      }
      return mask;
    case '<':
      for (let slot = 0; slot < size; slot++) mask[slot] = values[slot] < bound ? 1 : 0;
      return mask;
    case '<=':
      for (let slot = 0; slot < size; slot++) {
        mask[slot] = values[slot] <= bound ? 1 : 0;
      }
      return mask;
    case '>':
      for (let slot = 0; slot < size; slot++) mask[slot] = values[slot] > bound ? 1 : 0;
      return mask;
    case '>=':
      for (let slot = 0; slot < size; slot++) {
        mask[slot] = values[slot] >= bound ? 1 : 0;
      }
      return mask;
  }

  const probe = { ...BLANK };
  for (let slot = 0; slot < size; slot++) {
    const value = values[slot];
    fill(probe, value);
    mask[slot] = value === value && matchesComparison(probe, node) ? 1 : 0;
  }
  return mask;
}
