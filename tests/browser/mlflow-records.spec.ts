/**
 * A run's own page after an MLflow import: an mlruns folder chosen with the folder picker,
 * with one run that logged a registered model and one that logged none. The version's
 * lineage table opens its run's record page; the run with no model still has its whole
 * metric curves, drawn from its run record.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from './support/fixtures';
import { modelPath, start } from './registry-steps';

const RUN = 'f6'.repeat(16);
const SWEEP = 'a7'.repeat(16);
const T0 = 1_700_000_000_000;

const curve = (points: number, value: (step: number) => number) =>
  Array.from({ length: points }, (_, step) => `${T0 + step * 1000} ${value(step)} ${step}`)
    .join('\n')
    .concat('\n');

function runMeta(id: string, name: string, minutes: number) {
  return (
    `run_id: ${id}\nrun_uuid: ${id}\nrun_name: ${name}\nexperiment_id: '7'\nstatus: 3\n` +
    `start_time: ${T0}\nend_time: ${T0 + minutes * 60_000}\nuser_id: ada\n` +
    'lifecycle_stage: active\n'
  );
}

/** Two runs of one experiment: one registered as churn-gbm v1, one sweep with no model. */
function store(): Record<string, string> {
  return {
    'mlruns/7/meta.yaml':
      "experiment_id: '7'\nname: churn\nlifecycle_stage: active\nartifact_location: x\n",
    [`mlruns/7/${RUN}/meta.yaml`]: runMeta(RUN, 'gbm-nightly', 1),
    [`mlruns/7/${RUN}/params/depth`]: '6',
    [`mlruns/7/${RUN}/metrics/loss`]: curve(30, (step) => 1 / (step + 1)),
    [`mlruns/7/${RUN}/artifacts/model/MLmodel`]:
      'artifact_path: model\nflavors:\n  xgboost:\n    data: model.xgb\nmlflow_version: 2.16.2\n' +
      `model_uuid: u-7\nrun_id: ${RUN}\n`,
    [`mlruns/7/${SWEEP}/meta.yaml`]: runMeta(SWEEP, 'lr-sweep-3', 12),
    [`mlruns/7/${SWEEP}/params/lr`]: '0.003',
    [`mlruns/7/${SWEEP}/params/batch_size`]: '64',
    [`mlruns/7/${SWEEP}/metrics/train_loss`]: curve(50, (step) => 2 * Math.exp(-step / 12)),
    [`mlruns/7/${SWEEP}/metrics/val_auc`]: curve(50, (step) => 0.9 - 0.4 * Math.exp(-step / 9)),
    [`mlruns/7/${SWEEP}/tags/mlflow.source.git.commit`]: '4ef3874fc02b1fbd4acf5315fb491172b904d53c',
    [`mlruns/7/${SWEEP}/tags/mlflow.source.name`]: 'train.py',
    'mlruns/models/churn-gbm/meta.yaml': 'name: churn-gbm\ndescription: Churn model\n',
    'mlruns/models/churn-gbm/version-1/meta.yaml':
      `name: churn-gbm\nversion: 1\ncurrent_stage: None\nrun_id: ${RUN}\n` +
      `source: file:///tmp/mlruns/7/${RUN}/artifacts/model\nstatus: READY\n`,
  };
}

test('a run record page shows the run, its curves and its links', async ({ page }) => {
  const dir = await mkdtemp(join(tmpdir(), 'stemma-records-'));
  try {
    for (const [path, content] of Object.entries(store())) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    await start(page);
    await page.goto('/import');
    await page.getByTestId('mlflow-folder-input').setInputFiles(join(dir, 'mlruns'));
    const summary = page.getByTestId('mlflow-summary');
    // 30 + 2 x 50 points, every one kept on its run record.
    await expect(summary.getByRole('row', { name: /^Metric points 130 130$/ })).toBeVisible();

    // The version's lineage table opens the run that produced it.
    await page.goto(`${modelPath('churn-gbm')}/versions/1`);
    await page.getByTestId('lineage-edges').getByRole('link', { name: 'gbm-nightly' }).click();
    await expect(page).toHaveURL(new RegExp(`/records/mlflow-run-${RUN}$`));
    await expect(page.getByTestId('record-title')).toContainText('gbm-nightly');
    await expect(page.getByTestId('metric-chart')).toHaveCount(1);
    await expect(page.getByTestId('record-produced')).toContainText('churn-gbm v1');
    await page.screenshot({ path: 'test-results/record-run-with-model.png', fullPage: true });

    // The sweep logged no model: its curves live on its run record only.
    await page.goto(`/records/mlflow-run-${SWEEP}`);
    await expect(page.getByTestId('record-title')).toContainText('lr-sweep-3');
    await expect(page.getByTestId('run-status')).toHaveText('FINISHED');
    await expect(page.getByTestId('record-details')).toContainText('12 min 0 s');
    await expect(page.getByTestId('metrics-table')).toContainText('val_auc');
    await expect(page.getByTestId('metric-chart')).toHaveCount(2);
    // uPlot draws one canvas per chart once it has a width.
    await expect(page.locator('[data-testid="metric-chart"] canvas')).toHaveCount(2);
    await expect(page.getByRole('row', { name: 'batch_size 64' })).toBeVisible();
    await expect(page.getByTestId('record-details')).toContainText('@4ef3874fc02b');
    await page.screenshot({ path: 'test-results/record-run.png', fullPage: true });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
