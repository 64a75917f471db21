/**
 * The small real files copied into tests/fixtures/models read as an independent reader
 * found them, with no shared data present; and a drop of all of them goes through whole.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { inspectFile, inspectFiles } from '$lib/registry/formats/inspect';
import type { MlflowMetadata, PickleMetadata } from '$lib/registry/formats/types';
import { expectMatchesExpected } from './formats-expected';

const FIXTURES = join(process.cwd(), 'tests/fixtures/models');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<
  string,
  Record<string, unknown>
>;

function fixture(name: string) {
  return { blob: new Blob([readFileSync(join(FIXTURES, name))]), name };
}

describe('fixture model files', () => {
  for (const [name, fields] of Object.entries(expected)) {
    test(`${name} reports the expected metadata`, async () => {
      expectMatchesExpected(await inspectFile(fixture(name)), fields);
    });
  }

  test('the scikit-learn joblib dump names its estimators and sklearn version', async () => {
    const result = await inspectFile(fixture('loan_payback_hgbt_best_model.joblib'));
    const meta = result.metadata as PickleMetadata;
    expect(meta).toMatchObject({
      container: 'joblib',
      framework: 'scikit-learn',
      sklearnVersion: '1.2.2',
    });
    expect(meta.estimatorClasses.slice(0, 2)).toEqual([
      'sklearn.model_selection._search.GridSearchCV',
      'sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier',
    ]);
    expect(meta.embeddedArrays).toBeGreaterThan(0);
    expect(result.safety).toMatchObject({ verdict: 'suspicious', complete: true });
    expect(result.safety?.imports.some((i) => i.risk === 'dangerous')).toBe(false);
  });

  test('a Keras 3 archive reports layer output shapes and its parameter count', async () => {
    const result = await inspectFile(fixture('flownet_ann_final_model.keras'));
    expect(result.metadata).toMatchObject({ parameterCount: 10786, weightValueCount: 32360 });
    expect(result.safety?.verdict).toBe('safe');
    const layers = (result.metadata as { layers: { outputShape: unknown }[] }).layers;
    expect(layers.map((l) => l.outputShape)).toEqual([
      [null, 2],
      [null, 128],
      [null, 128],
      [null, 64],
      [null, 64],
      [null, 32],
      [null, 32],
      [null, 2],
    ]);
  });

  test('an MLmodel of MLflow 1.x reads flavors, uuid, time and the pickle warning', async () => {
    const result = await inspectFile(fixture('MLmodel'));
    const meta = result.metadata as MlflowMetadata;
    expect(meta.flavorNames).toEqual(['python_function', 'sklearn']);
    expect(meta.modelUuid).toBe('4d622e7b02614d1eb71f44eeb927be4f');
    expect(meta.createdAt).toBe('2024-10-29 07:39:02.032550');
    expect(meta.mlflowVersion).toBe('1.30.1');
    expect(meta.flavors.sklearn).toMatchObject({ sklearn_version: '1.5.2' });
    expect(result.warnings.join(' ')).toMatch(/cloudpickle/);
  });

  test('a drop of every fixture yields one result per file, in order', async () => {
    const names = readdirSync(FIXTURES).sort();
    const results = [];
    for await (const result of inspectFiles(names.map(fixture))) results.push(result);
    expect(results.map((r) => r.fileName)).toEqual(names);
    const failed = results.filter((r) => r.error).map((r) => r.fileName);
    expect(failed).toEqual(['SOURCES.md', 'expected.json']);
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
  });
});
