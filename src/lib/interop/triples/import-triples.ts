/**
 * Imports a lineage triples file (JSON or CSV, as Stemma's lineage page exports it) into the
 * registry. Terms become nodes by the mapping in `targets.ts`; links go in through the
 * registry's batch path, so a triple that would close a cycle is refused with the cycle named
 * while the rest go in, and a triple already in the lineage adds nothing.
 *
 * @example
 *   const text = await file.text();
 *   const report = await importLineageTriples(registry, text, { fileName: file.name });
 */
import type { Registry } from '../../registry/api';
import type { AddLineageEdgeInput } from '../../registry/lineage-types';
import { StemmaError } from '../../registry/errors';
import { csvField, parseCsv } from '../../lineage/csv';
import { LineageImportError } from '../../lineage/errors';
import { fromTriplesCsv, fromTriplesJson } from '../../lineage/triples';
import type { LineageEdge, LineageRelation } from '../../lineage/types';
import { emptyReport, skip, type ImportReport } from './report';
import { TargetResolver, targetKey, type TargetKind, type TargetOptions } from './targets';

export interface TriplesImportOptions extends TargetOptions {
  /** Decides the format by its extension when `format` is absent; named in the report. */
  fileName?: string;
  format?: 'json' | 'csv';
  /** Links written per transaction. */
  edgeChunk?: number;
}

/** A triple read from the file, with where it was. */
export interface LocatedEdge {
  line: number;
  edge: LineageEdge;
}

/** The kind of node each end of a relation takes when a term names nothing known. */
export function parentKind(relation: LineageRelation): TargetKind {
  if (relation === 'trained-on' || relation === 'evaluated-on') return 'dataset';
  if (relation === 'produced-by') return 'run';
  return 'version';
}

function formatOf(text: string, options: TriplesImportOptions): 'json' | 'csv' {
  if (options.format) return options.format;
  const name = options.fileName?.toLowerCase() ?? '';
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.csv')) return 'csv';
  return /^\s*[[{]/.test(text) ? 'json' : 'csv';
}

/** One problem per bad row; the good rows still come back. */
function readRows(text: string, format: 'json' | 'csv', source: string, report: ImportReport) {
  const rows: LocatedEdge[] = [];
  const one = (raw: unknown, line: number) => {
    try {
      for (const edge of fromTriplesJson([raw])) rows.push({ line, edge });
    } catch (error) {
      const problem = error instanceof LineageImportError ? error.problems[0] : null;
      const reason = problem
        ? `${problem.column ? `${problem.column}: ` : ''}${problem.message}`
        : String(error);
      skip(report, source, line, new StemmaError('invalid-triple', `Skipped: ${reason}.`));
    }
  };

  if (format === 'json') {
    // The file as a whole must be JSON with a list; that failure stops this file only.
    const list = fromTriplesJsonList(text);
    list.forEach((item, index) => one(item, index + 1));
    return rows;
  }

  const { records, problems } = parseCsv(text);
  for (const problem of problems) {
    skip(report, source, problem.line, new StemmaError('invalid-triple', problem.message));
  }
  const [header, ...body] = records;
  // The header alone goes through the strict reader, which names a missing or unknown column.
  fromTriplesCsv(`${(header?.fields ?? []).map(csvField).join(',')}\r\n`);
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  for (const record of body) {
    if (record.fields.length !== columns.length) {
      const message = `${record.fields.length} fields where the header has ${columns.length}`;
      skip(report, source, record.line, new StemmaError('invalid-triple', message));
      continue;
    }
    one(Object.fromEntries(columns.map((name, i) => [name, record.fields[i]])), record.line);
  }
  return rows;
}

function fromTriplesJsonList(text: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    fromTriplesJson(text); // throws the named error, with the parser's message
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { triples?: unknown })?.triples;
  if (!Array.isArray(list)) fromTriplesJson(parsed);
  return list as unknown[];
}

/**
 * Imports the triples in `text`. A file that is not triples at all (not JSON, no header) is
 * reported as one skipped item; bad rows are skipped one by one.
 */
export async function importLineageTriples(
  registry: Registry,
  text: string,
  options: TriplesImportOptions = {},
): Promise<ImportReport> {
  const report = emptyReport();
  const source = options.fileName ?? 'the triples file';
  let rows: LocatedEdge[];
  try {
    rows = readRows(text, formatOf(text, options), source, report);
  } catch (error) {
    skip(report, source, null, error);
    return report;
  }
  await importLocatedEdges(registry, rows, source, report, options);
  return report;
}

/** Resolves the ends of read edges and adds them in chunks; shared with the card import. */
export async function importLocatedEdges(
  registry: Registry,
  rows: readonly LocatedEdge[],
  source: string,
  report: ImportReport,
  options: TriplesImportOptions & { resolver?: TargetResolver } = {},
): Promise<void> {
  const resolver = options.resolver ?? new TargetResolver(registry, report, options);
  const answers = await resolver.resolve(
    rows.flatMap(({ edge }) => [
      { kind: parentKind(edge.relation), term: edge.from },
      { kind: 'version' as const, term: edge.to },
    ]),
  );

  const inputs: AddLineageEdgeInput[] = [];
  const lines: number[] = [];
  for (const { line, edge } of rows) {
    const from = answers.get(targetKey(parentKind(edge.relation), edge.from));
    const to = answers.get(targetKey('version', edge.to));
    const failed = [from, to].find((answer) => typeof answer !== 'string');
    if (failed !== undefined) {
      skip(report, source, line, failed);
      continue;
    }
    const input: AddLineageEdgeInput = {
      from: from as string,
      to: to as string,
      relation: edge.relation,
    };
    if (edge.note !== undefined) input.note = edge.note;
    if (edge.weight !== undefined) input.weight = edge.weight;
    inputs.push(input);
    lines.push(line);
  }

  const chunk = options.edgeChunk ?? 2_000;
  for (let start = 0; start < inputs.length; start += chunk) {
    const result = await registry.addLineageEdges(inputs.slice(start, start + chunk));
    report.created.edges += result.added.length;
    report.existingEdges += result.existing.length;
    for (const { index, error } of result.refused)
      skip(report, source, lines[start + index], error);
  }
}
