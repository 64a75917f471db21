/**
 * Reads a graph in the Planetoid text format (see shared/data/README.md): a features file
 * (`idx j:v j:v ...`), labels (`idx label`, -1 for none), undirected edges (`u v`) and three
 * split files (one node index a line). Lines starting with `#` are comments. The reader takes
 * the files' text, so it runs the same in Node, a browser and a worker.
 */
import { PlanetoidFormatError } from './errors';
import { normaliseGraph } from './graph';
import { rowNormalise, type SparseFeatures } from './sparse-features';
import type { NodeClassificationTask } from './train';

/** The text of each file of one graph. */
export interface PlanetoidFiles {
  features: string;
  labels: string;
  edges: string;
  train: string;
  validation: string;
  test: string;
}

/** How the files of graph `name` are named inside its folder: `${name}${suffix}`. */
export const PLANETOID_FILE_SUFFIXES: Readonly<Record<keyof PlanetoidFiles, string>> = {
  features: '.features.txt',
  labels: '.labels.txt',
  edges: '.edges.txt',
  train: '.split.train.txt',
  validation: '.split.val.txt',
  test: '.split.test.txt',
};

export interface PlanetoidDataset {
  nodeCount: number;
  /** Raw feature values as read (Cora's are 0/1). */
  features: SparseFeatures;
  /** Class per node, -1 when unlabelled. */
  labels: Int32Array;
  classCount: number;
  /** Undirected edges as listed. */
  edges: { source: Int32Array; target: Int32Array };
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/**
 * Parses the six files. The node count is one past the highest index any file mentions, and
 * the feature count one past the highest feature column.
 */
export function parsePlanetoid(files: PlanetoidFiles): PlanetoidDataset {
  const featureEntries = parseFeatures(files.features);
  const labelPairs = parsePairs('labels', files.labels);
  const edgePairs = parsePairs('edges', files.edges);
  const train = parseIndices('train split', files.train);
  const validation = parseIndices('validation split', files.validation);
  const test = parseIndices('test split', files.test);

  const nodeCount =
    1 +
    Math.max(
      -1,
      maxOf(featureEntries.row),
      maxOf(labelPairs.first),
      maxOf(edgePairs.first),
      maxOf(edgePairs.second),
      maxOf(train),
      maxOf(validation),
      maxOf(test),
    );

  const labels = new Int32Array(nodeCount).fill(-1);
  labelPairs.first.forEach((node, k) => (labels[node] = labelPairs.second[k]));

  return {
    nodeCount,
    features: {
      nodeCount,
      featureCount: maxOf(featureEntries.column) + 1,
      row: featureEntries.row,
      column: featureEntries.column,
      value: featureEntries.value,
    },
    labels,
    classCount: maxOf(labels) + 1,
    edges: { source: edgePairs.first, target: edgePairs.second },
    train,
    validation,
    test,
  };
}

/**
 * The published GCN's preprocessing: features scaled to sum 1 per node, the graph normalised
 * with self-loops.
 */
export function planetoidTask(dataset: PlanetoidDataset): NodeClassificationTask {
  return {
    graph: normaliseGraph(dataset.nodeCount, dataset.edges),
    features: rowNormalise(dataset.features),
    labels: dataset.labels,
    classCount: dataset.classCount,
    train: dataset.train,
    validation: dataset.validation,
    test: dataset.test,
  };
}

/** Non-comment, non-blank lines with their 1-based line numbers. */
function* records(text: string): Generator<{ line: number; fields: string[] }> {
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const trimmed = lines[k].trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    yield { line: k + 1, fields: trimmed.split(/\s+/) };
  }
}

function parseIndex(file: string, line: number, field: string, allowNegative = false): number {
  const value = Number(field);
  if (!Number.isInteger(value) || (value < 0 && !(allowNegative && value === -1))) {
    throw new PlanetoidFormatError(file, line, `"${field}" is not a node or class index`);
  }
  return value;
}

function parseFeatures(text: string) {
  const rows: number[] = [];
  const columns: number[] = [];
  const values: number[] = [];
  for (const { line, fields } of records(text)) {
    const node = parseIndex('features', line, fields[0]);
    for (const entry of fields.slice(1)) {
      const [column, value] = entry.split(':');
      const parsedValue = Number(value);
      if (value === undefined || !Number.isFinite(parsedValue)) {
        throw new PlanetoidFormatError('features', line, `"${entry}" is not a "column:value" pair`);
      }
      rows.push(node);
      columns.push(parseIndex('features', line, column));
      values.push(parsedValue);
    }
  }
  return {
    row: Int32Array.from(rows),
    column: Int32Array.from(columns),
    value: Float32Array.from(values),
  };
}

function parsePairs(file: string, text: string) {
  const first: number[] = [];
  const second: number[] = [];
  for (const { line, fields } of records(text)) {
    if (fields.length !== 2) {
      throw new PlanetoidFormatError(file, line, `expected two numbers, found ${fields.length}`);
    }
    first.push(parseIndex(file, line, fields[0]));
    second.push(parseIndex(file, line, fields[1], file === 'labels'));
  }
  return { first: Int32Array.from(first), second: Int32Array.from(second) };
}

function parseIndices(file: string, text: string): Int32Array {
  const nodes: number[] = [];
  for (const { line, fields } of records(text)) {
    if (fields.length !== 1) {
      throw new PlanetoidFormatError(file, line, `expected one node index, found ${fields.length}`);
    }
    nodes.push(parseIndex(file, line, fields[0]));
  }
  return Int32Array.from(nodes);
}

function maxOf(values: ArrayLike<number>): number {
  let max = -1;
  for (let k = 0; k < values.length; k++) if (values[k] > max) max = values[k];
  return max;
}
