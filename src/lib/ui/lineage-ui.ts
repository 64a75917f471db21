/**
 * What the lineage screens share: where a node opens, which relations fit which ends, and
 * saving an export as a file.
 */
import { resolve } from '$app/paths';
import type { ResolvedPathname } from '$app/types';
import {
  LINEAGE_RELATIONS,
  RELATION_LABELS,
  type LineageEdge,
  type LineageEntityKind,
  type LineageRelation,
} from '$lib/lineage';
import type { Registry } from '$lib/registry/api';
import { RELATION_ENDS } from '$lib/registry';
import { recordHref, versionHref } from './links';

/** The lineage explorer, centred on `id` when given. */
export function lineageHref(id?: string): ResolvedPathname {
  return id ? resolve(`/lineage?${new URLSearchParams({ v: id })}`) : resolve('/lineage');
}

/**
 * Where a lineage node opens: a version's own page, a dataset's, run's or code record's own
 * page, or the explorer centred on an id whose version or record has not arrived yet.
 */
export async function nodeHref(registry: Registry, id: string): Promise<ResolvedPathname> {
  try {
    const version = await registry.getVersionById(id);
    return versionHref(version.modelName, version.number);
  } catch {
    // Not a version: a record, or an id still on its way from a peer.
  }
  try {
    await registry.getLineageEntity(id);
    return recordHref(id);
  } catch {
    return lineageHref(id);
  }
}

/**
 * The relations that may link this node to another of kind `other`. `side` says which end
 * the other node takes: `parent` means it is what this node came from.
 */
export function relationsFor(
  own: LineageEntityKind,
  other: LineageEntityKind,
  side: 'parent' | 'child',
): LineageRelation[] {
  return LINEAGE_RELATIONS.filter((relation) => {
    const ends = RELATION_ENDS[relation];
    const [parent, child] = side === 'parent' ? [other, own] : [own, other];
    return ends.from.includes(parent) && ends.to.includes(child);
  });
}

/** How an edge's relation reads in a table: `merged from (weight 0.4)`. */
export function relationText(edge: LineageEdge): string {
  const label = RELATION_LABELS[edge.relation];
  return edge.weight === undefined ? label : `${label} (weight ${edge.weight})`;
}

/** Hands `content` to the browser as a download named `name`. */
export function saveFile(name: string, content: Blob | string, type = 'text/plain'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The click starts the download synchronously; the URL is no longer needed after it.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Saves a `data:` URL (a canvas snapshot) as a file. */
export function saveDataUrl(name: string, url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
}
