/**
 * Version search: the filter grammar, its execution over Dexie indexes, and model URIs.
 *
 * @example
 *   const page = await searchVersions(db, parseFilter("name LIKE 'bert%'"), { pageSize: 50 });
 *   const version = await resolveModelUri(db, 'models:/bert-base/3');
 */
export type * from './ast';
export { isListComparison } from './ast';
export { parseFilter, MAX_NESTING } from './parse';
export {
  searchVersions,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  DEFAULT_STRATEGY,
  type SearchOptions,
  type SearchResult,
  type SearchStrategy,
} from './execute';
export { isModelUri, parseModelUri, type ModelUri } from './uri';
export { resolveModelUri } from './resolve';
export { matchesFilter } from './match';
