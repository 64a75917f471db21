/**
 * What an import did, in numbers a summary shows, and what it left out and why. Every
 * lineage import (triples, model cards, the Hugging Face graph, a watched folder) fills one.
 */
import { StemmaError } from '../../registry/errors';

export interface SkippedItem {
  /** The file, or the file and the item, e.g. `cards/bert/README.md`. */
  source: string;
  /** 1-based line (CSV, YAML, JSONL) or item number (JSON list) when known. */
  line: number | null;
  /** What was wrong, as a user reads it. */
  reason: string;
  /** The error's stable code, e.g. `lineage-cycle`. */
  code: string;
}

export interface ImportReport {
  created: { models: number; versions: number; datasets: number; runs: number; edges: number };
  /** Links already in the lineage, so nothing was added for them. */
  existingEdges: number;
  /** Tags or descriptions changed on versions that were already there. */
  updated: number;
  skipped: SkippedItem[];
  /** Notes that are not failures, e.g. a relation guessed because the card named none. */
  notes: string[];
}

export function emptyReport(): ImportReport {
  return {
    created: { models: 0, versions: 0, datasets: 0, runs: 0, edges: 0 },
    existingEdges: 0,
    updated: 0,
    skipped: [],
    notes: [],
  };
}

/** A skipped item for `error`, found in `source` at `line`. */
export function skippedItem(source: string, line: number | null, error: unknown): SkippedItem {
  const reason = error instanceof Error ? error.message : String(error);
  const code = error instanceof StemmaError ? error.code : 'unexpected';
  return { source, line, reason, code };
}

export function skip(
  report: ImportReport,
  source: string,
  line: number | null,
  error: unknown,
): void {
  report.skipped.push(skippedItem(source, line, error));
}

/** One line for a notice: `3 models, 3 versions and 2 links imported; 1 skipped`. */
export function reportLine(report: ImportReport): string {
  const { models, versions, datasets, runs, edges } = report.created;
  const parts = [
    [models, 'model'],
    [versions, 'version'],
    [datasets, 'dataset'],
    [runs, 'run'],
    [edges, 'link'],
  ]
    .filter(([count]) => (count as number) > 0)
    .map(([count, noun]) => `${count} ${noun}${count === 1 ? '' : 's'}`);
  const made = parts.length > 0 ? `${joinWords(parts)} imported` : 'Nothing new imported';
  const extra = [
    report.existingEdges > 0 ? `${report.existingEdges} links were already there` : '',
    report.updated > 0 ? `${report.updated} versions updated` : '',
    report.skipped.length > 0 ? `${report.skipped.length} skipped` : '',
  ].filter(Boolean);
  return extra.length > 0 ? `${made}; ${extra.join(', ')}.` : `${made}.`;
}

function joinWords(parts: string[]): string {
  return parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
