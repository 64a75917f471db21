/**
 * Importing MLflow in the browser: a zip of a file store dropped on the Import page, and an
 * mlruns folder chosen with the folder picker. After the import the models are listed, a
 * version page draws its run's metric curve, and its lineage names the run that produced it.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { expect, test } from './support/fixtures';
import { modelPath, start } from './registry-steps';
import { mlflow3Store } from '../unit/mlflow-fixtures';

const RUN = 'e5'.repeat(16);
const T0 = 1_700_000_000_000;

/** An MLflow 2 store: one run with a 30-point loss curve, its logged model, a registry. */
function mlflow2Store(): Record<string, string> {
  const loss = Array.from(
    { length: 30 },
    (_, step) => `${T0 + step} ${(1 / (step + 1)).toFixed(4)} ${step}`,
  );
  return {
    'mlruns/5/meta.yaml':
      "experiment_id: '5'\nname: churn\nlifecycle_stage: active\nartifact_location: x\n",
    [`mlruns/5/${RUN}/meta.yaml`]:
      `run_id: ${RUN}\nrun_uuid: ${RUN}\nrun_name: gbm-nightly\nexperiment_id: '5'\nstatus: 3\n` +
      `start_time: ${T0}\nend_time: ${T0 + 60000}\nuser_id: ada\nlifecycle_stage: active\n`,
    [`mlruns/5/${RUN}/params/depth`]: '6',
    [`mlruns/5/${RUN}/metrics/loss`]: `${loss.join('\n')}\n`,
    [`mlruns/5/${RUN}/tags/mlflow.runName`]: 'gbm-nightly',
    [`mlruns/5/${RUN}/artifacts/model/MLmodel`]:
      'artifact_path: model\nflavors:\n  xgboost:\n    data: model.xgb\nmlflow_version: 2.16.2\n' +
      `model_uuid: u-1\nrun_id: ${RUN}\n`,
    'mlruns/models/churn-gbm/meta.yaml': 'name: churn-gbm\ndescription: Churn model\n',
    'mlruns/models/churn-gbm/aliases/prod': '1',
    'mlruns/models/churn-gbm/version-1/meta.yaml':
      `name: churn-gbm\nversion: 1\ncurrent_stage: None\nrun_id: ${RUN}\n` +
      `source: file:///tmp/mlruns/5/${RUN}/artifacts/model\nstatus: READY\n`,
  };
}

/** A zip of `files`, stored without compression. */
function zipOf(files: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [path, content] of Object.entries(files)) {
    const name = Buffer.from(path);
    const data = Buffer.from(content);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    parts.push(local, name, data);
    central.push(entry, name);
    offset += 30 + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

test('a dropped zip of mlruns shows the models, a run curve and the lineage to the run', async ({
  page,
}) => {
  await start(page);
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Import and export' })).toBeVisible();

  const zip = zipOf(mlflow2Store()).toString('base64');
  await page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], 'mlruns.zip', { type: 'application/zip' }));
    const zone = document.querySelector('[data-testid="mlflow-drop"]')!;
    zone.dispatchEvent(
      new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }),
    );
  }, zip);

  const summary = page.getByTestId('mlflow-summary');
  await expect(summary).toBeVisible();
  await expect(page.getByTestId('mlflow-progress')).toContainText('Done');
  await expect(summary.getByRole('row', { name: /^Runs 1 1$/ })).toBeVisible();
  await expect(summary.getByRole('row', { name: /^Metric points 30 30$/ })).toBeVisible();
  const models = page.getByTestId('mlflow-models');
  await expect(models.getByRole('link')).toHaveText(['churn-gbm', 'churn/model']);
  await page.screenshot({ path: 'test-results/mlflow-import-summary.png', fullPage: true });

  await models.getByRole('link', { name: 'churn-gbm' }).click();
  await expect(page).toHaveURL(new RegExp(`${modelPath('churn-gbm')}$`));
  await page.goto(`${modelPath('churn-gbm')}/versions/1`);
  await expect(page.getByTestId('metrics-table')).toContainText('loss');
  await expect(page.getByTestId('metric-chart')).toHaveCount(1);
  const edges = page.getByTestId('lineage-edge');
  await expect(edges.filter({ hasText: 'gbm-nightly' })).toContainText('produced by');
  await expect(edges.filter({ hasText: 'churn/model v1' })).toContainText('derived from');
  await page.screenshot({ path: 'test-results/mlflow-import-version.png', fullPage: true });
});

test('an mlruns folder from the picker imports MLflow 3 models, lists what was skipped', async ({
  page,
}) => {
  const dir = await mkdtemp(join(tmpdir(), 'stemma-mlruns-'));
  try {
    for (const [path, content] of Object.entries(mlflow3Store())) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    await start(page);
    await page.goto('/import');
    await page.getByTestId('mlflow-folder-input').setInputFiles(join(dir, 'mlruns'));
    const summary = page.getByTestId('mlflow-summary');
    await expect(summary).toBeVisible();
    await expect(page.getByTestId('mlflow-models').getByRole('link')).toHaveText([
      'iris',
      'iris/iris-clf',
    ]);
    await expect(page.getByTestId('mlflow-issues')).toContainText('@ghost');

    await page.goto(`${modelPath('iris')}/versions/2`);
    const edges = page.getByTestId('lineage-edge');
    await expect(edges.filter({ hasText: 'sweep-1' })).toContainText('produced by');

    // The same folder again adds nothing.
    await page.goto('/import');
    await page.getByTestId('mlflow-folder-input').setInputFiles(join(dir, 'mlruns'));
    await expect(summary.getByRole('row', { name: /^Registered versions 2 0$/ })).toBeVisible();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
