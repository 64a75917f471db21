/**
 * Evaluates a filter on one version row, in memory. This is the meaning of the filter: the
 * index plans in `plan.ts` only narrow down which rows get here, and every row a search
 * returns has passed `matchesFilter`.
 *
 * Tags, parameters and metrics are read from the `[key, value]` pairs the indexes hold
 * (`tkv`, `pkv`, `mkv`), so that the in-memory test and the index agree on every row.
 */
import type { IndexPair, VersionRow } from '../../store/schema';
import { indexValue } from '../../store/index-value';
import {
  isListComparison,
  type ComparisonNode,
  type FilterNode,
  type Literal,
  type ScalarOperator,
} from './ast';
import { compileLike, type LikeMatcher } from './like';

type PairValue = IndexPair[1];

/** The fields of a version row that filters and sort orders read. */
export type SearchFields = Pick<
  VersionRow,
  | 'id'
  | 'modelName'
  | 'nameLower'
  | 'number'
  | 'createdAt'
  | 'archived'
  | 'aliases'
  | 'params'
  | 'tkv'
  | 'pkv'
  | 'mkv'
>;

const matchers = new WeakMap<ComparisonNode, LikeMatcher>();

/** True when `row` satisfies `filter`. Archived rows are not this function's concern. */
export function matchesFilter(row: SearchFields, filter: FilterNode): boolean {
  if (filter.type === 'and') return filter.children.every((child) => matchesFilter(row, child));
  if (filter.type === 'or') return filter.children.some((child) => matchesFilter(row, child));
  return matchesComparison(row, filter);
}

/**
 * The value a literal compares as on a parameter: parameters are indexed through
 * `indexValue`, so `params.lr = '0.010'` and `params.lr = 0.01` both mean the number 0.01.
 */
export function paramLiteral(value: Literal): PairValue {
  return typeof value === 'string' ? indexValue(value) : value;
}

/** The values stored under `key`; NaN is skipped because IndexedDB cannot index it. */
export function pairValues(pairs: readonly IndexPair[], key: string): PairValue[] {
  const values: PairValue[] = [];
  for (const [pairKey, value] of pairs) {
    if (pairKey === key && !(typeof value === 'number' && Number.isNaN(value))) values.push(value);
  }
  return values;
}

/** The latest value of metric `key` on `row`, or undefined when the version lacks it. */
export function metricValue(row: Pick<VersionRow, 'mkv'>, key: string): number | undefined {
  return pairValues(row.mkv, key).find((value): value is number => typeof value === 'number');
}

export function matchesComparison(row: SearchFields, node: ComparisonNode): boolean {
  switch (node.field) {
    case 'name':
      return node.op === 'ILIKE'
        ? likeMatcher(node)(row.nameLower)
        : testValue(row.modelName, node, (value) => value);
    case 'version':
      return testValue(row.number, node, (value) => value);
    case 'created':
      return testValue(row.createdAt, node, (value) => value);
    case 'alias':
      return testAliases(row.aliases, node);
    case 'tag':
      return testPairs(pairValues(row.tkv, node.key ?? ''), node, (value) => value);
    case 'metric':
      return testPairs(pairValues(row.mkv, node.key ?? ''), node, (value) => value);
    case 'param':
      return testParam(row, node);
  }
}

/** One value (name, version number, creation time) against the comparison. */
function testValue(
  actual: PairValue,
  node: ComparisonNode,
  normalize: (value: Literal) => PairValue,
): boolean {
  if (isListComparison(node)) {
    const listed = node.values.some((value) => normalize(value) === actual);
    return node.op === 'IN' ? listed : !listed;
  }
  if (node.op === 'LIKE' || node.op === 'ILIKE') {
    return typeof actual === 'string' && likeMatcher(node)(actual);
  }
  return compare(actual, node.op, normalize(node.value));
}

/**
 * A keyed field (tag, parameter, metric): the version must hold the key, and one of its
 * values must satisfy the comparison. So `tags.team != 'nlp'` needs a `team` tag, as in
 * MLflow, and `NOT IN` likewise.
 */
function testPairs(
  values: PairValue[],
  node: ComparisonNode,
  normalize: (value: Literal) => PairValue,
): boolean {
  return values.some((value) => testValue(value, node, normalize));
}

/** LIKE on a parameter matches the text as recorded, not its indexed number. */
function testParam(row: SearchFields, node: ComparisonNode): boolean {
  const key = node.key ?? '';
  if (node.op === 'LIKE' || node.op === 'ILIKE') {
    const recorded = row.params[key];
    const indexed = pairValues(row.pkv, key).length > 0;
    return indexed && typeof recorded === 'string' && testValue(recorded, node, paramLiteral);
  }
  return testPairs(pairValues(row.pkv, key), node, paramLiteral);
}

/**
 * Aliases are a set: `alias = 'x'` means the version carries `x`, `alias != 'x'` that it
 * does not, `NOT IN` that it carries none of them.
 */
function testAliases(aliases: readonly string[], node: ComparisonNode): boolean {
  switch (node.op) {
    case '=':
      return aliases.includes(node.value as string);
    case '!=':
      return !aliases.includes(node.value as string);
    case 'IN':
      return node.values.some((value) => aliases.includes(value as string));
    case 'NOT IN':
      return !node.values.some((value) => aliases.includes(value as string));
    case 'LIKE':
    case 'ILIKE':
      return aliases.some(likeMatcher(node));
    default:
      return false;
  }
}

/**
 * Equality across types is plain inequality, but order comparisons only hold between values
 * of the same type: `params.lr < 0.01` never matches a parameter recorded as text.
 */
function compare(actual: PairValue, op: ScalarOperator, expected: PairValue): boolean {
  if (op === '=') return actual === expected;
  if (op === '!=') return actual !== expected;

  const sign = order(actual, expected);
  if (sign === null) return false;
  if (op === '<') return sign < 0;
  if (op === '<=') return sign <= 0;
  if (op === '>') return sign > 0;
  if (op === '>=') return sign >= 0;
  return false;
}

/** -1, 0 or 1 for two numbers or two strings; null when the types differ. */
function order(a: PairValue, b: PairValue): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

function likeMatcher(node: ComparisonNode): LikeMatcher {
  let matcher = matchers.get(node);
  if (!matcher) {
    const pattern = isListComparison(node) ? '' : String(node.value);
    matcher = compileLike(pattern, node.op === 'ILIKE');
    matchers.set(node, matcher);
  }
  return matcher;
}
