/**
 * The search page's state lives in its address, so a result list can be bookmarked, shared
 * and reached with the back button. These read and write that address.
 */
import type { SortField } from '$lib/registry/types';

export interface SearchParams {
  query: string;
  sort: SortField;
  order: 'asc' | 'desc';
  page: number;
  includeArchived: boolean;
}

const sortFields = new Set(['created', 'name', 'version']);

function readSort(raw: string | null): SortField {
  if (raw && (sortFields.has(raw) || /^metrics\..+/.test(raw))) return raw as SortField;
  return 'created';
}

/** The search state in a URL's query string; anything missing or malformed gets a default. */
export function readSearchParams(search: URLSearchParams): SearchParams {
  const page = Number(search.get('page') ?? 0);
  return {
    query: search.get('q') ?? '',
    sort: readSort(search.get('sort')),
    order: search.get('order') === 'asc' ? 'asc' : 'desc',
    page: Number.isInteger(page) && page > 0 ? page : 0,
    includeArchived: search.get('archived') === '1',
  };
}

/** The query-string entries beyond `q` that differ from the defaults. */
export function searchExtras(params: SearchParams): Record<string, string> {
  const extras: Record<string, string> = {};
  if (params.sort !== 'created') extras.sort = params.sort;
  if (params.order !== 'desc') extras.order = params.order;
  if (params.page > 0) extras.page = String(params.page);
  if (params.includeArchived) extras.archived = '1';
  return extras;
}
