// Scoring helpers for scripts/gnn/lineage.mjs: the metadata-cosine baseline, ranking every
// model for each query, and choosing a weight on validation queries.

/**
 * Cosine similarity of the metadata blocks of the feature matrix (everything but the name
 * tokens, which have their own baseline), through an inverted index over columns.
 */
export function metadataScorer(features, layout) {
  const names = layout.find((block) => block.name === 'name-tokens');
  const rows = Array.from({ length: features.nodeCount }, () => []);
  for (let k = 0; k < features.row.length; k++) {
    const column = features.column[k];
    if (column >= names.offset && column < names.offset + names.width) continue;
    rows[features.row[k]].push([column, features.value[k]]);
  }
  const postings = new Map();
  rows.forEach((entries, node) => {
    const norm = Math.hypot(...entries.map(([, v]) => v)) || 1;
    entries.forEach((entry) => (entry[1] /= norm));
    for (const [column, value] of entries) {
      if (!postings.has(column)) postings.set(column, []);
      postings.get(column).push([node, value]);
    }
  });
  return (child) => {
    const scores = new Float32Array(features.nodeCount);
    for (const [column, value] of rows[child]) {
      for (const [node, other] of postings.get(column)) scores[node] += value * other;
    }
    return scores;
  };
}

/** Rank of the best true parent of each query child among all other models. */
export function rankAll(gnn, scorer, queries, parentsOf) {
  return queries.map((child) =>
    gnn.rankOfTrue(scorer(child), parentsOf.get(child), new Set([child])),
  );
}

/** The candidate weight whose scorer has the best MRR on the validation children. */
export function tuneWeights(parentsOf, queries, candidates, scorerFor) {
  let best = candidates[0];
  let bestMrr = -1;
  for (const candidate of candidates) {
    const scorer = scorerFor(candidate);
    let mrr = 0;
    for (const child of queries) mrr += 1 / rankOf(scorer(child), parentsOf.get(child), child);
    if (mrr > bestMrr) {
      bestMrr = mrr;
      best = candidate;
    }
  }
  return best;
}

function rankOf(scores, parents, child) {
  let best = -Infinity;
  for (const parent of parents) best = Math.max(best, scores[parent]);
  let better = 0;
  let tied = 0;
  for (let i = 0; i < scores.length; i++) {
    if (i === child || parents.includes(i)) continue;
    if (scores[i] > best) better++;
    else if (scores[i] === best) tied++;
  }
  return 1 + better + tied / 2;
}
