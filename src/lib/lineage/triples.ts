/**
 * Lineage as plain triples, as JSON and as CSV, and back.
 *
 * A triple reads as a sentence about the child: `bert-ner fine-tuned-from bert-base`, so
 * `subject` is the edge's `to` and `object` its `from`. CSV files have the header
 * `subject,predicate,object,note`, with a fifth column `weight` when a merge carries
 * weights. Triples name entities by whatever terms the file uses (ids, or `models:/` URIs);
 * matching them to entities is the caller's job.
 */
import { csvField, parseCsv } from './csv';
import { LineageImportError, type LineageImportProblem } from './errors';
import {
  isLineageRelation,
  LINEAGE_RELATIONS,
  type LineageEdge,
  type LineageRelation,
} from './types';

export interface LineageTriple {
  subject: string;
  predicate: LineageRelation;
  object: string;
  note?: string;
  weight?: number;
}

/** The JSON file shape; a bare array of triples is read as well. */
export interface LineageTriplesFile {
  format: 'stemma-lineage-triples';
  version: 1;
  triples: LineageTriple[];
}

const REQUIRED_COLUMNS = ['subject', 'predicate', 'object'] as const;
const OPTIONAL_COLUMNS = ['note', 'weight'] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** The id an imported triple's edge gets: the same triple always maps to the same edge. */
export function tripleEdgeId(subject: string, predicate: LineageRelation, object: string): string {
  return `triple:${JSON.stringify([subject, predicate, object])}`;
}

/** The triple an edge reads as. */
export function edgeToTriple(edge: LineageEdge): LineageTriple {
  const triple: LineageTriple = { subject: edge.to, predicate: edge.relation, object: edge.from };
  if (edge.note !== undefined) triple.note = edge.note;
  if (edge.weight !== undefined) triple.weight = edge.weight;
  return triple;
}

function tripleToEdge(triple: LineageTriple): LineageEdge {
  const edge: LineageEdge = {
    id: tripleEdgeId(triple.subject, triple.predicate, triple.object),
    from: triple.object,
    to: triple.subject,
    relation: triple.predicate,
  };
  if (triple.note !== undefined && triple.note !== '') edge.note = triple.note;
  if (triple.weight !== undefined) edge.weight = triple.weight;
  return edge;
}

/** Reads a predicate leniently: `Fine tuned from`, `fine_tuned_from`, `quantised-from`. */
export function parsePredicate(text: string): LineageRelation | null {
  const normal = text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace('quantised', 'quantized');
  return isLineageRelation(normal) ? normal : null;
}

/** Writes the JSON triples file. */
export function toTriplesJson(edges: readonly LineageEdge[]): LineageTriplesFile {
  return { format: 'stemma-lineage-triples', version: 1, triples: edges.map(edgeToTriple) };
}

/** Writes the CSV triples file, CRLF line ends as RFC 4180 has them. */
export function toTriplesCsv(edges: readonly LineageEdge[]): string {
  const weighted = edges.some((edge) => edge.weight !== undefined);
  const header = weighted
    ? 'subject,predicate,object,note,weight'
    : 'subject,predicate,object,note';
  const rows = edges.map((edge) => {
    const fields = [edge.to, edge.relation, edge.from, edge.note ?? ''].map(csvField);
    if (weighted) fields.push(edge.weight === undefined ? '' : String(edge.weight));
    return fields.join(',');
  });
  return [header, ...rows].join('\r\n') + '\r\n';
}

/**
 * Checks one triple's fields; returns the triple or pushes what is wrong with it.
 * `line` and the column names go into the problems.
 */
function checkTriple(
  raw: Partial<Record<Column, unknown>>,
  line: number,
  problems: LineageImportProblem[],
): LineageTriple | null {
  const before = problems.length;
  const problem = (column: Column, message: string) => problems.push({ line, column, message });
  const text = (column: Column) =>
    typeof raw[column] === 'string' ? (raw[column] as string).trim() : '';

  const subject = text('subject');
  const object = text('object');
  if (!subject) problem('subject', 'the subject (the derived entity) is empty');
  if (!object) problem('object', 'the object (the parent entity) is empty');
  if (subject && subject === object) {
    problem('object', `"${subject}" cannot come from itself`);
  }

  const predicate = parsePredicate(text('predicate'));
  if (!predicate) {
    const known = LINEAGE_RELATIONS.join(', ');
    problem('predicate', `"${text('predicate')}" is not a lineage relation; use one of ${known}`);
  }

  let weight: number | undefined;
  const rawWeight = raw.weight;
  if (rawWeight !== undefined && rawWeight !== '' && rawWeight !== null) {
    weight = typeof rawWeight === 'number' ? rawWeight : Number(String(rawWeight).trim());
    if (!Number.isFinite(weight))
      problem('weight', `the weight "${String(rawWeight)}" is not a number`);
    else if (predicate && predicate !== 'merged-from') {
      problem('weight', `a weight belongs on merged-from only, not on ${predicate}`);
    }
  }
  if (raw.note !== undefined && typeof raw.note !== 'string')
    problem('note', 'the note is not text');

  if (problems.length > before) return null;
  const triple: LineageTriple = { subject, predicate: predicate as LineageRelation, object };
  if (typeof raw.note === 'string' && raw.note !== '') triple.note = raw.note;
  if (weight !== undefined) triple.weight = weight;
  return triple;
}

/** Keeps the first edge of each id: a triple listed twice is one edge. */
function uniqueEdges(triples: LineageTriple[]): LineageEdge[] {
  const byId = new Map<string, LineageEdge>();
  for (const triple of triples) {
    const edge = tripleToEdge(triple);
    if (!byId.has(edge.id)) byId.set(edge.id, edge);
  }
  return [...byId.values()];
}

/**
 * Reads a CSV triples file into edges. Throws `LineageImportError` listing every bad row
 * with its line number; nothing is imported from a file with bad rows.
 */
export function fromTriplesCsv(text: string): LineageEdge[] {
  const { records, problems: csvProblems } = parseCsv(text);
  const problems: LineageImportProblem[] = csvProblems.map((p) => ({ ...p, column: null }));
  const fail = () => new LineageImportError('the CSV file', 'line', problems);
  const [header, ...rows] = records;
  if (!header) {
    problems.push({ line: 1, column: null, message: 'the file is empty' });
    throw fail();
  }

  const columns = header.fields.map((name) => name.trim().toLowerCase());
  for (const name of columns) {
    if (![...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].includes(name as Column)) {
      const message = `unknown column "${name}"; use subject,predicate,object,note,weight`;
      problems.push({ line: header.line, column: name, message });
    }
  }
  for (const name of REQUIRED_COLUMNS) {
    if (!columns.includes(name)) {
      problems.push({
        line: header.line,
        column: name,
        message: `the header has no "${name}" column`,
      });
    }
  }
  if (problems.length > 0) throw fail();

  const triples: LineageTriple[] = [];
  for (const row of rows) {
    if (row.fields.length !== columns.length) {
      const message = `${row.fields.length} fields where the header has ${columns.length}`;
      problems.push({ line: row.line, column: null, message });
      continue;
    }
    const raw = Object.fromEntries(columns.map((name, i) => [name, row.fields[i]]));
    const triple = checkTriple(raw, row.line, problems);
    if (triple) triples.push(triple);
  }
  if (problems.length > 0) throw fail();
  return uniqueEdges(triples);
}

/**
 * Reads a JSON triples file (text or already parsed) into edges. Throws
 * `LineageImportError` listing every bad triple by its 1-based position in the list.
 */
export function fromTriplesJson(input: string | unknown): LineageEdge[] {
  let parsed: unknown = input;
  if (typeof input === 'string') {
    try {
      parsed = JSON.parse(input);
    } catch (cause) {
      const message = `it is not JSON (${(cause as Error).message})`;
      throw new LineageImportError('the JSON file', 'item', [{ line: 1, column: null, message }], {
        cause,
      });
    }
  }

  const list = Array.isArray(parsed) ? parsed : (parsed as Partial<LineageTriplesFile>)?.triples;
  if (!Array.isArray(list)) {
    const message = 'it holds no "triples" list';
    throw new LineageImportError('the JSON file', 'item', [{ line: 1, column: null, message }]);
  }

  const problems: LineageImportProblem[] = [];
  const triples: LineageTriple[] = [];
  list.forEach((item: unknown, i) => {
    if (typeof item !== 'object' || item === null) {
      problems.push({ line: i + 1, column: null, message: 'the triple is not an object' });
      return;
    }
    const triple = checkTriple(item as Record<Column, unknown>, i + 1, problems);
    if (triple) triples.push(triple);
  });
  if (problems.length > 0) throw new LineageImportError('the JSON file', 'item', problems);
  return uniqueEdges(triples);
}
