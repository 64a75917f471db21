// The pure parts behind the insights page: the held-out split and its score, the map's PCA,
// when retraining is offered, and the reasons given for a suggested parent.
import { describe, expect, it } from 'vitest';
import { graphDrift, linkKey, RETRAIN_SHARE } from '../../src/lib/gnn/graph-drift';
import {
  holdOutChildren,
  innerProductScores,
  MIN_LINKS_TO_SCORE,
  scoreHeldOut,
} from '../../src/lib/gnn/link-holdout';
import { parentReasons, type VersionFacts } from '../../src/lib/gnn/parent-reasons';
import { pca2d } from '../../src/lib/gnn/pca';
import { SeededRandom } from '../../src/lib/gnn/random';

/** A forest: node 0 is the root of children 1..9; each child i has a grandchild 10 + i. */
function forest() {
  const source: number[] = [];
  const target: number[] = [];
  for (let i = 1; i < 10; i++) {
    source.push(0, i);
    target.push(i, 9 + i);
  }
  return { source: Int32Array.from(source), target: Int32Array.from(target) };
}

describe('holdOutChildren', () => {
  it('holds out whole children, keeps every other link for training, and is seeded', () => {
    const links = forest();
    const split = holdOutChildren(links, 0.2, 3)!;
    const again = holdOutChildren(links, 0.2, 3)!;
    expect([...split.heldOut.target]).toEqual([...again.heldOut.target]);

    const heldChildren = new Set(split.heldOut.target);
    expect(heldChildren.size).toBe(Math.round(18 * 0.2));
    expect([...split.train.target].some((child) => heldChildren.has(child))).toBe(false);
    expect(split.train.source.length + split.heldOut.source.length).toBe(links.source.length);
    for (const [child, parents] of split.parentsOf) {
      expect(heldChildren.has(child)).toBe(true);
      expect(parents.length).toBeGreaterThan(0);
    }
  });

  it('declines to score a graph with too few links, and never holds out every link', () => {
    const two = { source: [0, 1], target: [1, 2] };
    expect(MIN_LINKS_TO_SCORE).toBe(3);
    expect(holdOutChildren(two, 0.5, 1)).toBeNull();

    // Three links into one child: holding it out would leave training nothing.
    expect(holdOutChildren({ source: [0, 1, 2], target: [3, 3, 3] }, 0.9, 1)).toBeNull();
    const split = holdOutChildren({ source: [0, 1, 2], target: [1, 2, 3] }, 1, 1)!;
    expect(split.train.source.length).toBeGreaterThanOrEqual(1);
  });
});

describe('scoreHeldOut', () => {
  const links = forest();
  const split = holdOutChildren(links, 0.3, 5)!;

  it('gives an oracle Hits@1 = 1 and MRR = 1', () => {
    const metrics = scoreHeldOut(split, (child) => {
      const scores = new Float32Array(19);
      for (const parent of split.parentsOf.get(child)!) scores[parent] = 1;
      return scores;
    });
    expect(metrics.queries).toBe(split.parentsOf.size);
    expect(metrics.hits[1]).toBe(1);
    expect(metrics.mrr).toBe(1);
  });

  it('gives a constant scorer the rank of a random guess, not the best', () => {
    const metrics = scoreHeldOut(split, () => new Float32Array(19));
    // 19 nodes less the child: the true parent ties with 17 others, rank 1 + 17 / 2.
    expect(metrics.mrr).toBeCloseTo(1 / 9.5, 5);
    expect(metrics.hits[1]).toBe(0);
  });

  it('scores by inner products of embedding rows', () => {
    const embeddings = Float32Array.of(1, 0, 0, 1, 1, 1);
    expect([...innerProductScores(embeddings, 2, 2)]).toEqual([1, 1, 2]);
  });
});

describe('pca2d', () => {
  it('finds the axis of the largest spread first, with a repeatable sign', () => {
    const random = new SeededRandom(9);
    const rows = 200;
    const values = new Float32Array(rows * 4);
    for (let i = 0; i < rows; i++) {
      const t = random.normal();
      const s = random.normal();
      // Spread 10 along (1, 1, 0, 0)/sqrt2, 1 along (0, 0, 1, 0), almost none elsewhere.
      values.set([10 * t + 3, 10 * t + 3, s, 0.01 * random.normal()], i * 4);
    }
    const { x, y, explained } = pca2d(values, 4);
    const column = (c: number) => Float32Array.from({ length: rows }, (_, i) => values[i * 4 + c]);
    // x follows the (1, 1, 0, 0) spread; the sign rule makes that a positive correlation.
    expect(correlation(x, column(0))).toBeGreaterThan(0.999);
    expect(Math.abs(correlation(y, column(2)))).toBeGreaterThan(0.99);
    expect(explained[0]).toBeGreaterThan(0.98);
    expect(explained[0] + explained[1]).toBeLessThanOrEqual(1.000001);
    expect(pca2d(values, 4).x).toEqual(x);
  });

  it('puts identical rows at one point', () => {
    const { x, y } = pca2d(new Float32Array(12).fill(2), 3);
    expect([...x, ...y].every((v) => v === 0)).toBe(true);
  });
});

function correlation(a: Float32Array, b: Float32Array): number {
  const mean = (v: Float32Array) => v.reduce((sum, x) => sum + x, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('graphDrift', () => {
  const ids = Array.from({ length: 20 }, (_, i) => `v${i}`);
  const trained = { nodeIds: ids, linkKeys: ids.slice(1).map((id) => linkKey('v0', id)) };

  it('offers retraining once a tenth of the versions are new or gone', () => {
    const one = graphDrift(trained, { ...trained, nodeIds: [...ids, 'new'] });
    expect(one).toMatchObject({ addedVersions: 1, removedVersions: 0, retrain: false });
    const two = graphDrift(trained, { ...trained, nodeIds: [...ids.slice(1), 'a', 'b'] });
    expect(two).toMatchObject({ addedVersions: 2, removedVersions: 1, versionShare: 0.15 });
    expect(two.retrain).toBe(true);
    expect(RETRAIN_SHARE).toBe(0.1);
  });

  it('offers retraining once a tenth of the links changed, and at the first link', () => {
    const links = [...trained.linkKeys.slice(2), linkKey('v3', 'v4')];
    const drift = graphDrift(trained, { nodeIds: ids, linkKeys: links });
    expect(drift).toMatchObject({ addedLinks: 1, removedLinks: 2, retrain: true });

    const unlinked = { nodeIds: ids, linkKeys: [] };
    expect(graphDrift(unlinked, unlinked).retrain).toBe(false);
    expect(graphDrift(unlinked, { nodeIds: ids, linkKeys: ['v0>v1'] }).retrain).toBe(true);
  });
});

describe('parentReasons', () => {
  const facts = (over: Partial<VersionFacts>): VersionFacts => ({
    modelName: 'acme/llama-7b-chat',
    number: 1,
    family: null,
    architecture: null,
    task: null,
    ...over,
  });

  it('names a shared family, a similar name and the same architecture', () => {
    const child = facts({ family: 'llama', architecture: 'LlamaForCausalLM' });
    const parent = facts({
      modelName: 'meta/llama-7b',
      family: 'Llama',
      architecture: 'LlamaForCausalLM',
    });
    const reasons = parentReasons(child, parent, { score: 0.7, sharedTokens: ['llama', '7b'] });
    expect(reasons.map((r) => r.text)).toEqual([
      'similar name (llama, 7b)',
      'shared family Llama',
      'same architecture LlamaForCausalLM',
    ]);
  });

  it('says "same model" for an earlier version, and nothing for unrelated versions', () => {
    const reasons = parentReasons(facts({ number: 3 }), facts({ number: 2 }), {
      score: 1,
      sharedTokens: ['llama'],
    });
    expect(reasons).toEqual([{ kind: 'same-model', text: 'same model, v2' }]);
    const none = parentReasons(facts({}), facts({ modelName: 'x/resnet', family: 'resnet' }), {
      score: 0.1,
      sharedTokens: [],
    });
    expect(none).toEqual([]);
  });

  it('does not repeat an architecture that is also the family', () => {
    const child = facts({ family: 'bert', architecture: 'bert' });
    const parent = facts({ modelName: 'google/bert', family: 'bert', architecture: 'bert' });
    const kinds = parentReasons(child, parent, { score: 0, sharedTokens: [] }).map((r) => r.kind);
    expect(kinds).toEqual(['shared-family']);
  });
});
