import { describe, expect, it } from 'vitest';
import {
  RowError,
  metricRowsToInput,
  parseCurve,
  rowsToRecord,
  type MetricRow,
} from '../../src/lib/ui/form-rows';

const at = 1_700_000_000_000;

function metric(row: Partial<MetricRow>): MetricRow {
  return { key: '', mode: 'value', value: '', curve: '', ...row };
}

describe('rowsToRecord', () => {
  it('trims keys and values and skips blank rows', () => {
    const record = rowsToRecord(
      [
        { key: ' lr ', value: ' 3e-5 ' },
        { key: '', value: '' },
        { key: 'epochs', value: '4' },
      ],
      'parameters',
    );

    expect(record).toEqual({ lr: '3e-5', epochs: '4' });
  });

  it('refuses a value without a key, naming the row', () => {
    expect(() => rowsToRecord([{ key: '', value: 'orphan' }], 'tags')).toThrow(
      /Row 1 of tags has a value but no key/,
    );
  });

  it('refuses the same key twice', () => {
    const rows = [
      { key: 'team', value: 'a' },
      { key: 'team', value: 'b' },
    ];

    expect(() => rowsToRecord(rows, 'tags')).toThrow(RowError);
  });
});

describe('parseCurve', () => {
  it('reads step,value lines with a header, tabs or spaces', () => {
    const points = parseCurve('step,value\n100,0.5\n200\t0.6\n\n300 0.7\n', at);

    expect(points).toEqual([
      { step: 100, value: 0.5, timestamp: at },
      { step: 200, value: 0.6, timestamp: at },
      { step: 300, value: 0.7, timestamp: at },
    ]);
  });

  it('names the line that is not two numbers', () => {
    expect(() => parseCurve('1,0.5\n2,oops', at)).toThrow(/Line 2 of the curve \("2,oops"\)/);
  });

  it('does not take a wordy line after the first for a header', () => {
    expect(() => parseCurve('1,0.5\nstep,value', at)).toThrow(/Line 2/);
  });
});

describe('metricRowsToInput', () => {
  it('turns one value into a number and a curve into points', () => {
    const input = metricRowsToInput(
      [
        metric({ key: 'f1', value: '0.91' }),
        metric({ key: 'loss', mode: 'curve', curve: '1,0.9\n2,0.5' }),
        metric({}),
      ],
      at,
    );

    expect(input).toEqual({
      f1: 0.91,
      loss: [
        { step: 1, value: 0.9, timestamp: at },
        { step: 2, value: 0.5, timestamp: at },
      ],
    });
  });

  it.each([
    [metric({ key: 'auc', value: 'high' }), /"auc" must be a number/],
    [metric({ key: 'auc' }), /"auc" has no value/],
    [metric({ value: '0.3' }), /has a value but no name/],
  ])('refuses %o', (row, message) => {
    expect(() => metricRowsToInput([row], at)).toThrow(message);
  });
});
