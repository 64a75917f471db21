// Reads a lineage folder (nodes.jsonl, edges.jsonl: see shared/data/README.md) and splits its
// parent -> child edges for the lineage link-prediction evaluation (scripts/gnn/lineage.mjs).
// Nothing here is copied into the project: the data is read from the folder given.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Hub ids as written in cards: trimmed, no URL prefix, no slashes at either end. */
export function normaliseModelId(raw) {
  return String(raw)
    .trim()
    .replace(/^https?:\/\/(www\.)?huggingface\.co\//i, '')
    .replace(/^\/+|\/+$/g, '');
}

function readJsonLines(path) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, k) => {
      try {
        return JSON.parse(line);
      } catch (error) {
        throw new Error(`${path}, line ${k + 1}: not JSON (${error.message})`, { cause: error });
      }
    });
}

/**
 * Nodes (merged by normalised id, metadata kept where any copy had it) and distinct
 * parent -> child edges between them, self-links dropped.
 */
export function loadLineage(folder) {
  const index = new Map();
  const nodes = [];
  const nodeOf = (rawId) => {
    const id = normaliseModelId(rawId);
    if (!index.has(id)) {
      index.set(id, nodes.length);
      nodes.push({ id, metadata: null });
    }
    return index.get(id);
  };
  for (const record of readJsonLines(join(folder, 'nodes.jsonl'))) {
    const node = nodes[nodeOf(record.id)];
    if (record.metadata_available) node.metadata = record;
  }

  const seen = new Set();
  const parents = [];
  const children = [];
  for (const record of readJsonLines(join(folder, 'edges.jsonl'))) {
    const parent = nodeOf(record.parent);
    const child = nodeOf(record.child);
    const key = `${parent}>${child}`;
    if (parent === child || seen.has(key)) continue;
    seen.add(key);
    parents.push(parent);
    children.push(child);
  }
  return { nodes, parents: Int32Array.from(parents), children: Int32Array.from(children) };
}

/** Connected components of the undirected lineage graph: a model family per component. */
export function families(nodeCount, parents, children) {
  const root = Int32Array.from({ length: nodeCount }, (_, i) => i);
  const find = (i) => {
    while (root[i] !== i) {
      root[i] = root[root[i]];
      i = root[i];
    }
    return i;
  };
  for (let k = 0; k < parents.length; k++) root[find(parents[k])] = find(children[k]);
  return Int32Array.from({ length: nodeCount }, (_, i) => find(i));
}

/**
 * Holds out children family by family: in each family, a share of its children (rounded at
 * random, so small families take part too) loses every parent edge. Returns the held-out
 * children per share, in order (e.g. test, validation), and the edges left for training.
 */
export function splitByFamily(lineage, shares, random) {
  const family = families(lineage.nodes.length, lineage.parents, lineage.children);
  const childrenByFamily = new Map();
  for (const child of new Set(lineage.children)) {
    const key = family[child];
    if (!childrenByFamily.has(key)) childrenByFamily.set(key, []);
    childrenByFamily.get(key).push(child);
  }

  const heldOut = shares.map(() => []);
  const taken = new Set();
  for (const key of [...childrenByFamily.keys()].sort((a, b) => a - b)) {
    const members = random.shuffle(childrenByFamily.get(key));
    let start = 0;
    shares.forEach((share, s) => {
      const exact = members.length * share;
      const count = Math.floor(exact) + (random.next() < exact % 1 ? 1 : 0);
      const picked = members.slice(start, start + count);
      start += count;
      heldOut[s].push(...picked);
      for (const child of picked) taken.add(child);
    });
  }

  const parentsOf = new Map();
  const train = { source: [], target: [] };
  for (let k = 0; k < lineage.parents.length; k++) {
    const [parent, child] = [lineage.parents[k], lineage.children[k]];
    if (taken.has(child)) {
      if (!parentsOf.has(child)) parentsOf.set(child, []);
      parentsOf.get(child).push(parent);
    } else {
      train.source.push(parent);
      train.target.push(child);
    }
  }
  return {
    heldOut: heldOut.map((list) => list.sort((a, b) => a - b)),
    parentsOf,
    train: { source: Int32Array.from(train.source), target: Int32Array.from(train.target) },
  };
}

/**
 * What the GNN may know of a node, from hub metadata only. The metadata's `source` field
 * names the base model's export file, which would leak the answer: it is never read.
 */
export function describeNode(node) {
  const meta = node.metadata ?? {};
  const tags = Array.isArray(meta.tags) ? meta.tags : [];
  const format = meta.gguf
    ? 'gguf'
    : (['safetensors', 'onnx', 'pytorch', 'tf', 'jax'].find((t) => tags.includes(t)) ?? null);
  const precision = tags.find((t) => /^(4|8)-?bit$|gptq|awq|fp16|bf16|int8/i.test(t)) ?? null;
  return {
    name: node.id,
    format,
    framework: meta.library_name ?? null,
    architecture: meta.model_type ?? null,
    task: meta.pipeline_tag ?? null,
    parameterCount: meta.parameters ?? null,
    precision,
    tags,
    family: meta.model_type ?? null,
  };
}
