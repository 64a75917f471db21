/**
 * Reads an MLflow tracking database (`mlflow.db`, MLflow's SQLAlchemy schema) into the same
 * shape as a file store: experiments, runs with params, metric histories and tags, dataset
 * inputs, MLflow 3 logged models, and the model registry. Columns later MLflow versions added
 * are read when present.
 */
import type { Database, SqlValue } from 'sql.js';
import { makeDataset } from './datasets';
import { MlflowDatabaseError, UnknownMlflowVersionError } from './errors';
import { readLogModelHistory } from './mlmodel';
import { runStatus, sortPoints } from './read-meta';
import type {
  ImportIssue,
  MetricHistory,
  MlflowLoggedModel,
  MlflowModelVersion,
  MlflowRegisteredModel,
  MlflowRun,
  MlflowStore,
} from './types';
import { loadSqlite, type SqliteOptions } from './sqlite-loader';

type Row = Record<string, SqlValue>;

const REQUIRED = ['experiments', 'runs', 'metrics', 'params', 'tags'];

function rows(db: Database, sql: string): Row[] {
  const statement = db.prepare(sql);
  const out: Row[] = [];
  try {
    while (statement.step()) out.push(statement.getAsObject() as Row);
  } finally {
    statement.free();
  }
  return out;
}

const str = (value: SqlValue | undefined) =>
  value === null || value === undefined ? '' : String(value);
const num = (value: SqlValue | undefined) =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

function tablesOf(db: Database): Set<string> {
  return new Set(
    rows(db, "SELECT name FROM sqlite_master WHERE type='table'").map((r) => str(r.name)),
  );
}

function columnsOf(db: Database, table: string): Set<string> {
  return new Set(rows(db, `PRAGMA table_info(${table})`).map((r) => str(r.name)));
}

/** key/value rows grouped by an owner column. */
function grouped(list: Row[], owner: string, key: string, value: string) {
  const out = new Map<string, Record<string, string>>();
  for (const row of list) {
    const id = str(row[owner]);
    let map = out.get(id);
    if (!map) out.set(id, (map = {}));
    map[str(row[key])] = str(row[value]);
  }
  return out;
}

function metricHistories(list: Row[], owner: string, key: string, value: string, step: string) {
  const out = new Map<string, MetricHistory>();
  let nonFinite = 0;
  for (const row of list) {
    const metricValue = num(row[value]);
    if (metricValue === null || row.is_nan === 1) {
      nonFinite++;
      continue;
    }
    const id = str(row[owner]);
    let history = out.get(id);
    if (!history) out.set(id, (history = {}));
    const name = str(row[key]);
    (history[name] ??= []).push({
      value: metricValue,
      step: num(row[step]) ?? 0,
      timestamp: num(row.timestamp ?? row.metric_timestamp_ms) ?? 0,
    });
  }
  for (const history of out.values()) {
    for (const name of Object.keys(history)) history[name] = sortPoints(history[name]);
  }
  return { histories: out, nonFinite };
}

function readRuns(db: Database, file: string, tables: Set<string>, issues: ImportIssue[]) {
  const params = grouped(
    rows(db, 'SELECT key, value, run_uuid FROM params'),
    'run_uuid',
    'key',
    'value',
  );
  const tags = grouped(
    rows(db, 'SELECT key, value, run_uuid FROM tags'),
    'run_uuid',
    'key',
    'value',
  );
  const { histories, nonFinite } = metricHistories(
    rows(db, 'SELECT key, value, timestamp, step, run_uuid, is_nan FROM metrics'),
    'run_uuid',
    'key',
    'value',
    'step',
  );
  if (nonFinite > 0) {
    issues.push({
      error: 'UnsupportedValueError',
      message:
        `${nonFinite} NaN or infinite metric values were left out: Stemma stores finite ` +
        `numbers only (${file})`,
      file,
      line: null,
      severity: 'warning',
    });
  }
  const runs: MlflowRun[] = rows(db, 'SELECT * FROM runs').map((row) => {
    const id = str(row.run_uuid);
    const runTags = tags.get(id) ?? {};
    return {
      id,
      experimentId: str(row.experiment_id),
      name: str(row.name) || runTags['mlflow.runName'] || id,
      status: runStatus(row.status),
      startTime: num(row.start_time),
      endTime: num(row.end_time),
      user: str(row.user_id),
      lifecycleStage: str(row.lifecycle_stage) || 'active',
      artifactUri: str(row.artifact_uri),
      params: params.get(id) ?? {},
      metrics: histories.get(id) ?? {},
      tags: runTags,
      inputs: [],
      origin: `${file}: runs ${id}`,
    };
  });
  if (tables.has('inputs') && tables.has('datasets')) {
    const byRun = new Map(runs.map((run) => [run.id, run]));
    const context = grouped(
      tables.has('input_tags') ? rows(db, 'SELECT input_uuid, name, value FROM input_tags') : [],
      'input_uuid',
      'name',
      'value',
    );
    const datasets = new Map(
      rows(db, 'SELECT * FROM datasets').map((row) => [
        str(row.dataset_uuid),
        makeDataset(
          str(row.name),
          str(row.digest),
          str(row.dataset_source_type),
          str(row.dataset_source),
        ),
      ]),
    );
    const inputs = rows(
      db,
      'SELECT input_uuid, source_id, destination_id FROM inputs ' +
        "WHERE source_type = 'DATASET' AND destination_type = 'RUN'",
    );
    for (const input of inputs) {
      const dataset = datasets.get(str(input.source_id));
      const run = byRun.get(str(input.destination_id));
      if (!dataset || !run) continue;
      const ctx = context.get(str(input.input_uuid))?.['mlflow.data.context'] ?? null;
      run.inputs.push({ datasetKey: dataset.key, context: ctx });
    }
    return { runs, datasets: [...datasets.values()] };
  }
  return { runs, datasets: [] };
}

function readLoggedModels(db: Database, file: string, tables: Set<string>, runs: MlflowRun[]) {
  const models: MlflowLoggedModel[] = [];
  if (tables.has('logged_models')) {
    const params = tables.has('logged_model_params')
      ? grouped(
          rows(db, 'SELECT * FROM logged_model_params'),
          'model_id',
          'param_key',
          'param_value',
        )
      : new Map();
    const tags = tables.has('logged_model_tags')
      ? grouped(rows(db, 'SELECT * FROM logged_model_tags'), 'model_id', 'tag_key', 'tag_value')
      : new Map();
    const metrics = tables.has('logged_model_metrics')
      ? metricHistories(
          rows(db, 'SELECT * FROM logged_model_metrics'),
          'model_id',
          'metric_name',
          'metric_value',
          'metric_step',
        ).histories
      : new Map<string, MetricHistory>();
    for (const row of rows(db, 'SELECT * FROM logged_models')) {
      const id = str(row.model_id);
      models.push({
        key: id,
        experimentId: str(row.experiment_id),
        name: str(row.name) || 'model',
        runId: str(row.source_run_id) || null,
        artifactPath: null,
        createdAt: num(row.creation_timestamp_ms),
        flavors: [],
        mlflowVersion: null,
        modelUuid: null,
        params: params.get(id) ?? {},
        metrics: metrics.get(id) ?? {},
        tags: tags.get(id) ?? {},
        files: [],
        origin: `${file}: logged_models ${id}`,
      });
    }
  }
  // MLflow 2 keeps logged models only in the run's history tag.
  for (const run of runs) {
    const history = run.tags['mlflow.log-model.history'];
    if (!history) continue;
    for (const facts of readLogModelHistory(history)) {
      const path = facts.artifactPath ?? 'model';
      models.push({
        key: facts.modelId ?? facts.modelUuid ?? `${run.id}/${path}`,
        experimentId: run.experimentId,
        name: path,
        runId: run.id,
        artifactPath: path,
        createdAt: facts.createdAt ?? run.endTime ?? run.startTime,
        flavors: facts.flavors,
        mlflowVersion: facts.mlflowVersion,
        modelUuid: facts.modelUuid,
        params: {},
        metrics: {},
        tags: {},
        files: [],
        origin: `${file}: tags ${run.id} mlflow.log-model.history`,
      });
    }
  }
  return models;
}

function readRegistry(db: Database, file: string, tables: Set<string>): MlflowRegisteredModel[] {
  if (!tables.has('registered_models') || !tables.has('model_versions')) return [];
  const modelTags = tables.has('registered_model_tags')
    ? grouped(
        rows(db, 'SELECT key, value, name FROM registered_model_tags'),
        'name',
        'key',
        'value',
      )
    : new Map();
  const versionTags = tables.has('model_version_tags')
    ? grouped(
        rows(db, 'SELECT key, value, name, version FROM model_version_tags').map((row) => ({
          ...row,
          owner: `${str(row.name)}\u0000${str(row.version)}`,
        })),
        'owner',
        'key',
        'value',
      )
    : new Map();
  const aliases = tables.has('registered_model_aliases')
    ? rows(db, 'SELECT alias, version, name FROM registered_model_aliases')
    : [];
  const hasModelId = columnsOf(db, 'model_versions').has('model_id');
  const models = new Map<string, MlflowRegisteredModel>();
  for (const row of rows(db, 'SELECT * FROM registered_models')) {
    const name = str(row.name);
    models.set(name, {
      name,
      description: str(row.description),
      createdAt: num(row.creation_time),
      tags: modelTags.get(name) ?? {},
      aliases: {},
      versions: [],
      origin: `${file}: registered_models ${name}`,
    });
  }
  for (const row of rows(db, 'SELECT * FROM model_versions ORDER BY name, version')) {
    const model = models.get(str(row.name));
    if (!model) continue;
    const version: MlflowModelVersion = {
      version: num(row.version) ?? 0,
      description: str(row.description),
      currentStage: str(row.current_stage) || 'None',
      source: str(row.source),
      runId: str(row.run_id) || null,
      modelId: hasModelId ? str(row.model_id) || null : null,
      status: str(row.status) || 'READY',
      createdAt: num(row.creation_time),
      userId: str(row.user_id) || null,
      tags: versionTags.get(`${model.name}\u0000${str(row.version)}`) ?? {},
      origin: `${file}: model_versions ${model.name} v${str(row.version)}`,
    };
    model.versions.push(version);
  }
  for (const row of aliases) {
    const model = models.get(str(row.name));
    const version = num(row.version);
    if (model && version !== null) model.aliases[str(row.alias)] = version;
  }
  return [...models.values()];
}

/** Reads `bytes` as an MLflow database; throws `MlflowDatabaseError` when it is not one. */
export async function readDatabase(
  bytes: Uint8Array,
  file: string,
  issues: ImportIssue[],
  options: SqliteOptions = {},
): Promise<MlflowStore> {
  const SQL = await loadSqlite(options);
  let db: Database;
  try {
    db = new SQL.Database(bytes);
  } catch (cause) {
    throw new MlflowDatabaseError(file, 'SQLite cannot open it', cause);
  }
  try {
    let tables: Set<string>;
    try {
      tables = tablesOf(db);
    } catch (cause) {
      throw new MlflowDatabaseError(file, 'SQLite cannot read its tables', cause);
    }
    const missing = REQUIRED.filter((table) => !tables.has(table));
    if (missing.length > 0) {
      throw new MlflowDatabaseError(file, `it has no ${missing.join(', ')} table`);
    }
    if (tables.has('alembic_version')) {
      const revision = str(rows(db, 'SELECT version_num FROM alembic_version')[0]?.version_num);
      if (revision === '') throw new UnknownMlflowVersionError(file, '(no schema revision)');
    }
    const experimentTags = tables.has('experiment_tags')
      ? grouped(
          rows(db, 'SELECT key, value, experiment_id FROM experiment_tags'),
          'experiment_id',
          'key',
          'value',
        )
      : new Map();
    const experiments = rows(db, 'SELECT * FROM experiments').map((row) => ({
      id: str(row.experiment_id),
      name: str(row.name),
      lifecycleStage: str(row.lifecycle_stage) || 'active',
      artifactLocation: str(row.artifact_location),
      creationTime: num(row.creation_time),
      tags: experimentTags.get(str(row.experiment_id)) ?? {},
    }));
    const { runs, datasets } = readRuns(db, file, tables, issues);
    return {
      experiments,
      runs,
      datasets,
      loggedModels: readLoggedModels(db, file, tables, runs),
      registeredModels: readRegistry(db, file, tables),
    };
  } catch (error) {
    if (error instanceof MlflowDatabaseError || error instanceof UnknownMlflowVersionError) {
      throw error;
    }
    const detail = error instanceof Error ? error.message : String(error);
    throw new MlflowDatabaseError(file, `a query on its MLflow tables failed (${detail})`, error);
  } finally {
    db.close();
  }
}
