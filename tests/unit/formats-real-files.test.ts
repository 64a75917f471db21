/**
 * Every real model file in ../shared/data/models must give the metadata listed for it in
 * EXPECTED_METADATA.json. Skipped, with a message, on a clone without the shared data; the
 * fixture tests cover a copy of the small ones.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { inspectFile, inspectFiles } from '$lib/registry/formats/inspect';
import type { MlflowMetadata } from '$lib/registry/formats/types';
import { expectMatchesExpected } from './formats-expected';

const DATA = join(process.cwd(), '../shared/data');
const MODELS = join(DATA, 'models');
const present = existsSync(join(MODELS, 'EXPECTED_METADATA.json'));
if (!present) {
  console.warn(`Skipping real model files: ${MODELS} is absent (fixture tests still run).`);
}

function blobOf(path: string) {
  return { blob: new Blob([readFileSync(path)]), name: basename(path), path: basename(path) };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

describe.skipIf(!present)('real model files in shared/data', () => {
  const expected = present
    ? (JSON.parse(readFileSync(join(MODELS, 'EXPECTED_METADATA.json'), 'utf8')) as Record<
        string,
        Record<string, unknown>
      >)
    : {};

  for (const [file, fields] of Object.entries(expected)) {
    test(`${file} reports the expected metadata`, async () => {
      const result = await inspectFile(blobOf(join(MODELS, file)));
      expectMatchesExpected(result, fields);
    });
  }

  test('weight shards dropped with their model.json are found and add up', async () => {
    const folder = join(MODELS, 'tfjs/human_blazeface');
    const files = walk(folder).map((path) => ({
      blob: new Blob([readFileSync(path)]),
      name: basename(path),
      path: `human_blazeface/${relative(folder, path)}`,
    }));
    const results = [];
    for await (const result of inspectFiles(files)) results.push(result);
    const model = results.find((r) => r.format === 'tfjs-model');
    expect(model?.warnings).toEqual([]);
    expect(model?.metadata).toMatchObject({
      weightFiles: [{ path: 'blazeface.bin', present: true, size: 538928 }],
      expectedWeightBytes: 538928,
    });
    const shard = results.find((r) => r.fileName === 'blazeface.bin');
    expect(shard?.error?.code).toBe('model-file-unrecognized');
  });

  test('every MLmodel of the MLflow examples reads its flavors, ids and signature', async () => {
    const files = walk(join(DATA, 'mlflow')).filter((path) => basename(path) === 'MLmodel');
    expect(files.length).toBeGreaterThan(5);
    for (const path of files) {
      const result = await inspectFile(blobOf(path));
      expect(result.error, path).toBeNull();
      const meta = result.metadata as MlflowMetadata;
      expect(meta.flavorNames.length, path).toBeGreaterThan(0);
      expect(meta.modelUuid ?? meta.modelId, path).toMatch(/^[0-9a-f-]{32,}$|^m-/);
      expect(meta.createdAt, path).toMatch(/^\d{4}-\d\d-\d\d /);
    }
  });

  test('the MLflow 2.12 LangChain model exposes its run id and JSON signature', async () => {
    const path = join(
      DATA,
      'mlflow/mlflow_repo_tests_resources/example_mlflow_2.12_langchain_model',
    );
    const result = await inspectFile(blobOf(join(path, 'MLmodel')));
    const meta = result.metadata as MlflowMetadata;
    expect(meta.runId).toBe('84552a129bfb45faa87f5fb3f05eb9cf');
    expect(meta.mlflowVersion).toBe('2.12.2');
    expect(meta.flavorNames).toEqual(['langchain', 'python_function']);
    expect(meta.signature?.outputs).toEqual([{ type: 'string', required: true }]);
    expect(meta.inputExample).toEqual({ artifact_path: 'input_example.json', type: 'json_object' });
  });
});
