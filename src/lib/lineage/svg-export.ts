/**
 * The drawn lineage view as a standalone SVG document. vis-network paints on a canvas, which
 * only gives pixels; this rebuilds the picture as vectors from what the page knows: the laid
 * out positions (`network.getPositions()`), the nodes and edges of `toVisData`, and the shape
 * and colours of each kind from the view's `groups` option. Text stays text, so the file can
 * be searched, scaled and edited.
 *
 * @example
 *   const svg = lineageSvg(view, { positions: network.getPositions() });
 *   saveFile('lineage.svg', svg, 'image/svg+xml');
 */
import type { LineageVisData, LineageVisEdge, LineageVisNode } from './vis-adapter';

export interface SvgPoint {
  x: number;
  y: number;
}

export interface LineageSvgOptions {
  /** Node centres by id, in the drawing's own coordinates; nodes without one are left out. */
  positions: Record<string, SvgPoint>;
  /** The document's title, e.g. `Lineage around bert v3`. */
  title?: string;
  background?: string;
  /** Colour of edge lines and arrowheads. */
  lineColor?: string;
  /** Colour of edge labels. */
  textColor?: string;
  /** Colour of the text inside nodes (their fills are light in both themes). */
  nodeTextColor?: string;
}

interface Box {
  /** Half width and half height of the shape around the centre. */
  halfWidth: number;
  halfHeight: number;
}

const FONT_SIZE = 14;
const LINE_HEIGHT = 17;
const EDGE_FONT_SIZE = 12;
/** A system sans-serif averages a little over half its size per character. */
const CHAR_WIDTH = 0.56;
const MARGIN = 40;
const HEXAGON_RADIUS = 14;

// Characters XML 1.0 cannot hold at all, escaped or not; labels come from users and peers.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Text made safe for XML content and attribute values (quotes included). */
export function escapeXml(text: string): string {
  return text
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const round = (value: number) => Math.round(value * 10) / 10;

function textWidth(line: string, size: number): number {
  return [...line].length * size * CHAR_WIDTH;
}

function labelLines(label: unknown): string[] {
  return typeof label === 'string' && label !== '' ? label.split('\n') : [];
}

interface GroupStyle {
  shape: string;
  background: string;
  border: string;
  dashed: boolean;
}

function styleOf(view: Pick<LineageVisData, 'options'>, node: LineageVisNode): GroupStyle {
  const groups = (view.options.groups ?? {}) as Record<string, Record<string, unknown>>;
  const group = groups[node.group] ?? {};
  const color = (group.color ?? {}) as { background?: string; border?: string };
  const dashes = (group.shapeProperties as { borderDashes?: unknown } | undefined)?.borderDashes;
  return {
    shape: typeof group.shape === 'string' ? group.shape : 'box',
    background: color.background ?? '#e5e7eb',
    border: color.border ?? '#374151',
    dashed: Array.isArray(dashes),
  };
}

/** The shape's extent around its centre; the hexagon's label hangs below it. */
function boxOf(shape: string, lines: string[]): Box {
  const width = Math.max(0, ...lines.map((line) => textWidth(line, FONT_SIZE)));
  const height = lines.length * LINE_HEIGHT;
  if (shape === 'hexagon') return { halfWidth: HEXAGON_RADIUS, halfHeight: HEXAGON_RADIUS };
  if (shape === 'ellipse') return { halfWidth: width / 2 + 18, halfHeight: height / 2 + 10 };
  if (shape === 'database') return { halfWidth: width / 2 + 12, halfHeight: height / 2 + 16 };
  return { halfWidth: width / 2 + 8, halfHeight: height / 2 + 6 };
}

function shapeMarkup(shape: string, box: Box, paint: string): string {
  const { halfWidth: w, halfHeight: h } = box;
  if (shape === 'ellipse')
    return `<ellipse cx="0" cy="0" rx="${round(w)}" ry="${round(h)}"${paint}/>`;
  if (shape === 'hexagon') {
    const points = Array.from({ length: 6 }, (_, i) => {
      const angle = (Math.PI / 3) * i;
      return `${round(Math.cos(angle) * w)},${round(Math.sin(angle) * w)}`;
    });
    return `<polygon points="${points.join(' ')}"${paint}/>`;
  }
  if (shape === 'database') {
    // A cylinder: side walls, a bottom arc, and the top as a whole ellipse.
    const cap = Math.min(8, h / 3);
    const top = -h + cap;
    const bottom = h - cap;
    const body =
      `M${round(-w)},${round(top)} L${round(-w)},${round(bottom)} ` +
      `A${round(w)},${round(cap)} 0 0 0 ${round(w)},${round(bottom)} L${round(w)},${round(top)}`;
    return (
      `<path d="${body}"${paint}/>` +
      `<ellipse cx="0" cy="${round(top)}" rx="${round(w)}" ry="${round(cap)}"${paint}/>`
    );
  }
  return (
    `<rect x="${round(-w)}" y="${round(-h)}" width="${round(2 * w)}" ` +
    `height="${round(2 * h)}" rx="4"${paint}/>`
  );
}

function textMarkup(lines: string[], top: number, attributes: string): string {
  if (lines.length === 0) return '';
  const spans = lines
    .map((line, i) => `<tspan x="0" y="${round(top + i * LINE_HEIGHT)}">${escapeXml(line)}</tspan>`)
    .join('');
  return `<text text-anchor="middle" dominant-baseline="central"${attributes}>${spans}</text>`;
}

function nodeMarkup(
  view: Pick<LineageVisData, 'options'>,
  node: LineageVisNode,
  at: SvgPoint,
  box: Box,
  textColor: string,
): string {
  const style = styleOf(view, node);
  const lines = labelLines(node.label);
  const width = typeof node.borderWidth === 'number' ? node.borderWidth : 1.5;
  const dashes = style.dashed ? ' stroke-dasharray="6 4"' : '';
  const paint =
    ` fill="${escapeXml(style.background)}" stroke="${escapeXml(style.border)}" ` +
    `stroke-width="${width}"${dashes}`;
  const below = style.shape === 'hexagon';
  const firstLine = below
    ? box.halfHeight + 6 + LINE_HEIGHT / 2
    : -((lines.length - 1) * LINE_HEIGHT) / 2;
  const title = typeof node.title === 'string' ? `<title>${escapeXml(node.title)}</title>` : '';
  return (
    `<g class="node" data-id="${escapeXml(node.id)}" data-kind="${escapeXml(node.group)}" ` +
    `transform="translate(${round(at.x)},${round(at.y)})">${title}` +
    shapeMarkup(style.shape, box, paint) +
    textMarkup(lines, firstLine, ` fill="${escapeXml(textColor)}"`) +
    `</g>`
  );
}

/** Where the line from `from` towards `to` leaves the box around `from`. */
function boundaryPoint(from: SvgPoint, to: SvgPoint, box: Box): SvgPoint {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  if (dx === 0 && dy === 0) return from;
  const scale = 1 / Math.max(Math.abs(dx) / box.halfWidth, Math.abs(dy) / box.halfHeight);
  return { x: from.x + dx * Math.min(1, scale), y: from.y + dy * Math.min(1, scale) };
}

function edgeMarkup(
  edge: LineageVisEdge,
  ends: [SvgPoint, SvgPoint],
  boxes: [Box, Box],
  colors: { line: string; text: string; ground: string },
): string {
  const start = boundaryPoint(ends[0], ends[1], boxes[0]);
  const end = boundaryPoint(ends[1], ends[0], boxes[1]);
  const dashes = edge.dashes ? ' stroke-dasharray="5 5"' : '';
  const line =
    `<line x1="${round(start.x)}" y1="${round(start.y)}" x2="${round(end.x)}" ` +
    `y2="${round(end.y)}" stroke="${escapeXml(colors.line)}" stroke-width="1.2"${dashes} ` +
    `marker-end="url(#arrow)"/>`;
  const title = typeof edge.title === 'string' ? `<title>${escapeXml(edge.title)}</title>` : '';
  const label =
    typeof edge.label === 'string' && edge.label !== ''
      ? `<text x="${round((start.x + end.x) / 2)}" y="${round((start.y + end.y) / 2)}" ` +
        `text-anchor="middle" dominant-baseline="central" font-size="${EDGE_FONT_SIZE}" ` +
        `fill="${escapeXml(colors.text)}" stroke="${escapeXml(colors.ground)}" ` +
        `stroke-width="4" paint-order="stroke">${escapeXml(edge.label)}</text>`
      : '';
  return (
    `<g class="edge" data-id="${escapeXml(edge.id)}" data-relation="${escapeXml(edge.relation)}"` +
    ` data-from="${escapeXml(edge.from)}" data-to="${escapeXml(edge.to)}">` +
    `${title}${line}${label}</g>`
  );
}

/**
 * An SVG document of the view as laid out: one `<g class="node">` per positioned node and one
 * `<g class="edge">` per edge whose ends are both positioned, edges under nodes.
 */
export function lineageSvg(
  view: Pick<LineageVisData, 'nodes' | 'edges' | 'options'>,
  options: LineageSvgOptions,
): string {
  const colors = {
    line: options.lineColor ?? '#5a656b',
    text: options.textColor ?? '#1b2326',
    ground: options.background ?? '#ffffff',
  };
  const nodeText = options.nodeTextColor ?? '#1b2326';

  const placed = new Map<string, { node: LineageVisNode; at: SvgPoint; box: Box }>();
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const node of view.nodes) {
    const at = options.positions[node.id];
    if (!at || !Number.isFinite(at.x) || !Number.isFinite(at.y)) continue;
    const lines = labelLines(node.label);
    const shape = styleOf(view, node).shape;
    const box = boxOf(shape, lines);
    placed.set(node.id, { node, at, box });
    const below = shape === 'hexagon' ? lines.length * LINE_HEIGHT + 8 : 0;
    const halfText = Math.max(...lines.map((line) => textWidth(line, FONT_SIZE)), 0) / 2;
    const halfWidth = Math.max(box.halfWidth, halfText);
    minX = Math.min(minX, at.x - halfWidth);
    maxX = Math.max(maxX, at.x + halfWidth);
    minY = Math.min(minY, at.y - box.halfHeight);
    maxY = Math.max(maxY, at.y + box.halfHeight + below);
  }
  if (placed.size === 0) minX = minY = maxX = maxY = 0;

  const x = round(minX - MARGIN);
  const y = round(minY - MARGIN);
  const width = round(maxX - minX + 2 * MARGIN);
  const height = round(maxY - minY + 2 * MARGIN);

  const edges: string[] = [];
  for (const edge of view.edges) {
    const from = placed.get(edge.from);
    const to = placed.get(edge.to);
    if (!from || !to) continue;
    edges.push(edgeMarkup(edge, [from.at, to.at], [from.box, to.box], colors));
  }
  const nodes = [...placed.values()].map(({ node, at, box }) =>
    nodeMarkup(view, node, at, box, nodeText),
  );

  const title = options.title ? `<title>${escapeXml(options.title)}</title>` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="${x} ${y} ${width} ` +
      `${height}" width="${width}" height="${height}" ` +
      `font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="${FONT_SIZE}">`,
    title,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" ` +
      `markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" ` +
      `fill="${escapeXml(colors.line)}"/></marker></defs>`,
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" ` +
      `fill="${escapeXml(colors.ground)}"/>`,
    `<g class="edges">${edges.join('')}</g>`,
    `<g class="nodes">${nodes.join('')}</g>`,
    '</svg>\n',
  ]
    .filter((part) => part !== '')
    .join('\n');
}
