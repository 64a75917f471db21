/**
 * The lineage view as SVG: a well-formed document with one element per drawn node and edge,
 * labels escaped (including characters XML cannot hold), shapes by kind, and a view box
 * around every node.
 */
import { describe, expect, test } from 'vitest';
import { escapeXml, lineageSvg } from '../../src/lib/lineage/svg-export';
import { toVisData } from '../../src/lib/lineage/vis-adapter';
import type { LineageSubgraph } from '../../src/lib/lineage/types';
import { parseXml, type XmlElement } from './support/xml';

const subgraph: LineageSubgraph = {
  center: 'v2',
  nodes: [
    { id: 'v1', kind: 'version', label: 'bert <base> & "friends"', depth: -1 },
    { id: 'v2', kind: 'version', label: "bert-ner v2 'tuned'", depth: 0 },
    { id: 'd1', kind: 'dataset', label: 'squad 2.0', depth: -1 },
    { id: 'r1', kind: 'run', label: 'run\u0001 #7', depth: 1 },
    { id: 'c1', kind: 'code', label: 'bert@0123abc', depth: -2 },
  ],
  edges: [
    { id: 'e1', from: 'v1', to: 'v2', relation: 'merged-from', weight: 0.4 },
    { id: 'e2', from: 'd1', to: 'v2', relation: 'trained-on' },
    { id: 'e3', from: 'v2', to: 'r1', relation: 'derived-from' },
    { id: 'e4', from: 'c1', to: 'd1', relation: 'produced-by' },
  ],
  truncated: false,
};

const view = toVisData(subgraph, {
  facts: (id) => (id === 'v2' ? { aliases: ['champion', 'staging'] } : undefined),
});
const positions = {
  v1: { x: -120, y: 0 },
  v2: { x: 0, y: 110 },
  d1: { x: 120, y: 0 },
  r1: { x: 0, y: 220 },
  c1: { x: 120, y: -110 },
};

function byClass(elements: XmlElement[], name: string) {
  return elements.filter((element) => element.attributes.class === name);
}

/** The label lines (`tspan`s) inside an element, in order. */
function textWithin(elements: XmlElement[], root: XmlElement): string {
  const inside = (element: XmlElement): boolean =>
    element.parent === root || (element.parent !== null && inside(element.parent));
  return elements
    .filter((element) => element.name === 'tspan' && inside(element))
    .map((element) => element.text)
    .join('\n');
}

describe('lineageSvg', () => {
  const svg = lineageSvg(view, { positions, title: 'Lineage <around> bert & co' });
  const elements = parseXml(svg);

  test('is a well-formed SVG document with one group per node and per edge', () => {
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
    expect(elements[0]).toMatchObject({ name: 'svg', parent: null });
    expect(elements[0].attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    const nodes = byClass(elements, 'node');
    const edges = byClass(elements, 'edge');
    expect(nodes.map((node) => node.attributes['data-id'])).toEqual(['v1', 'v2', 'd1', 'r1', 'c1']);
    expect(edges.map((edge) => edge.attributes['data-id'])).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(edges[0].attributes).toMatchObject({
      'data-from': 'v1',
      'data-to': 'v2',
      'data-relation': 'merged-from',
    });
  });

  test('escapes labels and drops characters XML cannot hold', () => {
    const [first, second, , run] = byClass(elements, 'node');
    expect(textWithin(elements, first)).toBe('bert <base> & "friends"');
    expect(textWithin(elements, second)).toBe("bert-ner v2 'tuned'\n@champion · @staging");
    expect(textWithin(elements, run)).toBe('run #7');
    expect(elements.find((element) => element.name === 'title')?.text).toBe(
      'Lineage <around> bert & co',
    );
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;',
    );
  });

  test('draws each kind in its shape and colour, edge labels and dashes included', () => {
    const shapeOf = (node: XmlElement) =>
      elements
        .filter((element) => element.parent === node && element.name !== 'title')
        .map((element) => element.name)
        .filter((name) => name !== 'text')
        .join('+');
    const nodes = byClass(elements, 'node');
    expect(nodes.map((node) => [node.attributes['data-kind'], shapeOf(node)])).toEqual([
      ['version', 'rect'],
      ['version', 'rect'],
      ['dataset', 'path+ellipse'],
      ['run', 'ellipse'],
      ['code', 'polygon'],
    ]);
    const datasetFill = elements.find((e) => e.parent === nodes[2] && e.name === 'path');
    expect(datasetFill?.attributes.fill).toBe('#dcfce7');
    // The centre is drawn with a heavier border.
    const centre = elements.find((e) => e.parent === nodes[1] && e.name === 'rect');
    expect(centre?.attributes['stroke-width']).toBe('3');

    const edges = byClass(elements, 'edge');
    const labels = edges.map((edge) => {
      const text = elements.find((e) => e.parent === edge && e.name === 'text');
      return text?.text;
    });
    expect(labels).toEqual(['merged from 40%', 'trained on', 'derived from', 'produced by']);
    const line = (edge: XmlElement) => elements.find((e) => e.parent === edge && e.name === 'line');
    expect(line(edges[1])?.attributes['stroke-dasharray']).toBe('5 5');
    expect(line(edges[0])?.attributes['stroke-dasharray']).toBeUndefined();
    expect(line(edges[0])?.attributes['marker-end']).toBe('url(#arrow)');
  });

  test('frames every node in the view box and leaves out nodes without a position', () => {
    const [x, y, width, height] = elements[0].attributes.viewBox.split(' ').map(Number);
    for (const { x: px, y: py } of Object.values(positions)) {
      expect(px).toBeGreaterThan(x);
      expect(px).toBeLessThan(x + width);
      expect(py).toBeGreaterThan(y);
      expect(py).toBeLessThan(y + height);
    }

    const partial = parseXml(
      lineageSvg(view, { positions: { v1: positions.v1, v2: positions.v2 } }),
    );
    expect(byClass(partial, 'node')).toHaveLength(2);
    expect(byClass(partial, 'edge').map((edge) => edge.attributes['data-id'])).toEqual(['e1']);
    const empty = parseXml(lineageSvg(view, { positions: {} }));
    expect(byClass(empty, 'node')).toHaveLength(0);
  });

  test('the checker itself rejects malformed XML', () => {
    expect(() => parseXml('<svg><g></svg>')).toThrow(/closes/);
    expect(() => parseXml('<svg>a & b</svg>')).toThrow(/Bare "&"/);
    expect(() => parseXml('<svg a="1" a="2"/>')).toThrow(/Duplicate/);
    expect(() => parseXml('<svg/><svg/>')).toThrow(/second root/);
  });
});
