/**
 * How far the registry has moved from the graph stored embeddings were trained on, and
 * whether that is enough to offer retraining.
 *
 * "Enough" means: at least a tenth of the versions are new or gone since training, or at
 * least a tenth of the version-to-version lineage links were added or removed (against the
 * counts at training time, so a registry trained with no links is stale after its first
 * link). Below that, a few new versions lack embeddings of their own but the map and the
 * suggestions for everything else still describe the registry well; the page says how many
 * changed either way, and training again is always allowed.
 */

/** The part of a graph drift is measured on: version ids and `parent>child` link keys. */
export interface GraphState {
  nodeIds: readonly string[];
  linkKeys: readonly string[];
}

export interface GraphDrift {
  addedVersions: number;
  removedVersions: number;
  addedLinks: number;
  removedLinks: number;
  /** Changed versions over the versions at training time. */
  versionShare: number;
  /** Changed links over the links at training time. */
  linkShare: number;
  /** True when the change passes `RETRAIN_SHARE`: the page offers to train again. */
  retrain: boolean;
}

/** The share of versions, or of links, that must change before retraining is offered. */
export const RETRAIN_SHARE = 0.1;

/** The key of a parent -> child link in `GraphState.linkKeys`. */
export function linkKey(parent: string, child: string): string {
  return `${parent}>${child}`;
}

/**
 * @example
 *   graphDrift({ nodeIds: ['a', 'b'], linkKeys: [] }, { nodeIds: ['a', 'b', 'c'], linkKeys: [] });
 *   // { addedVersions: 1, versionShare: 0.5, retrain: true, ... }
 */
export function graphDrift(trained: GraphState, current: GraphState): GraphDrift {
  const [addedVersions, removedVersions] = difference(trained.nodeIds, current.nodeIds);
  const [addedLinks, removedLinks] = difference(trained.linkKeys, current.linkKeys);
  const versionShare = (addedVersions + removedVersions) / Math.max(1, trained.nodeIds.length);
  const linkShare = (addedLinks + removedLinks) / Math.max(1, trained.linkKeys.length);
  return {
    addedVersions,
    removedVersions,
    addedLinks,
    removedLinks,
    versionShare,
    linkShare,
    retrain: versionShare >= RETRAIN_SHARE || linkShare >= RETRAIN_SHARE,
  };
}

/** [in `after` only, in `before` only]. */
function difference(before: readonly string[], after: readonly string[]): [number, number] {
  const old = new Set(before);
  const now = new Set(after);
  let added = 0;
  for (const id of now) if (!old.has(id)) added++;
  let removed = 0;
  for (const id of old) if (!now.has(id)) removed++;
  return [added, removed];
}
