import { describe, expect, it } from 'vitest';
import type { AliasMove, ModelVersion } from '../../src/lib/registry/types';
import { previousTarget } from '../../src/lib/ui/alias-moves';
import { fileRows, lowerIsBetter, metricRows, textRows } from '../../src/lib/ui/compare';
import { excerpt, formatBytes, formatMetric } from '../../src/lib/ui/format';
import { alignSeries } from '../../src/lib/ui/metric-series';
import { readSearchParams, searchExtras } from '../../src/lib/ui/search-params';

function version(number: number, fields: Partial<ModelVersion> = {}): ModelVersion {
  return {
    id: `id-${number}`,
    modelId: 'm',
    modelName: 'bert',
    number,
    requestedNumber: number,
    description: '',
    params: {},
    metrics: {},
    tags: {},
    aliases: [],
    datasets: [],
    code: null,
    files: [],
    archived: false,
    createdAt: 0,
    createdBy: 'actor',
    updatedAt: 0,
    ...fields,
  };
}

function move(alias: string, versionNumber: number | null): AliasMove {
  return {
    alias,
    version: versionNumber,
    versionId: versionNumber === null ? null : `id-${versionNumber}`,
    at: 0,
    actor: 'a',
    actorName: 'A',
    eventId: `${alias}-${versionNumber}-${Math.random()}`,
  };
}

describe('comparison rows', () => {
  it('marks rows whose values differ, a missing key counting as different', () => {
    const rows = textRows([
      { lr: '3e-5', epochs: '3' },
      { lr: '3e-5', epochs: '4', warmup: '100' },
    ]);

    expect(rows.map((row) => [row.key, row.differs])).toEqual([
      ['epochs', true],
      ['lr', false],
      ['warmup', true],
    ]);
    expect(rows[2].values).toEqual([null, '100']);
  });

  it('marks the highest accuracy and the lowest loss as best', () => {
    const rows = metricRows(
      [
        version(1, { metrics: { accuracy: 0.8, val_loss: 0.3 } }),
        version(2, { metrics: { accuracy: 0.9, val_loss: 0.4 } }),
      ],
      String,
    );

    expect(rows.find((row) => row.key === 'accuracy')?.best).toBe(1);
    expect(rows.find((row) => row.key === 'val_loss')?.best).toBe(0);
  });

  it('marks no best when the values tie or do not differ', () => {
    const rows = metricRows(
      [version(1, { metrics: { f1: 0.9 } }), version(2, { metrics: { f1: 0.9 } })],
      String,
    );

    expect(rows[0]).toMatchObject({ differs: false, best: null });
  });

  it('compares files by name through their hashes', () => {
    const file = (sha: string) => ({ name: 'model.onnx', size: 1, sha256: sha });
    const rows = fileRows([
      version(1, { files: [file('aa')] }),
      version(2, { files: [file('bb')] }),
    ]);

    expect(rows).toEqual([{ key: 'model.onnx', values: ['aa', 'bb'], differs: true, best: null }]);
  });

  it.each([
    ['val_loss', true],
    ['eval-error', true],
    ['latency_ms', true],
    ['accuracy', false],
    ['f1', false],
    ['power', false],
  ])('%s: lower is better -> %s', (key, lower) => {
    expect(lowerIsBetter(key)).toBe(lower);
  });
});

describe('previousTarget', () => {
  it('finds the version an alias held before its current one', () => {
    const moves = [move('champion', 1), move('staging', 3), move('champion', 2)];

    expect(previousTarget(moves, 'champion', 2)).toBe(1);
  });

  it('skips removals and repeats of the current version', () => {
    const moves = [move('champion', 1), move('champion', null), move('champion', 2)];

    expect(previousTarget(moves, 'champion', 2)).toBe(1);
    expect(previousTarget([move('champion', 2), move('champion', 2)], 'champion', 2)).toBeNull();
  });
});

describe('alignSeries', () => {
  it('puts every step on one axis with gaps where a series has none', () => {
    const at = 0;
    const aligned = alignSeries([
      { label: 'v1', points: [{ step: 1, value: 0.5, timestamp: at }] },
      {
        label: 'v2',
        points: [
          { step: 0, value: 0.1, timestamp: at },
          { step: 2, value: 0.7, timestamp: at },
        ],
      },
    ]);

    expect(aligned).toEqual([
      [0, 1, 2],
      [null, 0.5, null],
      [0.1, null, 0.7],
    ]);
  });
});

describe('search parameters', () => {
  it('reads defaults from an empty query string and writes none back', () => {
    const params = readSearchParams(new URLSearchParams('q='));

    expect(params).toEqual({
      query: '',
      sort: 'created',
      order: 'desc',
      page: 0,
      includeArchived: false,
    });
    expect(searchExtras(params)).toEqual({});
  });

  it('round-trips a metric sort, page and archived switch', () => {
    const search = new URLSearchParams({
      q: 'metrics.f1 > 0.9',
      sort: 'metrics.f1',
      order: 'asc',
      page: '2',
      archived: '1',
    });
    const params = readSearchParams(search);

    expect(searchExtras(params)).toEqual({
      sort: 'metrics.f1',
      order: 'asc',
      page: '2',
      archived: '1',
    });
  });

  it('ignores a sort field the registry does not know', () => {
    expect(readSearchParams(new URLSearchParams('q=x&sort=evil&page=-3')).sort).toBe('created');
  });
});

describe('format', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1536, '1.54 KB'],
    [52_428_800, '52.4 MB'],
    [null, '—'],
  ])('formatBytes(%s) = %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('writes metrics with the digits they need', () => {
    expect(formatMetric(0.912345678)).toBe('0.91235');
    expect(formatMetric(3)).toBe('3');
    expect(formatMetric(0.00001234)).toBe('1.234e-5');
    expect(formatMetric(undefined)).toBe('—');
  });

  it('makes a plain one-line excerpt of Markdown', () => {
    const text = excerpt('# Title\n\nSee [the paper](https://x.org) for **fine-tuning**.\n- one');

    expect(text).toBe('Title See the paper for fine-tuning. one');
  });
});
