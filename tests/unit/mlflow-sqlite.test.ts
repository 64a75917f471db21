/**
 * Import of an MLflow SQLite database, built here with sql.js in MLflow's SQLAlchemy schema
 * (the tables and columns of MLflow 2.x, plus the MLflow 3 logged model tables).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import initSqlJs from 'sql.js';
import { describe, expect, test } from 'vitest';
import { importMlflow } from '../../src/lib/interop/mlflow';
import { freshRegistry } from './support/registry';

const wasmBinary = readFileSync(resolve(__dirname, '../../node_modules/sql.js/dist/sql-wasm.wasm'));
const RUN = 'd4'.repeat(16);
const T0 = 1_700_000_000_000;

const SCHEMA = `
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name VARCHAR(256) NOT NULL UNIQUE,
  artifact_location VARCHAR(256), lifecycle_stage VARCHAR(32), creation_time BIGINT,
  last_update_time BIGINT);
CREATE TABLE experiment_tags (key VARCHAR(250), value VARCHAR(5000), experiment_id INTEGER,
  PRIMARY KEY (key, experiment_id));
CREATE TABLE runs (run_uuid VARCHAR(32) PRIMARY KEY, name VARCHAR(250), source_type VARCHAR(20),
  source_name VARCHAR(500), entry_point_name VARCHAR(50), user_id VARCHAR(256),
  status VARCHAR(9), start_time BIGINT, end_time BIGINT, deleted_time BIGINT,
  source_version VARCHAR(50), lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200),
  experiment_id INTEGER);
CREATE TABLE metrics (key VARCHAR(250), value FLOAT NOT NULL, timestamp BIGINT,
  run_uuid VARCHAR(32), step BIGINT DEFAULT 0 NOT NULL, is_nan BOOLEAN DEFAULT 0 NOT NULL,
  PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan));
CREATE TABLE latest_metrics (key VARCHAR(250), value FLOAT NOT NULL, timestamp BIGINT,
  step BIGINT NOT NULL, is_nan BOOLEAN NOT NULL, run_uuid VARCHAR(32),
  PRIMARY KEY (key, run_uuid));
CREATE TABLE params (key VARCHAR(250), value VARCHAR(8000), run_uuid VARCHAR(32),
  PRIMARY KEY (key, run_uuid));
CREATE TABLE tags (key VARCHAR(250), value VARCHAR(8000), run_uuid VARCHAR(32),
  PRIMARY KEY (key, run_uuid));
CREATE TABLE datasets (dataset_uuid VARCHAR(36) NOT NULL, experiment_id INTEGER,
  name VARCHAR(500) NOT NULL, digest VARCHAR(36) NOT NULL, dataset_source_type VARCHAR(36),
  dataset_source TEXT, dataset_schema TEXT, dataset_profile TEXT,
  PRIMARY KEY (experiment_id, name, digest));
CREATE TABLE inputs (input_uuid VARCHAR(36) NOT NULL, source_type VARCHAR(36) NOT NULL,
  source_id VARCHAR(36) NOT NULL, destination_type VARCHAR(36) NOT NULL,
  destination_id VARCHAR(36) NOT NULL,
  PRIMARY KEY (source_type, source_id, destination_type, destination_id));
CREATE TABLE input_tags (input_uuid VARCHAR(36) NOT NULL, name VARCHAR(255) NOT NULL,
  value VARCHAR(500) NOT NULL, PRIMARY KEY (input_uuid, name));
CREATE TABLE registered_models (name VARCHAR(256) PRIMARY KEY, creation_time BIGINT,
  last_updated_time BIGINT, description VARCHAR(5000));
CREATE TABLE registered_model_tags (key VARCHAR(250), value VARCHAR(5000), name VARCHAR(256),
  PRIMARY KEY (key, name));
CREATE TABLE registered_model_aliases (alias VARCHAR(256), version INTEGER NOT NULL,
  name VARCHAR(256), PRIMARY KEY (name, alias));
CREATE TABLE model_versions (name VARCHAR(256), version INTEGER, creation_time BIGINT,
  last_updated_time BIGINT, description VARCHAR(5000), user_id VARCHAR(256),
  current_stage VARCHAR(20), source VARCHAR(500), run_id VARCHAR(32), run_link VARCHAR(500),
  status VARCHAR(20), status_message VARCHAR(500), storage_location VARCHAR(500),
  PRIMARY KEY (name, version));
CREATE TABLE model_version_tags (key VARCHAR(250), value VARCHAR(5000), name VARCHAR(256),
  version INTEGER, PRIMARY KEY (key, name, version));
`;

async function buildDatabase(): Promise<Uint8Array> {
  const SQL = await initSqlJs({ wasmBinary: wasmBinary as unknown as ArrayBuffer });
  const db = new SQL.Database();
  db.run(SCHEMA);
  db.run("INSERT INTO alembic_version VALUES ('4465047574b1')");
  db.run(`INSERT INTO experiments VALUES (0, 'Default', 'mlruns/0', 'active', ${T0}, ${T0}),
    (7, 'churn', 'mlruns/7', 'active', ${T0}, ${T0})`);
  db.run("INSERT INTO experiment_tags VALUES ('team', 'growth', 7)");
  db.run(`INSERT INTO runs VALUES ('${RUN}', 'gbm-1', 'LOCAL', 'train.py', '', 'ada', 'FINISHED',
    ${T0}, ${T0 + 9000}, NULL, '', 'active', 'mlruns/7/${RUN}/artifacts', 7)`);
  const metrics: string[] = [];
  for (let step = 0; step < 10; step++) {
    metrics.push(`('auc', ${0.5 + step / 20}, ${T0 + step}, '${RUN}', ${step}, 0)`);
  }
  metrics.push(`('auc', 0, ${T0 + 99}, '${RUN}', 10, 1)`);
  db.run(`INSERT INTO metrics VALUES ${metrics.join(', ')}`);
  db.run(`INSERT INTO params VALUES ('depth', '6', '${RUN}'), ('eta', '0.3', '${RUN}')`);
  const history = JSON.stringify([
    {
      run_id: RUN,
      artifact_path: 'model',
      model_uuid: 'u-1',
      utc_time_created: '2024-01-01 00:00:00.0',
      flavors: { xgboost: {}, python_function: {} },
      mlflow_version: '2.16.2',
    },
  ]);
  db.run('INSERT INTO tags VALUES (?, ?, ?), (?, ?, ?)', [
    'mlflow.log-model.history',
    history,
    RUN,
    'mlflow.source.git.commit',
    'abc1234',
    RUN,
  ]);
  db.run(`INSERT INTO datasets VALUES ('ds-1', 7, 'churn-2024', 'f00d', 'local',
    '{"uri": "/data/churn.parquet"}', '', '')`);
  db.run(`INSERT INTO inputs VALUES ('in-1', 'DATASET', 'ds-1', 'RUN', '${RUN}')`);
  db.run("INSERT INTO input_tags VALUES ('in-1', 'mlflow.data.context', 'eval')");
  db.run(`INSERT INTO registered_models VALUES ('churn-gbm', ${T0}, ${T0}, 'Churn model')`);
  db.run("INSERT INTO registered_model_tags VALUES ('domain', 'retention', 'churn-gbm')");
  const source = `mlruns/7/${RUN}/artifacts/model`;
  db.run(`INSERT INTO model_versions VALUES
    ('churn-gbm', 1, ${T0}, ${T0}, 'first', 'ada', 'Deleted_Internal', '${source}', '${RUN}',
      '', 'READY', NULL, '${source}'),
    ('churn-gbm', 2, ${T0 + 1}, ${T0 + 1}, 'second', 'ada', 'Production', '${source}', '${RUN}',
      '', 'READY', NULL, '${source}')`);
  db.run("INSERT INTO model_version_tags VALUES ('approved', 'yes', 'churn-gbm', 2)");
  db.run("INSERT INTO registered_model_aliases VALUES ('prod', 2, 'churn-gbm')");
  const bytes = db.export();
  db.close();
  return bytes;
}

describe('MLflow SQLite database', () => {
  test('is read with the same mapping as a file store, and imported once', async () => {
    const registry = await freshRegistry('mlflow-db');
    const entries = [{ path: 'mlflow.db', file: new Blob([(await buildDatabase()) as BlobPart]) }];
    const summary = await importMlflow(registry, entries, { sqlite: { wasmBinary } });
    expect(summary.found).toMatchObject({
      experiments: 2,
      runs: 1,
      params: 2,
      metricPoints: 10,
      datasets: 1,
      loggedModels: 1,
      registeredModels: 1,
      versions: 2,
      aliases: 1,
    });
    expect(summary.issues.map((issue) => issue.error)).toEqual(['UnsupportedValueError']);

    const run = await registry.getLineageEntity(`mlflow-run-${RUN}`);
    expect(run.kind === 'run' && run.fields.metrics).toEqual({ auc: 0.95 });
    const versions = await registry.listVersions('churn-gbm', { includeArchived: true });
    expect(versions.map((v) => [v.description, v.archived])).toEqual([
      ['first', true],
      ['second', false],
    ]);
    expect(versions[1].tags).toMatchObject({
      approved: 'yes',
      'mlflow.current_stage': 'Production',
    });
    expect((await registry.getModel('churn-gbm')).aliases).toEqual({ prod: 2 });
    const history = await registry.metricHistory(versions[1].id);
    expect(history.auc.map((point) => point.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const logged = await registry.getVersion('churn/model', 1);
    expect(logged.tags['mlflow.flavors']).toBe('xgboost, python_function');
    const edges = await registry.lineageEdgesOf(versions[1].id);
    expect(edges.map((edge) => [edge.from, edge.relation]).sort()).toEqual([
      [logged.id, 'derived-from'],
      [`mlflow-run-${RUN}`, 'produced-by'],
    ]);
    const runEdges = await registry.lineageEdgesOf(`mlflow-run-${RUN}`);
    expect(runEdges.some((edge) => edge.relation === 'evaluated-on')).toBe(true);

    const again = await importMlflow(registry, entries, { sqlite: { wasmBinary } });
    expect(Object.values(again.added).every((n) => n === 0)).toBe(true);
  });

  test('a file that is not an MLflow database is reported by name', async () => {
    const registry = await freshRegistry('mlflow-db-bad');
    const SQL = await initSqlJs({ wasmBinary: wasmBinary as unknown as ArrayBuffer });
    const db = new SQL.Database();
    db.run('CREATE TABLE notes (body TEXT)');
    const entries = [{ path: 'other.db', file: new Blob([db.export() as BlobPart]) }];
    const summary = await importMlflow(registry, entries, { sqlite: { wasmBinary } });
    expect(summary.issues[0]).toMatchObject({ error: 'MlflowDatabaseError', file: 'other.db' });
    expect(summary.added.runs).toBe(0);
  });
});
