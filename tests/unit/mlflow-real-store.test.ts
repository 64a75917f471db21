/**
 * Import of the real MLflow 2.16 file store in ../shared/data/mlflow/: what the summary
 * counts is counted again here straight from the files, and lineage from the registered
 * version to its run and logged model is checked. Skipped when the data is absent.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { importMlflow } from '../../src/lib/interop/mlflow';
import { freshRegistry } from './support/registry';
import { entriesOfFolder } from './mlflow-support';

const STORE = resolve(__dirname, '../../../shared/data/mlflow/03MuskaanJain+Iris_MLFlow/mlruns');

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();
const dirs = (path: string) =>
  isDir(path) ? readdirSync(path).filter((n) => isDir(join(path, n))) : [];
const files = (path: string) =>
  isDir(path) ? readdirSync(path).filter((n) => !isDir(join(path, n))) : [];

/** The counts, read from the files without the importer. */
function countFiles() {
  const experiments = dirs(STORE).filter(
    (n) => n !== 'models' && existsSync(join(STORE, n, 'meta.yaml')),
  );
  let runs = 0;
  let params = 0;
  let points = 0;
  for (const experiment of experiments) {
    for (const run of dirs(join(STORE, experiment))) {
      if (!existsSync(join(STORE, experiment, run, 'meta.yaml'))) continue;
      runs++;
      params += files(join(STORE, experiment, run, 'params')).length;
      for (const metric of files(join(STORE, experiment, run, 'metrics'))) {
        const text = readFileSync(join(STORE, experiment, run, 'metrics', metric), 'utf8');
        points += text.split('\n').filter((line) => line.trim() !== '').length;
      }
    }
  }
  const models = dirs(join(STORE, 'models'));
  const versions = models.reduce(
    (sum, model) =>
      sum + dirs(join(STORE, 'models', model)).filter((n) => n.startsWith('version-')).length,
    0,
  );
  return { experiments: experiments.length, runs, params, points, models: models.length, versions };
}

describe.skipIf(!isDir(STORE))(
  `MLflow import of the real store at ${STORE} (skipped when absent)`,
  () => {
    test('counts match the files, lineage reaches runs, a second import adds nothing', async () => {
      const registry = await freshRegistry('mlflow-real');
      const expected = countFiles();
      const summary = await importMlflow(registry, entriesOfFolder(STORE));

      expect(summary.found).toMatchObject({
        experiments: expected.experiments,
        runs: expected.runs,
        params: expected.params,
        metricPoints: expected.points,
        registeredModels: expected.models,
        versions: expected.versions,
      });
      expect(summary.added).toMatchObject({
        runs: expected.runs,
        params: expected.params,
        metricPoints: expected.points,
        registeredModels: expected.models,
        versions: expected.versions,
        loggedModels: expected.runs,
      });
      expect(summary.issues.filter((issue) => issue.severity === 'skipped')).toEqual([]);

      // Every run is a run record with its metrics; every registered version links to its run.
      const runs = await registry.listLineageEntities('run');
      expect(runs).toHaveLength(expected.runs);
      const version = await registry.getVersion('SVMClassifier', 1);
      expect(version.tags['mlflow.version']).toBe('1');
      const runId = version.tags['mlflow.run_id'];
      const edges = await registry.lineageEdgesOf(version.id);
      const producedBy = edges.find((edge) => edge.relation === 'produced-by');
      expect(producedBy?.from).toBe(`mlflow-run-${runId}`);
      const run = await registry.getLineageEntity(`mlflow-run-${runId}`);
      expect(run.name).toBe('SVM_kernel');
      expect(run.kind === 'run' && run.fields.codeRef?.commit).toBe(
        '4ef3874fc02b1fbd4acf5315fb491172b904d53c',
      );
      // The version carries its run's metric histories and the logged model's files.
      const history = await registry.metricHistory(version.id);
      expect(Object.keys(history).sort()).toEqual(['metric_0', 'metric_1', 'metric_2', 'metric_3']);
      expect(version.files.map((file) => file.name)).toContain('MLmodel');
      const derived = edges.find((edge) => edge.relation === 'derived-from');
      const logged = await registry.getVersionById(derived!.from);
      expect(logged.modelName).toBe('MLOps_CA_2/model');
      expect(logged.tags['mlflow.run_id']).toBe(runId);

      const events = await registry.log.db.events.count();
      const again = await importMlflow(registry, entriesOfFolder(STORE));
      expect(Object.values(again.added).every((n) => n === 0)).toBe(true);
      expect(again.updated).toBe(0);
      expect(await registry.log.db.events.count()).toBe(events);
    });
  },
);
