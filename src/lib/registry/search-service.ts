/** Connects the registry to the filter grammar, its Dexie planner and model URIs. */
import type { RegistryReads } from './registry-reads';
import { toVersion } from './rows';
import { isModelUri, parseFilter, resolveModelUri, searchVersions } from './search';
import type { ModelVersion, SearchPage, SearchRequest } from './types';

/**
 * Runs a search request. A `models:/` URI in the query resolves to its one version; anything
 * else is parsed as a filter (throwing FilterSyntaxError with the position of the problem).
 */
export async function runSearch(
  registry: RegistryReads,
  request: SearchRequest,
): Promise<SearchPage> {
  const started = performance.now();
  const query = request.query?.trim() ?? '';
  const page = request.page ?? 0;
  const pageSize = request.pageSize ?? 25;
  if (isModelUri(query)) {
    const row = await resolveModelUri(registry.log.db, query);
    return {
      versions: [toVersion(row)],
      page: 0,
      pageSize,
      hasMore: false,
      total: 1,
      tookMs: performance.now() - started,
      via: 'uri',
    };
  }
  const filter = parseFilter(query);
  const result = await searchVersions(registry.log.db, filter, { ...request, page, pageSize });
  return {
    versions: result.rows.map(toVersion),
    page,
    pageSize,
    hasMore: result.hasMore,
    total: result.total,
    tookMs: performance.now() - started,
    via: result.via,
  };
}

/** `models:/<name>/<version>`, `models:/<name>@<alias>` or `models:/<name>/latest`. */
export async function resolveUri(registry: RegistryReads, uri: string): Promise<ModelVersion> {
  return toVersion(await resolveModelUri(registry.log.db, uri.trim()));
}
