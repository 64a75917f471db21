/**
 * Name similarity between models, TF-IDF weighted: the first thing a user would try to find a
 * model's parent (`TheBloke/Llama-2-7B-GGUF` shares rare tokens with `meta-llama/Llama-2-7b`),
 * so it is both a reason shown next to a "likely parent" and the baseline the GNN must beat.
 * Scoring one query against every model walks an inverted index, touching only models that
 * share a token with the query.
 */
import { nameTokens } from './feature-tokens';

export class NameSimilarityIndex {
  readonly size: number;
  private readonly idf = new Map<string, number>();
  private readonly postings = new Map<string, { model: number; weight: number }[]>();
  private readonly vectors: Map<string, number>[];

  /** Indexes `names`; a model's position in the list is its index in scores. */
  constructor(names: readonly string[]) {
    this.size = names.length;
    const tokenLists = names.map((name) => nameTokens(name));
    const documentFrequency = new Map<string, number>();
    for (const tokens of tokenLists) {
      for (const token of new Set(tokens)) {
        documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + 1);
      }
    }
    for (const [token, count] of documentFrequency) {
      this.idf.set(token, Math.log((1 + names.length) / (1 + count)) + 1);
    }

    this.vectors = tokenLists.map((tokens) => this.vectorOf(tokens));
    this.vectors.forEach((vector, model) => {
      for (const [token, weight] of vector) {
        if (!this.postings.has(token)) this.postings.set(token, []);
        this.postings.get(token)!.push({ model, weight });
      }
    });
  }

  /** Cosine similarity of model `model`'s name to every model's, as a dense array. */
  scoresFor(model: number): Float32Array {
    return this.scoresForVector(this.vectors[model]);
  }

  /** Cosine similarity of an arbitrary name (say, a file not registered yet) to every model's. */
  scoresForName(name: string): Float32Array {
    return this.scoresForVector(this.vectorOf(nameTokens(name)));
  }

  /** The tokens two models share, rarest first: the "similar name" reason for a suggestion. */
  sharedTokens(a: number, b: number): string[] {
    const other = this.vectors[b];
    return [...this.vectors[a].keys()]
      .filter((token) => other.has(token))
      .sort((x, y) => this.idf.get(y)! - this.idf.get(x)!);
  }

  private scoresForVector(vector: Map<string, number>): Float32Array {
    const scores = new Float32Array(this.size);
    for (const [token, weight] of vector) {
      for (const posting of this.postings.get(token) ?? []) {
        scores[posting.model] += weight * posting.weight;
      }
    }
    return scores;
  }

  /** Sublinear term frequency times IDF, scaled to unit length. */
  private vectorOf(tokens: string[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);

    const vector = new Map<string, number>();
    let norm = 0;
    for (const [token, count] of counts) {
      // Tokens never seen when indexing carry no evidence about any indexed model.
      const idf = this.idf.get(token);
      if (idf === undefined) continue;
      const weight = (1 + Math.log(count)) * idf;
      vector.set(token, weight);
      norm += weight * weight;
    }
    for (const [token, weight] of vector) vector.set(token, weight / Math.sqrt(norm));
    return vector;
  }
}
