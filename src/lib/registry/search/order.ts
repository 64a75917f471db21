/**
 * Sort orders of search results. Each order is one comparator, used to sort candidate rows
 * in memory, and the index walks that visit rows in that same order, so that both search
 * paths return the same pages. Ties are broken by version id, so every order is total.
 */
import type { IndexableType, IndexableTypePart } from 'dexie';
import type { VersionRow } from '../../store/schema';
import { InvalidInputError } from '../errors';
import type { SortField } from '../types';
import { metricValue } from './match';

export type SortDirection = 'asc' | 'desc';

/** A walk over one index of the versions table, both bounds included. */
export interface WalkSpec {
  /** An index of the versions table; `:id` is the primary key. */
  index: string;
  lower: IndexableType;
  upper: IndexableType;
  /** The row's key in this index, within `[lower, upper]`. */
  keyOf(row: VersionRow): IndexableType;
  /** Rows the walk visits but that belong to another walk of the same order. */
  include?(row: VersionRow): boolean;
  /**
   * True when rows with equal keys come in the sort order as the index lists them (by id,
   * in the walk's direction), so a long run of one key need not be read whole.
   */
  tiesInIndexOrder: boolean;
}

export interface SortPlan {
  /** Negative when `a` comes first. */
  compare(a: VersionRow, b: VersionRow): number;
  /** Index walks whose concatenation visits every version in `compare` order. */
  walks: WalkSpec[];
  descending: boolean;
}

/** Above every string and number in IndexedDB's key order. */
const ABOVE_STRINGS: IndexableTypePart = [];

/** Newest first for `created` and best first for metrics; A to Z and 1, 2, 3 otherwise. */
export function defaultDirection(sort: SortField): SortDirection {
  return sort === 'created' || sort.startsWith('metrics.') ? 'desc' : 'asc';
}

/**
 * The comparator and index walks for `sort`. Versions lacking the sort metric come after all
 * that have it, in either direction, so that sorting never drops a match.
 */
export function sortPlan(sort: SortField, direction: SortDirection): SortPlan {
  const sign = direction === 'desc' ? -1 : 1;
  const descending = direction === 'desc';

  if (sort === 'created') {
    const compare = (a: VersionRow, b: VersionRow) =>
      sign * (compareKeys(a.createdAt, b.createdAt) || byId(a, b));
    return { compare, descending, walks: [numberWalk('createdAt', (row) => row.createdAt)] };
  }
  if (sort === 'version') {
    const compare = (a: VersionRow, b: VersionRow) =>
      sign * (compareKeys(a.number, b.number) || byId(a, b));
    return { compare, descending, walks: [numberWalk('number', (row) => row.number)] };
  }
  if (sort === 'name') {
    // Case-insensitive name, then version number: the order of `[nameLower+number]`. Names
    // that differ only in case share keys; those runs are sorted by exact name, then id.
    const compare = (a: VersionRow, b: VersionRow) =>
      sign *
      (compareKeys(a.nameLower, b.nameLower) ||
        compareKeys(a.number, b.number) ||
        compareKeys(a.modelName, b.modelName) ||
        byId(a, b));
    const walk: WalkSpec = {
      index: '[nameLower+number]',
      lower: ['', -Infinity],
      upper: [ABOVE_STRINGS, Infinity],
      keyOf: nameKey,
      tiesInIndexOrder: false,
    };
    return { compare, descending, walks: [walk] };
  }

  const key = metricKey(sort);
  return { compare: metricComparator(key, sign), descending, walks: metricWalks(key) };
}

function metricKey(sort: string): string {
  const key = sort.startsWith('metrics.') ? sort.slice('metrics.'.length) : '';
  if (key === '') {
    throw new InvalidInputError(
      `Cannot sort by "${sort}"; sort by created, name, version or metrics.<key>.`,
      'sort',
    );
  }
  return key;
}

function metricComparator(key: string, sign: number) {
  return (a: VersionRow, b: VersionRow): number => {
    const left = metricValue(a, key);
    const right = metricValue(b, key);
    if (left === undefined && right !== undefined) return 1;
    if (left !== undefined && right === undefined) return -1;

    const byValue = left !== undefined && right !== undefined ? compareKeys(left, right) : 0;
    return sign * (byValue || byId(a, b));
  };
}

/** First the versions holding the metric, through `mkv`; then the rest, by id. */
function metricWalks(key: string): WalkSpec[] {
  const withMetric: WalkSpec = {
    index: 'mkv',
    lower: [key, -Infinity],
    upper: [key, Infinity],
    keyOf: (row) => [key, metricValue(row, key) ?? NaN],
    tiesInIndexOrder: true,
  };
  const withoutMetric: WalkSpec = {
    index: ':id',
    lower: '',
    upper: ABOVE_STRINGS,
    keyOf: (row) => row.id,
    include: (row) => metricValue(row, key) === undefined,
    tiesInIndexOrder: true,
  };
  return [withMetric, withoutMetric];
}

function numberWalk(index: string, keyOf: (row: VersionRow) => number): WalkSpec {
  return { index, lower: -Infinity, upper: Infinity, keyOf, tiesInIndexOrder: true };
}

function nameKey(row: VersionRow): IndexableType {
  return [row.nameLower, row.number];
}

function byId(a: VersionRow, b: VersionRow): number {
  return compareKeys(a.id, b.id);
}

/** Two numbers or two strings, in IndexedDB's order for them (UTF-16 code units for text). */
function compareKeys<T extends number | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
