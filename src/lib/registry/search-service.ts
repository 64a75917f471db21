/** Connects the registry to the search grammar and its Dexie planner. */
import type { EventRegistry } from './registry';
import type { ModelVersion, SearchPage, SearchRequest } from './types';

export async function runSearch(
  _registry: EventRegistry,
  _request: SearchRequest,
): Promise<SearchPage> {
  throw new Error('search is not wired yet');
}

export async function resolveUri(_registry: EventRegistry, _uri: string): Promise<ModelVersion> {
  throw new Error('search is not wired yet');
}
