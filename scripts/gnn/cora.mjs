// Trains the published two-layer GCN (Kipf and Welling 2017) on a graph in Planetoid text
// format, over several seeds, on TensorFlow.js's CPU backend, and reports test accuracy.
//
//   node scripts/gnn/cora.mjs ../shared/data/cora/planetoid/
//   node scripts/gnn/cora.mjs <folder> --seeds 10 --epochs 200 --out bench/gnn-cora-results.json
//
// The folder holds <name>.features.txt, .labels.txt, .edges.txt, .split.{train,val,test}.txt;
// --name picks one graph when the folder holds several. Exit code 1 when the mean test
// accuracy is below --target (default 0.81, the bar for Cora; 0 disables it).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadGnn } from './load.mjs';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    seeds: { type: 'string', default: '10' },
    'first-seed': { type: 'string', default: '0' },
    epochs: { type: 'string', default: '200' },
    target: { type: 'string', default: '0.81' },
    out: { type: 'string', default: 'bench/gnn-cora-results.json' },
  },
});

function graphName(folder) {
  if (options.name) return options.name;
  const names = readdirSync(folder)
    .filter((file) => file.endsWith('.features.txt'))
    .map((file) => file.slice(0, -'.features.txt'.length));
  if (names.length !== 1) {
    throw new Error(
      `${folder} holds ${names.length} graphs (${names.join(', ') || 'no *.features.txt'}); ` +
        'pass the folder of one Planetoid graph, or pick one with --name.',
    );
  }
  return names[0];
}

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
const std = (values) => Math.sqrt(mean(values.map((value) => (value - mean(values)) ** 2)));
const round = (value, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

async function main() {
  if (positionals.length !== 1) {
    throw new Error('Usage: node scripts/gnn/cora.mjs <planetoid folder> [--seeds 10]');
  }
  const folder = resolve(positionals[0]);
  const name = graphName(folder);
  const gnn = await loadGnn();
  await gnn.tf.setBackend('cpu');

  const files = Object.fromEntries(
    Object.entries(gnn.PLANETOID_FILE_SUFFIXES).map(([part, suffix]) => [
      part,
      readFileSync(join(folder, `${name}${suffix}`), 'utf8'),
    ]),
  );
  const dataset = gnn.parsePlanetoid(files);
  const task = gnn.planetoidTask(dataset);
  console.log(
    `${name}: ${dataset.nodeCount} nodes, ${dataset.features.featureCount} features, ` +
      `${dataset.classCount} classes, ${task.graph.source.length} messages (self-loops ` +
      `included), split ${task.train.length}/${task.validation.length}/${task.test.length}`,
  );

  const firstSeed = Number(options['first-seed']);
  const runs = [];
  for (let seed = firstSeed; seed < firstSeed + Number(options.seeds); seed++) {
    const settings = { ...gnn.PUBLISHED_GCN_SETTINGS, epochs: Number(options.epochs), seed };
    const result = await gnn.trainNodeClassifier(task, settings);
    const last = result.epochs.at(-1);
    runs.push({
      seed,
      testAccuracy: round(result.testAccuracy),
      testLoss: round(result.testLoss),
      epochs: result.epochs.length,
      stoppedEarly: result.stoppedEarly,
      finalValidationAccuracy: round(last.validationAccuracy),
      msPerEpoch: round(result.msPerEpoch, 1),
    });
    console.log(
      `seed ${seed}: test accuracy ${(result.testAccuracy * 100).toFixed(1)}% after ` +
        `${result.epochs.length} epochs (${result.msPerEpoch.toFixed(1)} ms/epoch)`,
    );
  }

  const accuracies = runs.map((run) => run.testAccuracy);
  const target = Number(options.target);
  const report = {
    date: new Date().toISOString(),
    command: `node scripts/gnn/cora.mjs ${process.argv.slice(2).join(' ')}`,
    graph: name,
    backend: gnn.tf.getBackend(),
    settings: { ...gnn.PUBLISHED_GCN_SETTINGS, epochs: Number(options.epochs), seed: undefined },
    machine: { cores: cpus().length, cpuModel: cpus()[0]?.model, loadAverage: loadavg() },
    seeds: runs.length,
    meanTestAccuracy: round(mean(accuracies)),
    stdTestAccuracy: round(std(accuracies)),
    minTestAccuracy: Math.min(...accuracies),
    maxTestAccuracy: Math.max(...accuracies),
    meanMsPerEpoch: round(mean(runs.map((run) => run.msPerEpoch)), 1),
    target,
    published: 0.815,
    runs,
  };
  writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `mean test accuracy ${(report.meanTestAccuracy * 100).toFixed(2)}% ` +
      `± ${(report.stdTestAccuracy * 100).toFixed(2)} over ${runs.length} seeds ` +
      `(published 81.5%); wrote ${options.out}`,
  );
  if (target > 0 && report.meanTestAccuracy < target) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
