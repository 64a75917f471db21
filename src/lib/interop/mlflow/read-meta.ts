/**
 * The small text formats of an MLflow file store: `meta.yaml` documents, metric histories
 * (`<timestamp> <value> <step>` a line), and the one-value-per-file params and tags.
 */
import { parseDocument } from 'yaml';
import type { MetricPoint } from '$lib/registry/types';
import { MalformedMetaError, MetricLineError, UnsupportedValueError } from './errors';
import type { ImportIssue } from './types';

export type Meta = Record<string, unknown>;

/** Bad lines reported one by one per file; past this, one more issue counts the rest. */
const LINE_ISSUES_PER_FILE = 5;

/** Parses a meta.yaml into a mapping; a parse error names its line. */
export function parseMeta(text: string, file: string): Meta {
  const document = parseDocument(text, { uniqueKeys: false });
  const error = document.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line ?? null;
    throw new MalformedMetaError(file, `its YAML does not parse (${error.code})`, line, error);
  }
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedMetaError(file, 'it is not a mapping of fields', 1);
  }
  return value as Meta;
}

/** A text field; numbers are written as text (ids such as `experiment_id: 0`). */
export function text(meta: Meta, key: string): string | null {
  const value = meta[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

/** A required text field, or a `MalformedMetaError` naming it. */
export function requireText(meta: Meta, key: string, file: string): string {
  const value = text(meta, key);
  if (value === null || value === '') {
    throw new MalformedMetaError(file, `it has no "${key}"`);
  }
  return value;
}

/** A time in milliseconds since the epoch, from a number or a numeric string. */
export function millis(meta: Meta, key: string): number | null {
  const value = meta[key];
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

/** MLmodel's `utc_time_created: '2024-11-13 07:56:25.610469'` in milliseconds. */
export function utcMillis(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const time = Date.parse(`${value.trim().replace(' ', 'T')}Z`);
  return Number.isFinite(time) ? time : null;
}

const RUN_STATUS: Record<number, string> = {
  1: 'RUNNING',
  2: 'SCHEDULED',
  3: 'FINISHED',
  4: 'FAILED',
  5: 'KILLED',
};

/** The file store keeps run status as the proto enum number; the database as text. */
export function runStatus(value: unknown): string {
  if (typeof value === 'number') return RUN_STATUS[value] ?? 'RUNNING';
  if (typeof value === 'string' && value) return value.toUpperCase();
  return 'RUNNING';
}

/** Points in the order MLflow reports them: by step, then by time, then as written. */
export function sortPoints(points: MetricPoint[]): MetricPoint[] {
  return points
    .map((point, index) => ({ point, index }))
    .sort(
      (a, b) =>
        a.point.step - b.point.step || a.point.timestamp - b.point.timestamp || a.index - b.index,
    )
    .map(({ point }) => point);
}

/**
 * A metric history file. Lines are `<timestamp> <value> [<step>]`, MLflow 3 adding fields
 * after the step; a bad line is reported and skipped, and NaN or infinite values (which
 * Stemma does not store) are counted into one warning.
 */
export function parseMetricFile(content: string, file: string, issues: ImportIssue[]) {
  const points: MetricPoint[] = [];
  let bad = 0;
  let nonFinite = 0;
  const lines = content.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (line === '') continue;
    const fields = line.split(/\s+/);
    const timestamp = Number(fields[0]);
    const value = Number(fields[1]);
    const step = fields.length > 2 ? Number(fields[2]) : 0;
    const valueText = (fields[1] ?? '').toLowerCase();
    const isNonFinite = /^[+-]?(nan|inf|infinity)$/.test(valueText);
    if (
      fields.length < 2 ||
      !Number.isSafeInteger(timestamp) ||
      !Number.isSafeInteger(step) ||
      (!Number.isFinite(value) && !isNonFinite)
    ) {
      bad++;
      if (bad <= LINE_ISSUES_PER_FILE) {
        issues.push(new MetricLineError(file, index + 1, line).toIssue('warning'));
      }
      continue;
    }
    if (isNonFinite) {
      nonFinite++;
      continue;
    }
    points.push({ value, step, timestamp });
  }
  if (bad > LINE_ISSUES_PER_FILE) {
    issues.push(
      new UnsupportedValueError(
        file,
        `${bad - LINE_ISSUES_PER_FILE} more bad metric lines were skipped`,
      ).toIssue('warning'),
    );
  }
  if (nonFinite > 0) {
    issues.push(
      new UnsupportedValueError(
        file,
        `${nonFinite} NaN or infinite metric value${nonFinite === 1 ? ' was' : 's were'} left ` +
          'out: Stemma stores finite numbers only',
      ).toIssue('warning'),
    );
  }
  return sortPoints(points);
}
