import { describe, expect, it } from 'vitest';
import { GraphShapeError } from '../../src/lib/gnn/errors';
import { normaliseGraph } from '../../src/lib/gnn/graph';

/** The normalised graph as a map "target,source" -> coefficient, for readable assertions. */
function coefficients(graph: ReturnType<typeof normaliseGraph>): Map<string, number> {
  const entries = new Map<string, number>();
  for (let m = 0; m < graph.source.length; m++) {
    entries.set(`${graph.target[m]},${graph.source[m]}`, graph.coefficient[m]);
  }
  return entries;
}

describe('normaliseGraph', () => {
  // The path 0 - 1 - 2 and a node 3 with no edges, given with a duplicate edge (in the other
  // direction) and a self-loop, which must not count twice.
  const graph = normaliseGraph(4, { source: [0, 1, 2, 2], target: [1, 2, 1, 2] });

  it('counts each node once as its own neighbour: d = 1 + distinct neighbours', () => {
    expect(Array.from(graph.degree)).toEqual([2, 3, 2, 1]);
  });

  it('weights each message by 1/sqrt(d_i d_j), as computed by hand', () => {
    const expected = new Map([
      ['0,0', 1 / 2],
      ['0,1', 1 / Math.sqrt(6)],
      ['1,0', 1 / Math.sqrt(6)],
      ['1,1', 1 / 3],
      ['1,2', 1 / Math.sqrt(6)],
      ['2,1', 1 / Math.sqrt(6)],
      ['2,2', 1 / 2],
      ['3,3', 1],
    ]);
    const actual = coefficients(graph);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, value] of expected) expect(actual.get(key)).toBeCloseTo(value, 6);
  });

  it('lists messages sorted by target, then source', () => {
    const keys = Array.from(graph.target, (t, m) => t * 10 + graph.source[m]);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  });

  it('rejects an edge to a node that does not exist, naming it', () => {
    expect(() => normaliseGraph(3, { source: [0], target: [3] })).toThrow(GraphShapeError);
    expect(() => normaliseGraph(3, { source: [0], target: [3] })).toThrow(/joins 0 and 3/);
  });

  it('rejects edge lists of different lengths', () => {
    expect(() => normaliseGraph(3, { source: [0, 1], target: [1] })).toThrow(GraphShapeError);
  });
});
