/**
 * Terms and tokens for the hashed feature blocks, and the hash itself. Kept apart from
 * features.ts because name similarity baselines use the same tokens: a model's name tokens
 * must mean the same thing to the GNN and to the baselines it is compared with.
 */

/** Lower-cased, trimmed, inner whitespace and underscores turned into single dashes. */
export function normaliseTerm(term: string): string {
  return term
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

/**
 * Tokens of a model name: lower-cased runs of letters and digits, so that
 * `meta-llama/Llama-3.1-8B-Instruct` gives `meta llama llama 3 1 8b instruct`.
 */
export function nameTokens(name: string): string[] {
  return name.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * 32-bit FNV-1a of `salt` and `text` (UTF-16 code units), as an unsigned integer. The salt
 * keeps the blocks' buckets independent: `llama` as a family and as a name token land in
 * unrelated columns. Fixed forever: stored embeddings were computed with it.
 */
export function fnv1a(text: string, salt = ''): number {
  let hash = 0x811c9dc5;
  const input = salt ? `${salt}\u0000${text}` : text;
  for (let i = 0; i < input.length; i++) {
    hash ^= input.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
