/**
 * Every in-app address, built in one place. Model names may hold `/`, `?` or `#`, so each
 * dynamic segment is percent-encoded before SvelteKit fills the route.
 */
import { resolve } from '$app/paths';
import type { ResolvedPathname } from '$app/types';

const segment = (value: string) => encodeURIComponent(value);

export function homeHref(): ResolvedPathname {
  return resolve('/');
}

/** The search results for a filter; `extra` adds sort, order, page or archived. */
export function searchHref(query: string, extra: Record<string, string> = {}): ResolvedPathname {
  const search = new URLSearchParams({ q: query, ...extra });
  return resolve(`/?${search}`);
}

export function newModelHref(): ResolvedPathname {
  return resolve('/models/new');
}

export function modelHref(name: string): ResolvedPathname {
  return resolve('/models/[name]', { name: segment(name) });
}

export function registerHref(name: string): ResolvedPathname {
  return resolve('/models/[name]/register', { name: segment(name) });
}

export function versionHref(name: string, number: number): ResolvedPathname {
  return resolve('/models/[name]/versions/[number]', {
    name: segment(name),
    number: String(number),
  });
}

/** The page of a dataset, run or code record. */
export function recordHref(id: string): ResolvedPathname {
  return resolve('/records/[id]', { id: segment(id) });
}

export function compareHref(versionIds: string[]): ResolvedPathname {
  const search = new URLSearchParams(versionIds.map((id) => ['v', id]));
  return resolve(`/compare?${search}`);
}

/** The workspace history, or one model's or one version's. */
export function historyHref(filter?: { model?: string; version?: string }): ResolvedPathname {
  if (filter?.model) return resolve(`/history?${new URLSearchParams({ model: filter.model })}`);
  if (filter?.version) {
    return resolve(`/history?${new URLSearchParams({ version: filter.version })}`);
  }
  return resolve('/history');
}

export function settingsHref(): ResolvedPathname {
  return resolve('/settings');
}
