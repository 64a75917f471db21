/**
 * Narrows the index walks of a sort order to the part a filter can match. Without this, a
 * filter on the sort key itself (`name LIKE 'model-04%'` sorted by name, `metrics.acc < 0.1`
 * sorted by accuracy, highest first) makes the walk read every row that sorts before the
 * first match. Bounds are taken from comparisons every match must pass (the filter itself or
 * the children of a top-level AND) and are kept inclusive: rows are still tested with the
 * whole filter, so a bound only needs to contain every match.
 */
import { cmp, type IndexableType } from 'dexie';
import type { FilterNode } from './ast';
import type { WalkSpec } from './order';
import { comparisonRanges, type IndexRange } from './plan';

/** The walks of `walks`, bounded by `filter`; a walk that cannot hold a match is left out. */
export function narrowWalks(walks: WalkSpec[], filter: FilterNode | null): WalkSpec[] {
  if (!filter) return walks;
  const required = filter.type === 'and' ? filter.children : [filter];
  const ranges: IndexRange[] = [];
  const metricKeys = new Set<string>();
  for (const node of required) {
    if (node.type !== 'comparison') continue;
    if (node.field === 'metric' && node.key) metricKeys.add(node.key);
    const found = comparisonRanges(node);
    if (found?.length === 1) ranges.push(found[0]);
  }

  const narrowed: WalkSpec[] = [];
  for (const walk of walks) {
    // The walk of versions lacking the sort metric: useless when the filter needs it.
    if (walk.index === ':id' && walk.include && requiresSortMetric(walks, metricKeys)) continue;
    let { lower, upper } = walk;
    for (const range of ranges) {
      const bounds = boundsOn(walk.index, walk.lower, range);
      if (!bounds) continue;
      if (cmp(bounds.lower, lower) > 0) lower = bounds.lower;
      if (cmp(bounds.upper, upper) < 0) upper = bounds.upper;
    }
    if (cmp(lower, upper) <= 0) narrowed.push({ ...walk, lower, upper });
  }
  return narrowed;
}

function requiresSortMetric(walks: WalkSpec[], metricKeys: Set<string>): boolean {
  const metricWalk = walks.find((walk) => walk.index === 'mkv');
  const key = Array.isArray(metricWalk?.lower) ? String(metricWalk.lower[0]) : null;
  return key !== null && metricKeys.has(key);
}

/** A range of a comparison as bounds on the walk's index, or null when unrelated. */
function boundsOn(
  index: string,
  walkLower: IndexableType,
  range: IndexRange,
): { lower: IndexableType; upper: IndexableType } | null {
  if (range.index !== index) {
    if (index === '[nameLower+number]' && range.index === 'nameLower') {
      const lower = [range.lower, -Infinity] as IndexableType;
      const upper = [range.upper, Infinity] as IndexableType;
      return { lower, upper };
    }
    return null;
  }
  // Pair indexes hold every key's values: a range on another key says nothing here.
  if (Array.isArray(range.lower) && Array.isArray(walkLower)) {
    if (cmp(range.lower[0], walkLower[0]) !== 0) return null;
  }
  return { lower: range.lower, upper: range.upper };
}
