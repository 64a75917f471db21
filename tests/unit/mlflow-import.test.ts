/**
 * The MLflow importer on hand-made stores: the MLflow 3 layout with a dataset input and a
 * logged model, aliases, deleted versions, a newer copy of a store, and bad input that is
 * reported by name with its file and line while the rest is imported.
 */
import { describe, expect, test } from 'vitest';
import { importMlflow, NoMlflowStoreError } from '../../src/lib/interop/mlflow';
import { writeZip } from '../../src/lib/interop/mlflow/zip-writer';
import { freshRegistry } from './support/registry';
import { entriesOf } from './mlflow-support';
import { mlflow3Store, RUN_1, RUN_2, runMeta, versionMeta } from './mlflow-fixtures';

describe('MLflow 3 file store', () => {
  test('runs, datasets, logged models and registry become records, versions, links', async () => {
    const registry = await freshRegistry('mlflow3');
    const summary = await importMlflow(registry, entriesOf(mlflow3Store()));
    expect(summary.found).toMatchObject({
      experiments: 2,
      runs: 1,
      params: 2,
      metricPoints: 6,
      datasets: 1,
      loggedModels: 1,
      registeredModels: 1,
      versions: 2,
      aliases: 2,
    });
    expect(summary.added).toMatchObject({
      runs: 1,
      datasets: 1,
      loggedModels: 1,
      versions: 2,
      aliases: 1,
    });
    const ghost = summary.issues.find((issue) => issue.message.includes('@ghost'));
    expect(ghost).toMatchObject({
      error: 'MissingPartError',
      file: 'mlruns/models/iris/meta.yaml',
    });

    const run = await registry.getLineageEntity(`mlflow-run-${RUN_1}`);
    expect(run.kind).toBe('run');
    if (run.kind !== 'run') return;
    expect(run.fields.params).toEqual({ C: '1.0', kernel: 'rbf' });
    expect(run.fields.metrics).toEqual({ loss: 0.2, 'train/acc': 0.9 });
    expect(run.fields.environment?.['mlflow.experiment']).toBe('iris');
    expect(run.fields.environment?.['mlflow.status']).toBe('FINISHED');

    // The logged model: its own metrics and params, its files, produced by the run.
    const logged = await registry.getVersion('iris/iris-clf', 1);
    expect(logged.tags['mlflow.model_id']).toBe('m-abc');
    expect(logged.tags['mlflow.flavors']).toBe('sklearn');
    expect(logged.params).toMatchObject({ C: '1.0', kernel: 'rbf' });
    expect(logged.metrics).toEqual({ accuracy: 0.97 });
    expect(logged.files.map((file) => file.name).sort()).toEqual(['MLmodel', 'model.pkl']);
    expect(logged.files.find((file) => file.name === 'MLmodel')?.summary?.format).toBe(
      'mlflow-mlmodel',
    );

    // The registry: version 1 deleted in MLflow is archived; @champion is on version 2.
    const versions = await registry.listVersions('iris', { includeArchived: true });
    expect(versions.map((v) => [v.number, v.archived, v.tags['mlflow.version']])).toEqual([
      [1, true, '1'],
      [2, false, '2'],
    ]);
    const iris = await registry.getModel('iris');
    expect(iris.aliases).toEqual({ champion: 2 });
    expect(iris.description).toBe('Iris classifier');
    expect(iris.tags).toEqual({ owner: 'ada' });
    expect(versions[1].tags.validated).toBe('yes');
    expect(versions[1].datasets).toEqual([
      { name: 'iris-train', version: 'abc123', uri: 's3://data/iris.csv', role: 'training' },
    ]);

    const edges = await registry.lineageEdgesOf(versions[1].id);
    expect(edges.map((edge) => [edge.from, edge.relation]).sort()).toEqual([
      [logged.id, 'derived-from'],
      [`mlflow-run-${RUN_1}`, 'produced-by'],
    ]);
    const runEdges = await registry.lineageEdgesOf(`mlflow-run-${RUN_1}`);
    expect(runEdges.find((edge) => edge.to === `mlflow-run-${RUN_1}`)).toMatchObject({
      from: 'mlflow-dataset-abc123:iris-train',
      relation: 'trained-on',
    });
  });

  test('a newer copy adds only what is new; the same copy again adds nothing', async () => {
    const registry = await freshRegistry('mlflow-newer');
    const first = mlflow3Store();
    await importMlflow(registry, entriesOf(first));
    const events = await registry.log.db.events.count();
    const same = await importMlflow(registry, entriesOf(first));
    expect(Object.values(same.added).every((n) => n === 0)).toBe(true);
    expect(await registry.log.db.events.count()).toBe(events);

    const newer = {
      ...first,
      [`mlruns/1/${RUN_2}/meta.yaml`]: runMeta(RUN_2, '1', 'sweep-2'),
      [`mlruns/1/${RUN_2}/metrics/loss`]: '1700000000000 0.1 0\n',
      'mlruns/models/iris/version-3/meta.yaml': versionMeta('iris', 3, RUN_2),
      'mlruns/models/iris/aliases/challenger': '3',
    };
    const summary = await importMlflow(registry, entriesOf(newer));
    expect(summary.added).toMatchObject({ runs: 1, versions: 1, aliases: 1, loggedModels: 0 });
    expect((await registry.getModel('iris')).aliases).toEqual({ champion: 2, challenger: 3 });
    const v3 = await registry.getVersion('iris', 3);
    const edges = await registry.lineageEdgesOf(v3.id);
    expect(edges.map((edge) => edge.from)).toEqual([`mlflow-run-${RUN_2}`]);
  });
});

describe('bad input', () => {
  test('each problem is named with its file and line, and the rest is imported', async () => {
    const registry = await freshRegistry('mlflow-bad');
    await registry.createModel({ name: 'keep', description: 'mine', tags: { a: '1' } });
    await registry.registerVersion({ model: 'keep', params: { lr: '0.1' } });
    const keepBefore = await registry.getModel('keep');
    const keepVersions = await registry.listVersions('keep');

    const store = mlflow3Store();
    const broken = 'c3'.repeat(16);
    store[`mlruns/1/${broken}/meta.yaml`] = 'experiment_id: 1\nrun_id: abc: def\nuser_id: x\n';
    store[`mlruns/1/${RUN_1}/metrics/loss`] =
      '1700000000000 0.9 0\n1700000000010 oops 1\n1700000000020 0.2 2\n';
    store['mlruns/1/models/m-abc/artifacts/MLmodel'] =
      'flavors: {}\nmlflow_version: 9.0.0\nmodel_id: m-abc\n';
    const zip = writeZip([
      { path: '../evil.txt', content: 'x' },
      { path: '/etc/passwd', content: 'x' },
      { path: 'mlruns/%2e%2e/escape', content: 'x' },
      ...Object.entries(store).map(([path, content]) => ({ path, content })),
    ]);
    const summary = await importMlflow(registry, [{ path: 'store.zip', file: zip }]);
    const named = (error: string) => summary.issues.filter((issue) => issue.error === error);

    expect(named('MalformedMetaError')[0]).toMatchObject({
      file: `mlruns/1/${broken}/meta.yaml`,
      line: 2,
      severity: 'skipped',
    });
    expect(named('MetricLineError')[0]).toMatchObject({
      file: `mlruns/1/${RUN_1}/metrics/loss`,
      line: 2,
    });
    expect(named('UnknownMlflowVersionError')[0]).toMatchObject({
      file: 'mlruns/1/models/m-abc/artifacts/MLmodel',
      line: 2,
    });
    expect(
      named('UnsafeImportPathError')
        .map((issue) => issue.file)
        .sort(),
    ).toEqual(['../evil.txt', '/etc/passwd', 'mlruns/%2e%2e/escape']);
    for (const issue of summary.issues) expect(issue.message.length).toBeGreaterThan(20);

    // The rest went in: the good run with its two good loss points, and the registry.
    expect(summary.added.runs).toBe(1);
    const run = await registry.getLineageEntity(`mlflow-run-${RUN_1}`);
    expect(run.kind === 'run' && run.fields.metrics?.loss).toBe(0.2);
    expect(summary.added.versions).toBe(2);
    expect(summary.added.loggedModels).toBe(0);
    // What was there before is untouched.
    expect(await registry.getModel('keep')).toEqual(keepBefore);
    expect(await registry.listVersions('keep')).toEqual(keepVersions);
  });

  test('an input with no store in it is refused by name', async () => {
    const registry = await freshRegistry('mlflow-none');
    await expect(
      importMlflow(registry, entriesOf({ 'notes.txt': 'hello' })),
    ).rejects.toBeInstanceOf(NoMlflowStoreError);
  });
});
