/**
 * What the register and create forms turn their editable rows into. Kept apart from the
 * components so the rules (blank rows ignored, duplicate keys refused, curves parsed) are
 * tested on their own.
 */
import type { MetricPoint } from '$lib/registry/types';

export interface KeyValueRow {
  key: string;
  value: string;
}

export interface MetricRow {
  key: string;
  /** 'value' records one number; 'curve' records `step,value` lines. */
  mode: 'value' | 'curve';
  value: string;
  curve: string;
}

/** A problem in one group of rows, worded for the person filling in the form. */
export class RowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RowError';
  }
}

/** Rows to a record; rows with a blank key and value are skipped. */
export function rowsToRecord(rows: KeyValueRow[], what: string): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [index, row] of rows.entries()) {
    const key = row.key.trim();
    if (key === '' && row.value.trim() === '') continue;
    if (key === '') throw new RowError(`Row ${index + 1} of ${what} has a value but no key.`);
    if (key in record) {
      throw new RowError(`The ${what} key "${key}" appears twice; keep one of the rows.`);
    }
    record[key] = row.value.trim();
  }
  return record;
}

/**
 * Reads pasted `step,value` lines (commas, tabs or spaces between). A header line such as
 * `step,value` is skipped; any other line that is not two numbers is refused by its number.
 */
export function parseCurve(text: string, timestamp: number): MetricPoint[] {
  const points: MetricPoint[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim();
    if (trimmed === '') continue;

    const cells = trimmed.split(/[\s,;]+/);
    const [step, value] = cells.map(Number);
    const numeric = cells.length === 2 && Number.isFinite(step) && Number.isFinite(value);
    if (!numeric && points.length === 0 && index === 0 && /[a-z]/i.test(trimmed)) continue;
    if (!numeric) {
      throw new RowError(
        `Line ${index + 1} of the curve ("${trimmed}") is not "step,value"; ` +
          'write two numbers per line, e.g. 100,0.91.',
      );
    }
    points.push({ step, value, timestamp });
  }
  return points;
}

/** Metric rows to the registry's input: one number, or a list of points per key. */
export function metricRowsToInput(
  rows: MetricRow[],
  timestamp: number,
): Record<string, number | MetricPoint[]> {
  const metrics: Record<string, number | MetricPoint[]> = {};
  for (const [index, row] of rows.entries()) {
    const key = row.key.trim();
    const body = row.mode === 'value' ? row.value.trim() : row.curve.trim();
    if (key === '' && body === '') continue;
    if (key === '') throw new RowError(`Metric row ${index + 1} has a value but no name.`);
    if (key in metrics) throw new RowError(`The metric "${key}" appears twice; keep one row.`);
    if (body === '') throw new RowError(`The metric "${key}" has no value.`);

    if (row.mode === 'value') {
      const value = Number(body);
      if (!Number.isFinite(value)) {
        throw new RowError(`The metric "${key}" must be a number; "${body}" is not.`);
      }
      metrics[key] = value;
    } else {
      metrics[key] = parseCurve(body, timestamp);
    }
  }
  return metrics;
}
