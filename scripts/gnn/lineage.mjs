// The lineage link-prediction evaluation: on a real model lineage graph, hold out 10% of the
// children family by family (a family is a connected component of the lineage), train on the
// rest, and rank every model as a candidate parent of each held-out child. Reports Hits@1,
// Hits@10 and MRR for the GNN and for the baselines a user would try first.
//
//   node scripts/gnn/lineage.mjs ../shared/data/lineage/
//   node scripts/gnn/lineage.mjs <folder> --queries 1500 --epochs 200 --seed 0 \
//     --out bench/gnn-lineage-results.json
//
// Tunable weights (the popularity prior, the mix of the hybrid) are chosen on a separate 5%
// of validation children, never on the test children.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadGnn } from './load.mjs';
import { describeNode, loadLineage, splitByFamily } from './lineage-data.mjs';
import { metadataScorer, rankAll, tuneWeights } from './lineage-scorers.mjs';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    queries: { type: 'string', default: '1500' },
    epochs: { type: 'string', default: '200' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: 'bench/gnn-lineage-results.json' },
  },
});

const round = (value, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

async function main() {
  if (positionals.length !== 1) {
    throw new Error('Usage: node scripts/gnn/lineage.mjs <lineage folder> [--queries 1500]');
  }
  const gnn = await loadGnn();
  await gnn.tf.setBackend('cpu');
  const seed = Number(options.seed);
  const random = new gnn.SeededRandom(seed);

  const lineage = loadLineage(resolve(positionals[0]));
  const nodeCount = lineage.nodes.length;
  const split = splitByFamily(lineage, [0.1, 0.05], random);
  const [testChildren, validationChildren] = split.heldOut;
  const testQueries = random.shuffle([...testChildren]).slice(0, Number(options.queries));
  const validationQueries = random.shuffle([...validationChildren]).slice(0, 500);
  console.log(
    `${nodeCount} models, ${lineage.parents.length} edges; held out ${testChildren.length} ` +
      `test and ${validationChildren.length} validation children; ranking all models for ` +
      `${testQueries.length} test children`,
  );

  const childCount = new Float32Array(nodeCount);
  const hasParent = new Uint8Array(nodeCount);
  for (const parent of split.train.source) childCount[parent]++;
  for (const child of split.train.target) hasParent[child] = 1;
  const logPopularity = childCount.map((count) => Math.log1p(count));

  const names = new gnn.NameSimilarityIndex(lineage.nodes.map((node) => node.id));
  const encoded = gnn.encodeModelFeatures(lineage.nodes.map(describeNode));
  const metadata = metadataScorer(encoded.features, encoded.layout);
  const withPrior = (scores, beta) => scores.map((s, i) => s + beta * logPopularity[i]);

  const baselines = {
    'name-tokens-tfidf': (child) => names.scoresFor(child),
    'metadata-cosine': (child) => metadata(child),
    popularity: () => logPopularity,
  };
  const beta = tuneWeights(
    split.parentsOf,
    validationQueries,
    [0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2],
    (b) => (child) => withPrior(names.scoresFor(child), b),
  );
  baselines['name-tokens+popularity'] = (child) => withPrior(names.scoresFor(child), beta);

  const started = performance.now();
  const features = withStructure(encoded.features, childCount, hasParent);
  const validationEdges = edgesOf(validationChildren, split.parentsOf);
  const trained = await gnn.trainLinkPredictor(
    { nodeCount, features, trainEdges: split.train, validationEdges },
    { ...gnn.DEFAULT_LINK_SETTINGS, epochs: Number(options.epochs), seed },
    {
      onLinkEpoch: (record) => {
        if (record.epoch % 10 === 0) {
          console.log(
            `epoch ${record.epoch}: loss ${record.loss.toFixed(4)}, validation ` +
              `${record.validationLoss?.toFixed(4)} (${record.ms.toFixed(0)} ms)`,
          );
        }
      },
    },
  );
  const trainingSeconds = (performance.now() - started) / 1000;
  const kernel = gnn.createDotKernel();
  kernel.setRows(trained.embeddings, nodeCount, trained.embeddingSize);
  const d = trained.embeddingSize;
  const linkProbability = (child) =>
    kernel
      .score(trained.embeddings.slice(child * d, (child + 1) * d), 1)
      .map((logit) => 1 / (1 + Math.exp(-logit)));

  const mix = tuneWeights(
    split.parentsOf,
    validationQueries,
    [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10].flatMap((a) => [0, 0.01, 0.02, 0.05].map((b) => [a, b])),
    ([a, b]) =>
      (child) => {
        const name = names.scoresFor(child);
        return linkProbability(child).map((p, i) => a * p + name[i] + b * logPopularity[i]);
      },
  );
  const scorers = {
    ...baselines,
    gnn: linkProbability,
    'gnn+name-tokens+popularity': (child) => {
      const name = names.scoresFor(child);
      return linkProbability(child).map((p, i) => mix[0] * p + name[i] + mix[1] * logPopularity[i]);
    },
  };

  const results = {};
  for (const [name, scorer] of Object.entries(scorers)) {
    const metrics = gnn.rankingMetrics(rankAll(gnn, scorer, testQueries, split.parentsOf), [1, 10]);
    results[name] = {
      hitsAt1: round(metrics.hits[1]),
      hitsAt10: round(metrics.hits[10]),
      mrr: round(metrics.mrr),
    };
    console.log(
      `${name.padEnd(28)} Hits@1 ${(metrics.hits[1] * 100).toFixed(1)}%  Hits@10 ` +
        `${(metrics.hits[10] * 100).toFixed(1)}%  MRR ${metrics.mrr.toFixed(3)}`,
    );
  }

  const verdict = targetVerdict(results, Object.keys(baselines));
  console.log(verdict.text);

  const report = {
    date: new Date().toISOString(),
    command: `node scripts/gnn/lineage.mjs ${process.argv.slice(2).join(' ')}`,
    models: nodeCount,
    edges: lineage.parents.length,
    testChildren: testChildren.length,
    queries: testQueries.length,
    tuned: { popularityWeight: beta, hybrid: { gnnWeight: mix[0], popularityWeight: mix[1] } },
    gnn: {
      settings: { ...gnn.DEFAULT_LINK_SETTINGS, epochs: Number(options.epochs), seed },
      epochsRun: trained.epochs.length,
      msPerEpoch: round(trained.msPerEpoch, 1),
      trainingSeconds: round(trainingSeconds, 1),
    },
    results,
    target: verdict,
  };
  writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${options.out}`);
  if (!verdict.met) process.exitCode = 1;
}

/**
 * The bar: the best GNN method beats the best baseline (by MRR) by at least 5 points
 * of Hits@1 and 0.05 of MRR, and loses nothing on Hits@10.
 */
function targetVerdict(results, baselineNames) {
  const best = (names) =>
    names.reduce((top, name) => (results[name].mrr > results[top].mrr ? name : top));
  const baseline = best(baselineNames);
  const method = best(Object.keys(results).filter((name) => !baselineNames.includes(name)));
  const [b, m] = [results[baseline], results[method]];
  const gains = {
    hitsAt1: round(m.hitsAt1 - b.hitsAt1),
    mrr: round(m.mrr - b.mrr),
    hitsAt10: round(m.hitsAt10 - b.hitsAt10),
  };
  const met = gains.hitsAt1 >= 0.05 && gains.mrr >= 0.05 && gains.hitsAt10 >= 0;
  const text =
    `target ${met ? 'met' : 'NOT met'}: ${method} against ${baseline}: Hits@1 ` +
    `${gains.hitsAt1 >= 0 ? '+' : ''}${(gains.hitsAt1 * 100).toFixed(1)} pts (need +5), MRR ` +
    `${gains.mrr >= 0 ? '+' : ''}${gains.mrr.toFixed(3)} (need +0.05), Hits@10 ` +
    `${gains.hitsAt10 >= 0 ? '+' : ''}${(gains.hitsAt10 * 100).toFixed(1)} pts (need >= 0)`;
  return { met, method, baseline, gains, text };
}

/** The registry features plus two columns from the training graph: log child count, has parent. */
function withStructure(features, childCount, hasParent) {
  const extra = { row: [], column: [], value: [] };
  for (let i = 0; i < features.nodeCount; i++) {
    if (childCount[i] > 0) {
      extra.row.push(i);
      extra.column.push(features.featureCount);
      extra.value.push(Math.log1p(childCount[i]) / 5);
    }
    if (hasParent[i]) {
      extra.row.push(i);
      extra.column.push(features.featureCount + 1);
      extra.value.push(1);
    }
  }
  return {
    nodeCount: features.nodeCount,
    featureCount: features.featureCount + 2,
    row: Int32Array.from([...features.row, ...extra.row]),
    column: Int32Array.from([...features.column, ...extra.column]),
    value: Float32Array.from([...features.value, ...extra.value]),
  };
}

function edgesOf(children, parentsOf) {
  const source = [];
  const target = [];
  for (const child of children) {
    for (const parent of parentsOf.get(child)) {
      source.push(parent);
      target.push(child);
    }
  }
  return { source: Int32Array.from(source), target: Int32Array.from(target) };
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
