/**
 * Run records keep their whole metric curves: the bound and its thinning rule, the MLflow
 * mapping of a run with no model, the summary's count of what was kept, and the upgrade of a
 * record an older import wrote with latest values only.
 */
import { describe, expect, test } from 'vitest';
import { importMlflow } from '../../src/lib/interop/mlflow';
import { InvalidInputError } from '../../src/lib/registry';
import {
  checkRunHistories,
  pointsPerMetric,
  RUN_POINTS_PER_METRIC,
  RUN_POINTS_PER_RUN,
  thinHistories,
  thinPoints,
} from '../../src/lib/registry/run-metric-history';
import type { MetricPoint } from '../../src/lib/registry/types';
import { entriesOf } from './mlflow-support';
import { experimentMeta, mlflow3Store, RUN_1, runMeta } from './mlflow-fixtures';
import { freshRegistry } from './support/registry';

const T0 = 1_700_000_000_000;
const curve = (n: number): MetricPoint[] =>
  Array.from({ length: n }, (_, step) => ({ value: 1 / (step + 1), step, timestamp: T0 + step }));

describe('the bound on run metric histories', () => {
  test('a short curve is kept whole; a long one keeps first, last and even steps', () => {
    const short = curve(10);
    expect(thinPoints(short, 10)).toBe(short);
    const long = curve(10_001);
    const thin = thinPoints(long, 1_000);
    expect(thin).toHaveLength(1_000);
    expect(thin[0]).toEqual(long[0]);
    expect(thin.at(-1)).toEqual(long.at(-1));
    const gaps = new Set(thin.slice(1).map((point, i) => point.step - thin[i].step));
    // Evenly spaced by position: 10,000 steps over 999 gaps are 10 or 11 apart.
    expect([...gaps].sort()).toEqual([10, 11]);
  });

  test('the per-run budget is shared among metrics', () => {
    expect(pointsPerMetric(1)).toBe(RUN_POINTS_PER_METRIC);
    expect(pointsPerMetric(20)).toBe(RUN_POINTS_PER_RUN / 20);
    const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`m${i}`, curve(900)]));
    const { histories, dropped } = thinHistories(many);
    expect(Object.values(histories).every((points) => points.length === 500)).toBe(true);
    expect(dropped).toBe(10 * 400);
  });

  test('a history over the bound or with a bad point is refused by name', () => {
    expect(() => checkRunHistories({ loss: curve(RUN_POINTS_PER_METRIC + 1) })).toThrow(
      /Metric "loss" has 1001 points.*thinHistories/,
    );
    expect(() => checkRunHistories({ loss: [{ value: NaN, step: 0, timestamp: T0 }] })).toThrow(
      InvalidInputError,
    );
    expect(() => checkRunHistories({ loss: [{ value: 1, step: 0.5, timestamp: T0 }] })).toThrow(
      /whole-number step/,
    );
  });

  test('recordRun keeps the curve and takes latest values from it when none are given', async () => {
    const registry = await freshRegistry('run-history');
    const run = await registry.recordRun({ name: 'sweep', metricHistory: { loss: curve(5) } });
    expect(run.kind === 'run' && run.fields.metricHistory?.loss).toEqual(curve(5));
    expect(run.kind === 'run' && run.fields.metrics).toEqual({ loss: 0.2 });
  });
});

describe('MLflow runs keep their curves', () => {
  test('a run with no model keeps every point, and the summary counts what was kept', async () => {
    const registry = await freshRegistry('mlflow-history');
    const summary = await importMlflow(registry, entriesOf(mlflow3Store()));
    // Five points of the run's two metrics, one of the MLflow 3 model's own metric.
    expect(summary.found.metricPoints).toBe(6);
    expect(summary.added.metricPoints).toBe(6);
    expect(summary.metricPointsThinned).toBe(0);
    const run = await registry.getLineageEntity(`mlflow-run-${RUN_1}`);
    if (run.kind !== 'run') throw new Error('not a run');
    expect(run.fields.metricHistory).toEqual({
      loss: [
        { value: 0.9, step: 0, timestamp: T0 },
        { value: 0.5, step: 1, timestamp: T0 + 10 },
        { value: 0.2, step: 2, timestamp: T0 + 20 },
      ],
      'train/acc': [
        { value: 0.6, step: 0, timestamp: T0 },
        { value: 0.9, step: 2, timestamp: T0 + 20 },
      ],
    });
  });

  test('a very long curve is thinned, said in a warning and in the summary', async () => {
    const registry = await freshRegistry('mlflow-thin');
    const store = mlflow3Store();
    const lines = curve(2_500).map((p) => `${p.timestamp} ${p.value} ${p.step}`);
    store[`mlruns/1/${RUN_1}/metrics/loss`] = `${lines.join('\n')}\n`;
    const summary = await importMlflow(registry, entriesOf(store));
    expect(summary.found.metricPoints).toBe(2_500 + 2 + 1);
    expect(summary.metricPointsThinned).toBe(1_500);
    expect(summary.added.metricPoints).toBe(1_000 + 2 + 1);
    const warning = summary.issues.find((issue) => issue.message.includes('2502 metric points'));
    expect(warning).toMatchObject({ severity: 'warning', error: 'UnsupportedValueError' });
    const run = await registry.getLineageEntity(`mlflow-run-${RUN_1}`);
    if (run.kind !== 'run') throw new Error('not a run');
    expect(run.fields.metricHistory?.loss).toHaveLength(1_000);
    expect(run.fields.metricHistory?.loss.at(-1)?.step).toBe(2_499);
    expect(run.fields.metrics?.loss).toBe(1 / 2_500);
  });

  test('a record from an import that kept latest values only gains its curve', async () => {
    const registry = await freshRegistry('mlflow-upgrade');
    const store = {
      'mlruns/1/meta.yaml': experimentMeta('1', 'sweeps'),
      [`mlruns/1/${RUN_1}/meta.yaml`]: runMeta(RUN_1, '1', 'no-model'),
      [`mlruns/1/${RUN_1}/metrics/loss`]: `${T0} 0.9 0\n${T0 + 1} 0.4 1\n`,
    };
    // What the importer wrote before histories were kept: the latest value only.
    await registry.recordRun({ id: `mlflow-run-${RUN_1}`, name: 'no-model', metrics: { l: 1 } });
    const summary = await importMlflow(registry, entriesOf(store));
    expect(summary.updated).toBe(1);
    expect(summary.added.metricPoints).toBe(2);
    const again = await importMlflow(registry, entriesOf(store));
    expect(again.added.metricPoints).toBe(0);
    expect(again.updated).toBe(0);
  });
});
