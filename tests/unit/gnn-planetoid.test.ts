import { describe, expect, it } from 'vitest';
import { PlanetoidFormatError } from '../../src/lib/gnn/errors';
import { parsePlanetoid, planetoidTask } from '../../src/lib/gnn/planetoid';

// A five-node graph in Planetoid text format, written for this test.
const files = {
  features: '# node j:v\n0 0:1 2:1\n1 1:1\n2 0:1 1:1 3:1\n3 3:1\n4 2:1\n',
  labels: '# node label\n0 0\n1 1\n2 0\n3 1\n4 -1\n',
  edges: '# u v\n0 1\n1 2\n2 3\n',
  train: '0\n1\n',
  validation: '2\n',
  test: '3\n',
};

describe('parsePlanetoid', () => {
  it('reads features, labels, edges and splits, skipping comments', () => {
    const dataset = parsePlanetoid(files);
    expect(dataset.nodeCount).toBe(5);
    expect(dataset.features.featureCount).toBe(4);
    expect(Array.from(dataset.features.row)).toEqual([0, 0, 1, 2, 2, 2, 3, 4]);
    expect(Array.from(dataset.features.column)).toEqual([0, 2, 1, 0, 1, 3, 3, 2]);
    expect(Array.from(dataset.labels)).toEqual([0, 1, 0, 1, -1]);
    expect(dataset.classCount).toBe(2);
    expect(Array.from(dataset.edges.source)).toEqual([0, 1, 2]);
    expect(Array.from(dataset.train)).toEqual([0, 1]);
  });

  it('prepares the published preprocessing: rows summing to 1 and a normalised graph', () => {
    const task = planetoidTask(parsePlanetoid(files));
    const node2 = Array.from(task.features.value.subarray(3, 6));
    node2.forEach((v) => expect(v).toBeCloseTo(1 / 3, 6));
    expect(task.graph.source.length).toBe(5 + 2 * 3);
  });

  it('names the file and line of a malformed record', () => {
    const broken = { ...files, edges: '0 1\n1 two\n' };
    expect(() => parsePlanetoid(broken)).toThrow(PlanetoidFormatError);
    expect(() => parsePlanetoid(broken)).toThrow(/edges, line 2: "two"/);
  });
});
