/**
 * Text model files: TF.js layers models and manifests with their shards, sharded
 * safetensors indexes, MLflow MLmodel folders and model-card front matter.
 */
import { describe, expect, test } from 'vitest';
import { inspectFiles } from '$lib/registry/formats/inspect';
import type {
  FileInspection,
  MlflowMetadata,
  ModelCardMetadata,
  SafetensorsIndexMetadata,
  TfjsMetadata,
} from '$lib/registry/formats/types';
import { inspectBytes, text } from './formats-builders';

async function drop(files: [path: string, body: string | Uint8Array][]) {
  const inputs = files.map(([path, body]) => ({
    blob: new Blob([(typeof body === 'string' ? text(body) : body) as BlobPart]),
    name: path.split('/').pop() as string,
    path,
  }));
  const results: FileInspection[] = [];
  for await (const result of inspectFiles(inputs)) results.push(result);
  return results;
}

const layersModel = {
  format: 'layers-model',
  generatedBy: 'keras v2.15.0',
  convertedBy: 'TensorFlow.js Converter v4.22.0',
  modelTopology: {
    keras_version: '2.15.0',
    model_config: {
      class_name: 'Sequential',
      config: { layers: [{ class_name: 'Dense' }, { class_name: 'Dense' }] },
    },
  },
  weightsManifest: [
    {
      paths: ['group1-shard1of1.bin'],
      weights: [
        { name: 'dense/kernel', shape: [4, 2], dtype: 'float32' },
        { name: 'dense/bias', shape: [2], dtype: 'float32' },
      ],
    },
  ],
};

describe('TensorFlow.js', () => {
  test('a layers model reads Keras class, layers and weights, and finds its shard', async () => {
    const [model] = await drop([
      ['tfjs/model.json', JSON.stringify(layersModel)],
      ['tfjs/group1-shard1of1.bin', new Uint8Array(40)],
    ]);
    const meta = model.metadata as TfjsMetadata;
    expect(meta).toMatchObject({
      format: 'tfjs-model',
      modelFormat: 'layers-model',
      kerasClass: 'Sequential',
      kerasVersion: '2.15.0',
      layers: ['Dense', 'Dense'],
      weightCount: 2,
      parameterCount: 10,
      expectedWeightBytes: 40,
      weightFiles: [{ path: 'group1-shard1of1.bin', present: true, size: 40 }],
    });
    expect(model.warnings).toEqual([]);
  });

  test('a missing or short shard is reported', async () => {
    const [missing] = await drop([['m/model.json', JSON.stringify(layersModel)]]);
    expect(missing.warnings.join(' ')).toMatch(/missing from the drop: group1-shard1of1.bin/);
    const [short] = await drop([
      ['m/model.json', JSON.stringify(layersModel)],
      ['m/group1-shard1of1.bin', new Uint8Array(12)],
    ]);
    expect(short.warnings.join(' ')).toMatch(/hold 12 bytes but the manifest describes 40/);
  });
});

describe('sharded safetensors index', () => {
  test('groups tensors by shard and checks which shards came along', async () => {
    const index = {
      metadata: { total_size: 1000 },
      weight_map: {
        a: 'model-00001-of-00002.safetensors',
        b: 'model-00002-of-00002.safetensors',
        c: 'model-00002-of-00002.safetensors',
      },
    };
    const [result] = await drop([
      ['m/model.safetensors.index.json', JSON.stringify(index)],
      ['m/model-00001-of-00002.safetensors', new Uint8Array(1)],
    ]);
    const meta = result.metadata as SafetensorsIndexMetadata;
    expect(meta).toMatchObject({ totalSize: 1000, tensorCount: 3 });
    expect(meta.shards).toEqual([
      { file: 'model-00001-of-00002.safetensors', tensorCount: 1, present: true },
      { file: 'model-00002-of-00002.safetensors', tensorCount: 2, present: false },
    ]);
  });
});

describe('MLflow MLmodel', () => {
  const mlmodel = [
    'artifact_path: model',
    'flavors:',
    '  python_function:',
    '    env:',
    '      conda: conda.yaml',
    '      virtualenv: python_env.yaml',
    '    loader_module: mlflow.sklearn',
    '  sklearn:',
    '    pickled_model: model.pkl',
    '    serialization_format: cloudpickle',
    '    sklearn_version: 1.5.2',
    'mlflow_version: 2.16.0',
    'model_id: m-123',
    'run_id: 0123456789abcdef0123456789abcdef',
    'saved_input_example_info:',
    '  artifact_path: input_example.json',
    '  type: dataframe',
    'signature:',
    '  inputs: \'[{"type": "double", "name": "x", "required": true}]\'',
    '  outputs: \'[{"type": "long", "required": true}]\'',
    '  params: null',
    "utc_time_created: '2024-10-29 07:39:02.032550'",
  ].join('\n');

  test('reads flavors, signature, ids and the requirement files present', async () => {
    const [result] = await drop([
      ['model/MLmodel', mlmodel],
      ['model/requirements.txt', 'scikit-learn==1.5.2'],
      ['model/conda.yaml', 'name: x'],
    ]);
    const meta = result.metadata as MlflowMetadata;
    expect(meta).toMatchObject({
      flavorNames: ['python_function', 'sklearn'],
      runId: '0123456789abcdef0123456789abcdef',
      modelId: 'm-123',
      mlflowVersion: '2.16.0',
      createdAt: '2024-10-29 07:39:02.032550',
      signature: {
        inputs: [{ type: 'double', name: 'x', required: true }],
        outputs: [{ type: 'long', required: true }],
        params: null,
      },
    });
    expect(meta.requirementsFiles.map((f) => f.path).sort()).toEqual([
      'conda.yaml',
      'requirements.txt',
    ]);
  });

  test('a YAML alias bomb is refused', async () => {
    const bomb = ['flavors: {}', 'a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 12; i++) {
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
      );
    }
    const result = await inspectBytes(text(bomb.join('\n')), 'MLmodel');
    expect(result.error?.name).toBe('MalformedFileError');
  });
});

describe('model cards', () => {
  test('reads licence, library, tags, datasets, metrics and base model', async () => {
    const card = [
      '---',
      'license: apache-2.0',
      'library_name: transformers',
      'pipeline_tag: text-classification',
      'tags: [sentiment, bert]',
      'datasets:',
      '  - imdb',
      'metrics: [accuracy, f1]',
      'base_model: google-bert/bert-base-uncased',
      'base_model_relation: finetune',
      '---',
      '# My model',
    ].join('\n');
    const result = await inspectBytes(text(card), 'README.md');
    expect(result.metadata).toMatchObject({
      format: 'model-card',
      license: 'apache-2.0',
      library: 'transformers',
      pipelineTag: 'text-classification',
      tags: ['sentiment', 'bert'],
      datasets: ['imdb'],
      metrics: ['accuracy', 'f1'],
      baseModel: ['google-bert/bert-base-uncased'],
      baseModelRelation: 'finetune',
    } satisfies Partial<ModelCardMetadata>);
  });

  test('front matter without a closing line is named', async () => {
    const result = await inspectBytes(text('---\nlicense: mit\n# no end'), 'README.md');
    expect(result.error?.message).toMatch(/front matter has no closing --- line/);
  });
});
