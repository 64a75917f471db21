/**
 * Runs a parsed filter against the versions table and returns one sorted page.
 *
 * Three paths give the same pages:
 * - memory: once the in-memory copy of the searchable fields is built (`memory-index.ts`),
 *   the filter runs over its columns and only the page's rows are read; the total is exact.
 *   Reading from IndexedDB costs 5 to 15 µs a row in Chromium, so any filter that has to look
 *   at thousands of rows is far faster here. Until the copy is ready, the two paths below.
 * - candidates: when an index narrows the filter to a few keys, those rows are read with
 *   `bulkGet`, tested, sorted in memory and sliced; the total is then exact.
 * - walk: otherwise (no filter, a filter no index serves, or too many candidates) the sort
 *   order's index is walked and rows are tested one by one until the page and one more
 *   match are found; the total is known only when the walk reaches the end.
 * The table is never read whole to answer a page that a walk can answer.
 */
import { logger } from '../../logging/logger';
import type { VersionRow, WorkspaceDb } from '../../store/schema';
import { InvalidInputError } from '../errors';
import type { SearchPath, SortField } from '../types';
import type { FilterNode } from './ast';
import { matchesFilter } from './match';
import { sortPlan, defaultDirection, type SortDirection, type SortPlan } from './order';
import { KEY_FETCH_LIMIT, planFilter, type VersionTable } from './plan';
import { narrowWalks } from './narrow';
import { walkIndex } from './walk';
import type { VersionColumns } from './columns';
import { memoryIndexOf, type MemoryIndex } from './memory-index';
import { compileFilter } from './memory-query';
import { firstSlots, slotOrder } from './memory-order';

const log = logger('search');

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 200;

/**
 * When a search reads candidates instead of walking the sort order. Tests force one path or
 * the other to check that both give the same pages; benchmarks tune the numbers.
 */
export interface SearchStrategy {
  /**
   * Candidate sets up to this size are read and sorted in memory. Past it, walking the sort
   * order usually reaches a page sooner, since it stops once the page is full.
   */
  candidateLimit: number;
  /** Index plans estimated above this many entries are not listed at all. */
  keyFetchLimit: number;
  /**
   * The in-memory path: `when-ready` uses it once built and starts the build otherwise;
   * `wait` builds it first; `off` (the default) never uses it.
   */
  memory?: 'off' | 'when-ready' | 'wait';
}

export const DEFAULT_STRATEGY: SearchStrategy = {
  candidateLimit: 1_000,
  keyFetchLimit: KEY_FETCH_LIMIT,
  memory: 'when-ready',
};

export interface SearchOptions {
  /** Default `created`. */
  sort?: SortField;
  /** Default newest first for `created`, highest first for metrics, ascending otherwise. */
  order?: SortDirection;
  /** Zero-based page index; default 0. */
  page?: number;
  /** Default 25, at most 200. */
  pageSize?: number;
  /** Archived versions are left out unless this is true. */
  includeArchived?: boolean;
}

export interface SearchResult {
  rows: VersionRow[];
  /** True when another page follows. */
  hasMore: boolean;
  /** Every match, counted when that was free (memory, candidates, a walk to the end). */
  total: number | null;
  /** Which path answered: for tests, benchmarks and the debug log. */
  via: SearchPath;
}

interface PageRequest {
  strategy: SearchStrategy;
  filter: FilterNode | null;
  sort: SortField;
  direction: SortDirection;
  includeArchived: boolean;
  pageSize: number;
  /** Matches before the page, then the page, then one more to learn `hasMore`. */
  skip: number;
  accept(row: VersionRow): boolean;
  order: SortPlan;
}

/**
 * One page of the versions matching `filter` (null: every version), in a consistent
 * snapshot of the table. Throws `InvalidInputError` for a bad sort, page or page size.
 *
 * @example
 *   const filter = parseFilter("tags.team = 'nlp' AND metrics.f1 > 0.9");
 *   const { rows, hasMore } = await searchVersions(db, filter, { sort: 'metrics.f1' });
 */
export async function searchVersions(
  db: WorkspaceDb,
  filter: FilterNode | null,
  options: SearchOptions = {},
  strategy: SearchStrategy = DEFAULT_STRATEGY,
): Promise<SearchResult> {
  const request = pageRequest(filter, options, strategy);
  const mode = strategy.memory ?? 'off';
  const memory = mode === 'off' ? null : memoryIndexOf(db);
  if (memory && mode === 'wait') await memory.warm();

  const attempt = () =>
    db.transaction('r', [db.versions, db.meta], async () => {
      const columns = await memory?.current();
      if (memory && columns) {
        const page = await memoryPage(db.versions, memory, columns, request);
        if (page) return page;
      }
      if (filter) {
        const candidates = await findCandidates(db.versions, filter, request);
        if (candidates) return candidatePage(db.versions, candidates, request);
      }
      return walkPage(db.versions, request, filter);
    });

  // A search while the copy builds pauses the build; `wait` has already let it finish.
  const release = memory?.hold();
  let result: SearchResult;
  try {
    result = await attempt();
  } finally {
    release?.();
  }
  // The copy was found stale inside the transaction and is being built again.
  if (memory && mode === 'wait' && result.via !== 'memory') {
    await memory.warm();
    result = await attempt();
  }
  if (memory && !memory.ready) memory.warmSoon();
  return result;
}

function pageRequest(
  filter: FilterNode | null,
  options: SearchOptions,
  strategy: SearchStrategy,
): PageRequest {
  const page = options.page ?? 0;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(page) || page < 0) {
    throw new InvalidInputError(`Page ${page} does not exist; pages count from 0.`, 'page');
  }
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new InvalidInputError(
      `A page holds from 1 to ${MAX_PAGE_SIZE} versions, not ${pageSize}.`,
      'pageSize',
    );
  }

  const sort = options.sort ?? 'created';
  const direction = options.order ?? defaultDirection(sort);
  const order = sortPlan(sort, direction);
  const includeArchived = options.includeArchived ?? false;
  const accept = (row: VersionRow) =>
    (includeArchived || row.archived === 0) && (filter === null || matchesFilter(row, filter));
  return {
    strategy,
    filter,
    sort,
    direction,
    includeArchived,
    pageSize,
    skip: page * pageSize,
    accept,
    order,
  };
}

/** The candidate keys when an index narrows the filter enough, otherwise null. */
async function findCandidates(
  table: VersionTable,
  filter: FilterNode,
  request: PageRequest,
): Promise<Set<string> | null> {
  // A deep page costs a walk at least as many rows as it skips, so allow more candidates.
  const deepPage = 2 * (request.skip + request.pageSize + 1);
  const limit = Math.min(
    request.strategy.keyFetchLimit,
    Math.max(request.strategy.candidateLimit, deepPage),
  );
  const plan = await planFilter(table, filter, limit);
  if (!plan || plan.estimate > limit) {
    log.debug('walking: no narrow index plan', { estimate: plan?.estimate ?? null, limit });
    return null;
  }

  const keys = await plan.keys();
  if (keys.size > limit) {
    log.debug('walking: too many candidates', { candidates: keys.size, limit });
    return null;
  }
  return keys;
}

/**
 * The page from the in-memory columns; its rows are then read and tested again, and any
 * disagreement (which would be a bug) drops the copy and leaves the page to the other paths.
 */
async function memoryPage(
  table: VersionTable,
  memory: MemoryIndex,
  columns: VersionColumns,
  request: PageRequest,
): Promise<SearchResult | null> {
  const filter = compileFilter(columns, request.filter, request.includeArchived);
  const order = slotOrder(columns, request.sort, request.direction);
  const end = request.skip + request.pageSize;
  const { slots, total } = firstSlots(columns, filter, order, end + 1);
  const ids = slots.slice(request.skip, end).map((slot) => columns.ids[slot] as string);

  const rows = await table.bulkGet(ids);
  const sound = rows.filter((row): row is VersionRow => row !== undefined && request.accept(row));
  if (sound.length !== ids.length) {
    memory.discard('a row of the in-memory index disagreed with the stored row');
    return null;
  }
  return { rows: sound, hasMore: total > end, total, via: 'memory' };
}

async function candidatePage(
  table: VersionTable,
  keys: Set<string>,
  request: PageRequest,
): Promise<SearchResult> {
  const rows = await table.bulkGet([...keys]);
  const matches = rows.filter((row): row is VersionRow => row !== undefined && request.accept(row));
  matches.sort(request.order.compare);

  const end = request.skip + request.pageSize;
  log.debug('candidates', { candidates: keys.size, matches: matches.length });
  return {
    rows: matches.slice(request.skip, end),
    hasMore: matches.length > end,
    total: matches.length,
    via: 'candidates',
  };
}

async function walkPage(
  table: VersionTable,
  request: PageRequest,
  filter: FilterNode | null,
): Promise<SearchResult> {
  const { order, pageSize, skip } = request;
  const found: VersionRow[] = [];
  let skipped = 0;
  let walked = 0;

  const visit = (run: VersionRow[]): boolean => {
    walked += run.length;
    for (const row of run.sort(order.compare)) {
      if (!request.accept(row)) continue;
      if (skipped < skip) skipped += 1;
      else if (found.push(row) > pageSize) return false;
    }
    return true;
  };

  let complete = true;
  for (const walk of narrowWalks(order.walks, filter)) {
    // Archived versions and failed tests thin the walk out; read a little past the page.
    const firstBatch = skip + pageSize + 1 + 8;
    complete = await walkIndex(table, walk, order.descending, firstBatch, visit);
    if (!complete) break;
  }

  log.debug('walked', { walked, complete });
  return {
    rows: found.slice(0, pageSize),
    hasMore: found.length > pageSize,
    total: complete ? skipped + found.length : null,
    via: 'walk',
  };
}
