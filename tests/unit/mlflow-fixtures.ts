/** Hand-made MLflow stores for the importer tests, written as MLflow's FileStore lays them out. */
import { yamlOf } from './mlflow-support';

export const RUN_1 = 'a1'.repeat(16);
export const RUN_2 = 'b2'.repeat(16);
const T0 = 1_700_000_000_000;

export function experimentMeta(id: string, name: string) {
  return yamlOf({
    artifact_location: `file:///tmp/mlruns/${id}`,
    creation_time: T0,
    experiment_id: id,
    last_update_time: T0,
    lifecycle_stage: 'active',
    name,
  });
}

export function runMeta(id: string, experiment: string, name: string, start = T0) {
  return (
    yamlOf({
      artifact_uri: `file:///tmp/mlruns/${experiment}/${id}/artifacts`,
      end_time: start + 5000,
      entry_point_name: '',
      experiment_id: experiment,
      lifecycle_stage: 'active',
      run_id: id,
      run_name: name,
      run_uuid: id,
      source_name: '',
      source_type: 4,
      source_version: '',
      start_time: start,
      status: 3,
      user_id: 'ada',
    }) + 'tags: []\n'
  );
}

export function versionMeta(
  name: string,
  version: number,
  runId: string,
  extra: Record<string, string | number | null> = {},
) {
  return (
    yamlOf({
      creation_timestamp: T0 + version,
      current_stage: 'None',
      description: `version ${version}`,
      last_updated_timestamp: T0 + version,
      name,
      run_id: runId,
      run_link: '',
      source: `file:///tmp/mlruns/1/${runId}/artifacts/model`,
      status: 'READY',
      status_message: null,
      user_id: null,
      version,
      ...extra,
    }) + 'aliases: []\n'
  );
}

/** An MLflow 3 store: a dataset input, a logged model under the experiment, a registry. */
export function mlflow3Store(): Record<string, string> {
  return {
    'mlruns/0/meta.yaml': experimentMeta('0', 'Default'),
    'mlruns/1/meta.yaml': experimentMeta('1', 'iris'),
    'mlruns/1/tags/team': 'vision',
    'mlruns/1/datasets/d1/meta.yaml': yamlOf({
      digest: 'abc123',
      name: 'iris-train',
      profile: '{"num_rows": 150}',
      schema: '',
      source: '{"uri": "s3://data/iris.csv"}',
      source_type: 's3',
    }),
    [`mlruns/1/${RUN_1}/meta.yaml`]: runMeta(RUN_1, '1', 'sweep-1'),
    [`mlruns/1/${RUN_1}/params/C`]: '1.0',
    [`mlruns/1/${RUN_1}/params/kernel`]: 'rbf',
    [`mlruns/1/${RUN_1}/metrics/loss`]: `${T0} 0.9 0\n${T0 + 10} 0.5 1\n${T0 + 20} 0.2 2\n`,
    [`mlruns/1/${RUN_1}/metrics/train/acc`]: `${T0} 0.6 0\n${T0 + 20} 0.9 2\n`,
    [`mlruns/1/${RUN_1}/tags/mlflow.runName`]: 'sweep-1',
    [`mlruns/1/${RUN_1}/tags/mlflow.source.git.commit`]: 'c0ffee0000000000000000000000000000000000',
    [`mlruns/1/${RUN_1}/inputs/i1/meta.yaml`]:
      'destination_id: d1\ndestination_type: RUN\nsource_id: d1\nsource_type: DATASET\n' +
      'tags:\n  mlflow.data.context: training\n',
    'mlruns/1/models/m-abc/meta.yaml': yamlOf({
      artifact_location: 'file:///tmp/mlruns/1/models/m-abc/artifacts',
      creation_timestamp: T0 + 100,
      experiment_id: '1',
      last_updated_timestamp: T0 + 100,
      lifecycle_stage: 'active',
      model_id: 'm-abc',
      model_type: '',
      name: 'iris-clf',
      source_run_id: RUN_1,
      status: 2,
    }),
    'mlruns/1/models/m-abc/artifacts/MLmodel':
      'artifact_path: iris-clf\nflavors:\n  sklearn:\n    pickled_model: model.pkl\n' +
      '    serialization_format: cloudpickle\n    sklearn_version: 1.5.1\n' +
      'mlflow_version: 3.1.0\nmodel_id: m-abc\nmodel_uuid: m-abc\n' +
      `run_id: ${RUN_1}\nutc_time_created: '2024-11-13 07:56:25.610469'\n`,
    'mlruns/1/models/m-abc/artifacts/model.pkl': 'not really a pickle',
    'mlruns/1/models/m-abc/metrics/accuracy': `${T0 + 50} 0.97 0 ${RUN_1} iris-train abc123\n`,
    'mlruns/1/models/m-abc/params/C': '1.0',
    'mlruns/1/models/m-abc/tags/stage': 'candidate',
    'mlruns/models/iris/meta.yaml': yamlOf({
      creation_timestamp: T0,
      description: 'Iris classifier',
      last_updated_timestamp: T0,
      name: 'iris',
    }),
    'mlruns/models/iris/tags/owner': 'ada',
    'mlruns/models/iris/aliases/champion': '2',
    'mlruns/models/iris/aliases/ghost': '9',
    'mlruns/models/iris/version-1/meta.yaml': versionMeta('iris', 1, RUN_1, {
      current_stage: 'Deleted_Internal',
      source: 'models:/m-abc',
      model_id: 'm-abc',
    }),
    'mlruns/models/iris/version-2/meta.yaml': versionMeta('iris', 2, RUN_1, {
      source: 'models:/m-abc',
      model_id: 'm-abc',
    }),
    'mlruns/models/iris/version-2/tags/validated': 'yes',
  };
}
