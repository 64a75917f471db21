/**
 * Lineage from Hugging Face model cards: the front matter's `base_model` (one id or a list)
 * and `base_model_relation` (`finetune`, `adapter`, `quantized` or `merge`).
 *
 * When a card names no relation the Hub guesses one from the repository's files, which a
 * card alone cannot do; Stemma then records `merged-from` for several parents and
 * `derived-from` for one, and the user can retype the edge later.
 */
import type { LineageEdge, LineageRelation } from './types';

/** The parts of a card's parsed front matter lineage needs. */
export interface HfCardLineage {
  /** The repository id the card belongs to, e.g. `org/model`. */
  id: string;
  base_model?: string | string[] | null;
  base_model_relation?: string | null;
}

export interface HfLineageImport {
  edges: LineageEdge[];
  /** Every model id named, parents and children, in first-seen order. */
  models: string[];
  /** Cards or parents left out, and why. */
  skipped: { card: string; message: string }[];
}

const HF_RELATIONS: Record<string, LineageRelation> = {
  finetune: 'fine-tuned-from',
  adapter: 'adapter-of',
  quantized: 'quantized-from',
  merge: 'merged-from',
};

/** Reduces the ways cards spell a model id to `org/name`: URLs, stray slashes, spaces. */
export function normaliseHfModelId(raw: string): string {
  return raw
    .trim()
    .replace(/^https?:\/\/(www\.)?huggingface\.co\//i, '')
    .replace(/^\/+|\/+$/g, '');
}

/** The edge id a card's link gets, so importing the same card twice adds nothing new. */
export function hfEdgeId(parent: string, child: string): string {
  return `hf:${JSON.stringify([parent, child])}`;
}

/**
 * Turns parsed model cards into lineage edges (parent -> child).
 *
 * @example
 *   const card = { id: 'me/llama-q4', base_model: 'meta/llama', base_model_relation: 'quantized' };
 *   hfCardsToLineage([card]).edges;
 *   // [{ from: 'meta/llama', to: 'me/llama-q4', relation: 'quantized-from', id: … }]
 */
export function hfCardsToLineage(cards: Iterable<HfCardLineage>): HfLineageImport {
  const edges = new Map<string, LineageEdge>();
  const models = new Set<string>();
  const skipped: HfLineageImport['skipped'] = [];

  for (const card of cards) {
    const child = normaliseHfModelId(card.id ?? '');
    if (!child) {
      skipped.push({ card: String(card.id), message: 'the card has no model id' });
      continue;
    }
    const named = card.base_model;
    const listed =
      named === undefined || named === null ? [] : Array.isArray(named) ? named : [named];
    const parents = [
      ...new Set(listed.filter((p) => typeof p === 'string').map(normaliseHfModelId)),
    ];
    models.add(child);

    const stated = card.base_model_relation?.trim().toLowerCase();
    let relation: LineageRelation = parents.length > 1 ? 'merged-from' : 'derived-from';
    if (stated && HF_RELATIONS[stated]) relation = HF_RELATIONS[stated];
    else if (stated) {
      const message = `unknown base_model_relation "${stated}"; recorded as ${relation}`;
      skipped.push({ card: child, message });
    }

    for (const parent of parents) {
      if (!parent || parent === child) {
        const message = parent ? 'base_model names the model itself' : 'an empty base_model';
        skipped.push({ card: child, message });
        continue;
      }
      models.add(parent);
      const id = hfEdgeId(parent, child);
      if (!edges.has(id)) edges.set(id, { id, from: parent, to: child, relation });
    }
  }
  return { edges: [...edges.values()], models: [...models], skipped };
}
