/**
 * Why a version is suggested as another's parent, in words a user can check: the GNN's score
 * says how likely, these say what the two have in common.
 */
import { normaliseTerm } from './feature-tokens';

/** What the reasons compare: a version's metadata as the GNN features saw it. */
export interface VersionFacts {
  modelName: string;
  number: number;
  family: string | null;
  architecture: string | null;
  task: string | null;
}

export type ReasonKind = 'same-model' | 'shared-family' | 'similar-name' | 'same-architecture';

export interface SuggestionReason {
  kind: ReasonKind;
  /** A short phrase for the page: "shared family llama". */
  text: string;
}

/** Name similarity (TF-IDF cosine) from which two names count as similar. */
export const SIMILAR_NAME_SCORE = 0.3;

/**
 * The reasons `parent` might be `child`'s parent, strongest first.
 *
 * @example
 *   parentReasons(child, parent, { score: 0.6, sharedTokens: ['llama', '7b'] });
 *   // [{ kind: 'similar-name', text: 'similar name (llama, 7b)' }, ...]
 */
export function parentReasons(
  child: VersionFacts,
  parent: VersionFacts,
  name: { score: number; sharedTokens: readonly string[] },
): SuggestionReason[] {
  const reasons: SuggestionReason[] = [];
  const same = (a: string | null, b: string | null) =>
    !!a && !!b && normaliseTerm(a) === normaliseTerm(b);

  if (child.modelName === parent.modelName) {
    reasons.push({ kind: 'same-model', text: `same model, v${parent.number}` });
  } else if (name.score >= SIMILAR_NAME_SCORE && name.sharedTokens.length > 0) {
    reasons.push({
      kind: 'similar-name',
      text: `similar name (${name.sharedTokens.slice(0, 3).join(', ')})`,
    });
  }
  if (same(child.family, parent.family)) {
    reasons.push({ kind: 'shared-family', text: `shared family ${parent.family}` });
  }
  // An architecture that is also the family would say the same thing twice.
  if (same(child.architecture, parent.architecture) && !same(parent.architecture, parent.family)) {
    reasons.push({ kind: 'same-architecture', text: `same architecture ${parent.architecture}` });
  }
  return reasons;
}
