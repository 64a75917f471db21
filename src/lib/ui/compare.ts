/**
 * The comparison table's rules: which rows differ between versions, and which metric value
 * is the best one.
 */
import type { ModelVersion } from '$lib/registry/types';

export interface CompareRow {
  key: string;
  /** One cell per version, in column order; null where the version lacks the key. */
  values: (string | null)[];
  differs: boolean;
  /** Column of the best value (metrics only), or null when there is no single best. */
  best: number | null;
}

// Words that mean "smaller is better"; everything else (accuracy, f1, auc…) is larger.
const lowerWords = new Set([
  'loss',
  'error',
  'err',
  'rmse',
  'mse',
  'mae',
  'mape',
  'perplexity',
  'ppl',
  'latency',
  'wer',
  'cer',
  'time',
  'seconds',
  'ms',
]);

/** Whether a smaller value of this metric is the better one, judged by the words of its name. */
export function lowerIsBetter(key: string): boolean {
  const words = key.toLowerCase().split(/[^a-z0-9]+/);
  return words.some((word) => lowerWords.has(word) || word.endsWith('loss'));
}

function differs(values: (string | number | null)[]): boolean {
  return values.some((value) => value !== values[0]);
}

function keysOf(records: Record<string, unknown>[]): string[] {
  return [...new Set(records.flatMap((record) => Object.keys(record)))].sort((a, b) =>
    a.localeCompare(b),
  );
}

/** One row per key found in any of the records. */
export function textRows(records: Record<string, string>[]): CompareRow[] {
  return keysOf(records).map((key) => {
    const values = records.map((record) => (key in record ? record[key] : null));
    return { key, values, differs: differs(values), best: null };
  });
}

/** Metric rows, with the best value marked where the values differ. */
export function metricRows(versions: ModelVersion[], format: (n: number) => string): CompareRow[] {
  return keysOf(versions.map((version) => version.metrics)).map((key) => {
    const numbers = versions.map((version) =>
      key in version.metrics ? version.metrics[key] : null,
    );
    const present = numbers.filter((n): n is number => n !== null);
    const target = lowerIsBetter(key) ? Math.min(...present) : Math.max(...present);
    const winners = numbers.flatMap((n, index) => (n === target ? [index] : []));
    return {
      key,
      values: numbers.map((n) => (n === null ? null : format(n))),
      differs: differs(numbers),
      best: differs(numbers) && winners.length === 1 ? winners[0] : null,
    };
  });
}

/** File rows keyed by file name; the cell is the file's SHA-256. */
export function fileRows(versions: ModelVersion[]): CompareRow[] {
  return textRows(
    versions.map((version) =>
      Object.fromEntries(version.files.map((file) => [file.name, file.sha256])),
    ),
  );
}
