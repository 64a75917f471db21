/**
 * Index plans: which key ranges of the versions table hold every row a filter can match.
 * A plan only narrows; the rows it yields are still tested with `matchesFilter`, so a range
 * may be wider than the comparison (a whole key of `tkv` for `tags.team != 'nlp'`) but must
 * never miss a match.
 *
 * Each comparison lists at most `probe + 1` primary keys of its ranges (index entries only,
 * no rows): IndexedDB's `count()` walks every entry of a range, so bounding the listing is
 * cheaper than counting a broad range and tells all the planner needs, "few" or "many".
 * For AND the narrowest child is chosen and intersected with the other children already
 * listed in full; OR is the union of its children, so it is only indexable when every
 * child is.
 */
import type { IndexableType, IndexableTypePart } from 'dexie';
import type { WorkspaceDb } from '../../store/schema';
import {
  isListComparison,
  type ComparisonNode,
  type FilterNode,
  type Literal,
  type ScalarOperator,
} from './ast';
import { literalPrefix } from './like';
import { paramLiteral } from './match';

export type VersionTable = WorkspaceDb['versions'];

/** One key range on one index of the versions table. */
export interface IndexRange {
  index: string;
  lower: IndexableType;
  upper: IndexableType;
  includeLower: boolean;
  includeUpper: boolean;
}

/** Where the candidates of a filter come from, and about how many there are. */
export interface CandidatePlan {
  /**
   * An upper bound on the number of candidates when `exact`; otherwise only known to be
   * above the probe limit.
   */
  estimate: number;
  /** True when the keys are already listed in full (and `estimate` is their count). */
  exact: boolean;
  /** The primary keys of every candidate; reads index entries only, no rows. */
  keys(): Promise<Set<string>>;
}

/** A plan whose estimate is above this is not listed; the search walks the sort order. */
export const KEY_FETCH_LIMIT = 20_000;

/**
 * Another AND child is intersected only when it lists at most this many times the keys
 * already in hand: listing keys is far cheaper than reading rows, but not free.
 */
export const INTERSECT_FACTOR = 8;

/** Above every string and number, so `[key, ABOVE_STRINGS]` closes a key's pairs. */
const ABOVE_STRINGS: IndexableTypePart = [];

/** Plans `filter`, or returns null when some part of it no index can narrow. */
export async function planFilter(
  table: VersionTable,
  filter: FilterNode,
  probe: number,
): Promise<CandidatePlan | null> {
  if (filter.type === 'comparison') {
    const ranges = comparisonRanges(filter);
    if (!ranges) return null;
    const lists = await Promise.all(
      ranges.map((range) =>
        collect(table, range)
          .limit(probe + 1)
          .primaryKeys(),
      ),
    );
    if (lists.some((list) => list.length > probe)) {
      return { estimate: probe + 1, exact: false, keys: () => rangeKeys(table, ranges) };
    }
    const keys = new Set(lists.flat());
    return { estimate: keys.size, exact: true, keys: async () => keys };
  }

  const children = await Promise.all(
    filter.children.map((child) => planFilter(table, child, probe)),
  );
  const usable = children.filter((child): child is CandidatePlan => child !== null);

  if (filter.type === 'or') {
    if (usable.length < children.length) return null;
    return {
      estimate: sum(usable.map((child) => child.estimate)),
      exact: usable.every((child) => child.exact),
      keys: async () => union(await Promise.all(usable.map((child) => child.keys()))),
    };
  }

  if (usable.length === 0) return null;
  usable.sort((a, b) => a.estimate - b.estimate);
  return {
    estimate: usable[0].estimate,
    exact: usable[0].exact,
    keys: () => intersect(usable),
  };
}

/** The index ranges that hold every match of one comparison, or null when none do. */
export function comparisonRanges(node: ComparisonNode): IndexRange[] | null {
  switch (node.field) {
    case 'name':
      return nameRanges(node);
    case 'alias':
      return aliasRanges(node);
    case 'version':
      return numberRanges('number', node);
    case 'created':
      return numberRanges('createdAt', node);
    case 'tag':
      return pairRanges('tkv', node, (value) => value, true);
    case 'param':
      // Numeric-looking parameters are indexed as numbers, so no text prefix finds them all.
      return pairRanges('pkv', node, paramLiteral, false);
    case 'metric':
      return pairRanges('mkv', node, (value) => value, false);
  }
}

/**
 * `nameLower` is `modelName` lower-cased, so it narrows case-sensitive and case-insensitive
 * comparisons alike. Only the ASCII part of a LIKE prefix is used: lower-casing other
 * scripts can depend on the letters around (Greek final sigma).
 */
function nameRanges(node: ComparisonNode): IndexRange[] | null {
  if (isListComparison(node)) {
    if (node.op === 'NOT IN') return null;
    return node.values.map((value) => point('nameLower', String(value).toLowerCase()));
  }
  if (node.op === '=') return [point('nameLower', String(node.value).toLowerCase())];
  if (node.op !== 'LIKE' && node.op !== 'ILIKE') return null;

  const prefix = asciiPart(literalPrefix(String(node.value))).toLowerCase();
  return prefix === '' ? null : [prefixRange('nameLower', prefix)];
}

function aliasRanges(node: ComparisonNode): IndexRange[] | null {
  if (isListComparison(node)) {
    return node.op === 'IN' ? node.values.map((value) => point('aliases', value)) : null;
  }
  if (node.op === '=') return [point('aliases', node.value)];
  if (node.op !== 'LIKE') return null;

  const prefix = literalPrefix(String(node.value));
  return prefix === '' ? null : [prefixRange('aliases', prefix)];
}

function numberRanges(index: string, node: ComparisonNode): IndexRange[] | null {
  if (isListComparison(node)) {
    return node.op === 'IN' ? node.values.map((value) => point(index, value)) : null;
  }
  if (node.op === '=') return [point(index, node.value)];
  if (!isOrdering(node.op)) return null;
  const highest = { key: Infinity, included: true };
  return [orderedRange(index, node.op, node.value, -Infinity, highest)];
}

/**
 * Ranges over a multi-entry index of `[key, value]` pairs. Every comparison on a key needs
 * the key, so the key's whole span of pairs is the fallback for what has no tighter range.
 */
function pairRanges(
  index: string,
  node: ComparisonNode,
  normalize: (value: Literal) => string | number,
  textPrefixes: boolean,
): IndexRange[] {
  const key = node.key ?? '';
  const pair = (value: IndexableTypePart): IndexableType => [key, value];
  const wholeKey = range(index, pair(-Infinity), pair(ABOVE_STRINGS), true, false);

  if (isListComparison(node)) {
    return node.op === 'IN'
      ? node.values.map((value) => point(index, pair(normalize(value))))
      : [wholeKey];
  }
  if (node.op === '=') return [point(index, pair(normalize(node.value)))];

  if (isOrdering(node.op)) {
    const value = normalize(node.value);
    if (typeof value === 'string') {
      const highest = { key: pair(ABOVE_STRINGS), included: false };
      return [orderedRange(index, node.op, pair(value), pair(''), highest)];
    }
    const highest = { key: pair(Infinity), included: true };
    return [orderedRange(index, node.op, pair(value), pair(-Infinity), highest)];
  }

  const prefix = node.op === 'LIKE' && textPrefixes ? literalPrefix(String(node.value)) : '';
  if (prefix === '') return [wholeKey];
  const upper = prefixUpper(prefix);
  return [range(index, pair(prefix), pair(upper ?? ABOVE_STRINGS), true, false)];
}

/**
 * The range for `<`, `<=`, `>`, `>=` against `bound`. Numbers and text sort apart in
 * IndexedDB, so `lowest` and `highest` keep the range within the bound's own type.
 */
function orderedRange(
  index: string,
  op: '<' | '<=' | '>' | '>=',
  bound: IndexableType,
  lowest: IndexableType,
  highest: { key: IndexableType; included: boolean },
): IndexRange {
  if (op === '<' || op === '<=') return range(index, lowest, bound, true, op === '<=');
  return range(index, bound, highest.key, op === '>=', highest.included);
}

function isOrdering(op: ScalarOperator): op is '<' | '<=' | '>' | '>=' {
  return op === '<' || op === '<=' || op === '>' || op === '>=';
}

/** Every string starting with `prefix` lies in `[prefix, prefixUpper(prefix))`. */
function prefixRange(index: string, prefix: string): IndexRange {
  return range(index, prefix, prefixUpper(prefix) ?? ABOVE_STRINGS, true, false);
}

/** The least string above every string that starts with `prefix`; null when there is none. */
function prefixUpper(prefix: string): string | null {
  let end = prefix.length;
  while (end > 0 && prefix.charCodeAt(end - 1) === 0xffff) end -= 1;
  if (end === 0) return null;
  return prefix.slice(0, end - 1) + String.fromCharCode(prefix.charCodeAt(end - 1) + 1);
}

function asciiPart(text: string): string {
  let end = 0;
  while (end < text.length && text.charCodeAt(end) < 0x80) end += 1;
  return text.slice(0, end);
}

function point(index: string, key: IndexableType): IndexRange {
  return range(index, key, key, true, true);
}

function range(
  index: string,
  lower: IndexableType,
  upper: IndexableType,
  includeLower: boolean,
  includeUpper: boolean,
): IndexRange {
  return { index, lower, upper, includeLower, includeUpper };
}

function collect(table: VersionTable, range: IndexRange) {
  return table
    .where(range.index)
    .between(range.lower, range.upper, range.includeLower, range.includeUpper);
}

async function rangeKeys(table: VersionTable, ranges: IndexRange[]): Promise<Set<string>> {
  const lists = await Promise.all(ranges.map((range) => collect(table, range).primaryKeys()));
  return new Set(lists.flat());
}

async function intersect(plans: CandidatePlan[]): Promise<Set<string>> {
  let keys = await plans[0].keys();

  for (const plan of plans.slice(1)) {
    // Only children already listed are free to intersect; the others are tested on rows.
    const affordable =
      plan.exact &&
      plan.estimate <= KEY_FETCH_LIMIT &&
      plan.estimate <= keys.size * INTERSECT_FACTOR;
    if (keys.size === 0 || !affordable) break;
    const other = await plan.keys();
    keys = new Set([...keys].filter((key) => other.has(key)));
  }
  return keys;
}

function union(sets: Set<string>[]): Set<string> {
  const all = new Set<string>();
  for (const set of sets) for (const key of set) all.add(key);
  return all;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
