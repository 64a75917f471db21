/** The record page's helpers: a run's status and times from its environment, and its links. */
import { describe, expect, test } from 'vitest';
import type { LineageEdgeInfo } from '../../src/lib/registry/lineage-types';
import { formatDuration, runSummary, splitLinks } from '../../src/lib/ui/record-view';

describe('record page helpers', () => {
  test('status and times come from MLflow names or plain ones, the rest stays', () => {
    const mlflow = runSummary({
      environment: {
        'mlflow.status': 'FINISHED',
        'mlflow.start_time': '2023-11-14T22:13:20.000Z',
        'mlflow.end_time': '1700000005000',
        'mlflow.user': 'ada',
      },
    });
    expect(mlflow).toEqual({
      status: 'FINISHED',
      start: 1_700_000_000_000,
      end: 1_700_000_005_000,
      environment: [['mlflow.user', 'ada']],
    });
    const plain = runSummary({ environment: { status: 'RUNNING', start_time: 'soon' } });
    expect(plain).toMatchObject({ status: 'RUNNING', start: null, end: null, environment: [] });
    expect(runSummary({})).toEqual({ status: null, start: null, end: null, environment: [] });
  });

  test('durations read as seconds, minutes or hours', () => {
    expect(formatDuration(0, 12_000)).toBe('12 s');
    expect(formatDuration(0, 184_000)).toBe('3 min 4 s');
    expect(formatDuration(0, 7_500_000)).toBe('2 h 5 min');
  });

  test('links into a record are what it used; links out are what it produced', () => {
    const edge = (from: string, to: string) =>
      ({ id: `${from}>${to}`, from, to }) as LineageEdgeInfo;
    const { used, produced } = splitLinks('run', [edge('data', 'run'), edge('run', 'v1')]);
    expect(used.map((e) => e.from)).toEqual(['data']);
    expect(produced.map((e) => e.to)).toEqual(['v1']);
  });
});
