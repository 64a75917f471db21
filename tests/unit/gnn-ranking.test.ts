import { describe, expect, it } from 'vitest';
import { rankingMetrics, rankOfTrue } from '../../src/lib/gnn/link-eval';

describe('rankOfTrue', () => {
  it('ranks the best-scored true candidate among the others', () => {
    expect(rankOfTrue([0.1, 0.9, 0.5, 0.7], [2])).toBe(3);
    expect(rankOfTrue([0.1, 0.9, 0.5, 0.7], [2, 1])).toBe(1);
  });

  it('leaves ignored candidates out of the ranking', () => {
    expect(rankOfTrue([0.1, 0.9, 0.5, 0.7], [2], new Set([1, 3]))).toBe(1);
  });

  it('counts ties as half, so constant scores rank like a random guess', () => {
    expect(rankOfTrue([1, 1, 1, 1, 1], [0])).toBe(3);
  });
});

describe('rankingMetrics', () => {
  it('computes Hits@k and MRR over the ranks', () => {
    const metrics = rankingMetrics([1, 2, 4, 20], [1, 3, 10]);
    expect(metrics.queries).toBe(4);
    expect(metrics.hits).toEqual({ 1: 0.25, 3: 0.5, 10: 0.75 });
    expect(metrics.mrr).toBeCloseTo((1 + 1 / 2 + 1 / 4 + 1 / 20) / 4, 10);
  });
});
