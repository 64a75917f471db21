/**
 * The bound on the metric histories a run record carries. A run record is one event in the
 * replicated log, so its curves must stay small enough to sign, sync and fold quickly: at most
 * `RUN_POINTS_PER_METRIC` points per metric and `RUN_POINTS_PER_RUN` in all (about 60 bytes a
 * point, so a record stays under about 300 KB). A longer history is thinned by one stated rule:
 * keep its first and last point and points evenly spaced by position between them, so the
 * curve keeps its shape, its start and its final value.
 */
import { InvalidInputError } from './errors';
import type { MetricPoint } from './types';
import { checkKey } from './validate';

export const RUN_POINTS_PER_METRIC = 1_000;
export const RUN_POINTS_PER_RUN = 5_000;

/** The rule in words, for summaries and messages. */
export const THINNING_RULE =
  `at most ${RUN_POINTS_PER_METRIC.toLocaleString('en')} points per metric and ` +
  `${RUN_POINTS_PER_RUN.toLocaleString('en')} per run; a longer curve keeps its first and ` +
  `last point and evenly spaced points between them`;

export type MetricHistories = Record<string, MetricPoint[]>;

/** How many points each metric of a run with `keys` metrics may keep. */
export function pointsPerMetric(keys: number): number {
  if (keys <= 0) return RUN_POINTS_PER_METRIC;
  return Math.max(2, Math.min(RUN_POINTS_PER_METRIC, Math.floor(RUN_POINTS_PER_RUN / keys)));
}

/** `points` cut to at most `max` by the rule above; the same array when it already fits. */
export function thinPoints(points: MetricPoint[], max: number): MetricPoint[] {
  if (points.length <= max) return points;
  if (max <= 1) return [points[points.length - 1]];
  const out: MetricPoint[] = [];
  const last = points.length - 1;
  for (let i = 0; i < max; i++) out.push(points[Math.round((i * last) / (max - 1))]);
  return out;
}

export const countPoints = (histories: MetricHistories | undefined) =>
  Object.values(histories ?? {}).reduce((sum, points) => sum + points.length, 0);

/** Every history of a run within the bound, and how many points were left out. */
export function thinHistories(histories: MetricHistories): {
  histories: MetricHistories;
  dropped: number;
} {
  const keys = Object.keys(histories).filter((key) => histories[key].length > 0);
  const max = pointsPerMetric(keys.length);
  const out: MetricHistories = {};
  let dropped = 0;
  for (const key of keys) {
    out[key] = thinPoints(histories[key], max);
    dropped += histories[key].length - out[key].length;
  }
  return { histories: out, dropped };
}

/** Checks a run's metric histories; refuses, naming the metric, what is out of bounds. */
export function checkRunHistories(raw: unknown): MetricHistories {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InvalidInputError(
      'A run metric history is a map of metric names to lists of {value, step, timestamp}.',
      'metricHistory',
    );
  }
  const out: MetricHistories = {};
  for (const [rawKey, points] of Object.entries(raw as Record<string, unknown>)) {
    const key = checkKey(rawKey, 'metric', 'metricHistory');
    if (!Array.isArray(points) || points.length === 0) {
      throw new InvalidInputError(`Metric "${key}" has an empty history.`, 'metricHistory');
    }
    out[key] = points.map((point: Partial<MetricPoint> | null, index) => {
      const value = point?.value;
      const step = point?.step ?? 0;
      const timestamp = point?.timestamp ?? 0;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InvalidInputError(
          `Metric "${key}" point ${index + 1} has no finite value.`,
          'metricHistory',
        );
      }
      if (!Number.isSafeInteger(step) || typeof timestamp !== 'number' || !isFinite(timestamp)) {
        throw new InvalidInputError(
          `Metric "${key}" point ${index + 1} needs a whole-number step and a valid time.`,
          'metricHistory',
        );
      }
      return { value, step, timestamp };
    });
  }
  const max = pointsPerMetric(Object.keys(out).length);
  const long = Object.entries(out).find(([, points]) => points.length > max);
  if (long) {
    throw new InvalidInputError(
      `Metric "${long[0]}" has ${long[1].length} points; a run record keeps ${THINNING_RULE}. ` +
        'Thin it first with thinHistories().',
      'metricHistory',
    );
  }
  return out;
}
