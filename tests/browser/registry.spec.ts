import { createHash } from 'node:crypto';
import { open, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';
import { waitForServiceWorkerControl } from './support/service-worker';
import {
  createModel,
  exportWorkspace,
  fillModelForm,
  fillVersionForm,
  modelPath,
  registerVersion,
  resultRows,
  search,
  start,
  stateHash,
} from './registry-steps';

const weights = Buffer.from('stemma test weights\n'.repeat(5000));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('a model and two versions with a file are still there after a reload', async ({ page }) => {
  await start(page);
  await createModel(page, 'nlp/sentiment', {
    description: 'Reviews, **positive** or negative.',
    tags: { team: 'nlp' },
  });
  await registerVersion(page, 'nlp/sentiment', {
    files: [{ name: 'model.safetensors', buffer: weights }],
    params: { learning_rate: '3e-5' },
    metrics: { f1: 0.81 },
  });
  await registerVersion(page, 'nlp/sentiment', { metrics: { f1: 0.86 } });

  await page.goto(modelPath('nlp/sentiment'));
  await page.reload();

  await expect(page.locator('.markdown strong')).toHaveText('positive');
  const rows = page.getByTestId('version-table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('v2');
  await expect(rows.nth(1)).toContainText('0.81');

  await rows.nth(1).getByRole('link', { name: 'v1' }).click();
  const files = page.getByTestId('files-table');
  await expect(files).toContainText('model.safetensors');
  await expect(files).toContainText('100 KB');
  await expect(files.locator('code')).toHaveAttribute('title', sha256(weights));
  await expect(page.getByTestId('version-uri')).toHaveText('models:/nlp/sentiment/1');
});

test('an alias is set, moved, rolled back, and its history read', async ({ page }) => {
  await start(page);
  await createModel(page, 'churn');
  await registerVersion(page, 'churn', { metrics: { auc: 0.7 } });
  await registerVersion(page, 'churn', { metrics: { auc: 0.75 } });
  await page.goto(modelPath('churn'));

  await page.getByLabel('New alias').fill('champion');
  await page.getByLabel('Version', { exact: true }).selectOption('1');
  await page.getByRole('button', { name: 'Set alias' }).click();
  await expect(page.getByTestId('alias-panel')).toContainText('@champion→ v1');

  await page.getByLabel('Move @champion to version').selectOption('2');
  await page.getByRole('button', { name: 'Move', exact: true }).click();
  await expect(page.getByTestId('alias-panel')).toContainText('@champion→ v2');

  await page.getByTestId('rollback-champion').click();
  await expect(page.getByTestId('alias-panel')).toContainText('@champion→ v1');

  const history = page.getByTestId('alias-history').locator('tbody tr');
  await expect(history).toHaveCount(3);
  const pointedTo = await history.evaluateAll((trs) =>
    trs.map((tr) => tr.querySelectorAll('td')[2].textContent?.trim()),
  );
  expect(pointedTo).toEqual(['v1', 'v2', 'v1']);
  await expect(history.first()).toContainText('Ada');

  await page.getByTestId('search-input').fill('models:/churn@champion');
  await page.getByTestId('search-input').press('Enter');
  await expect(page).toHaveURL(/\/models\/churn\/versions\/1$/);
});

test('search combines AND and OR, sorts, and points at a bad query', async ({ page }) => {
  await start(page);
  await createModel(page, 'bert-small', { tags: { team: 'nlp' } });
  await createModel(page, 'bert-large', { tags: { team: 'nlp' } });
  await createModel(page, 'resnet', { tags: { team: 'vision' } });
  await registerVersion(page, 'bert-small', { metrics: { f1: 0.82 } });
  await registerVersion(page, 'bert-large', { metrics: { f1: 0.91 } });
  await registerVersion(page, 'resnet', { metrics: { f1: 0.95 } });

  await search(page, "metrics.f1 > 0.8 AND tags.team = 'nlp'");
  await expect(page.getByTestId('search-results').locator('tbody tr')).toHaveCount(2);

  await page.getByRole('button', { name: /^f1/ }).click();
  await expect.poll(() => resultRows(page)).toEqual(['bert-large v1', 'bert-small v1']);

  await search(page, "name = 'resnet' OR (name LIKE 'bert%' AND metrics.f1 < 0.85)");
  await expect
    .poll(async () => (await resultRows(page)).sort())
    .toEqual(['bert-small v1', 'resnet v1']);

  await search(page, 'metrics.f1 >> 0.8');
  const error = page.getByTestId('query-error');
  await expect(error).toContainText('position 13');
  await expect(error.locator('mark')).toHaveText('>');
});

test('a search answered from the index follows a version registered in another tab', async ({
  page,
  context,
}) => {
  await start(page);
  await createModel(page, 'shared');
  await registerVersion(page, 'shared', { metrics: { acc: 0.5 } });
  await page.goto('/');
  await search(page, "name = 'shared'");
  const summary = page.locator('.summary');
  await expect(summary).toContainText('1 match');
  // Once the index has loaded, the page asks it again by itself and stops saying so.
  await expect(summary).not.toContainText('still loading');
  await expect(summary).toContainText('1 match');

  const other = await context.newPage();
  await registerVersion(other, 'shared', { metrics: { acc: 0.9 } });

  // The first tab's list refreshes by itself; the index took the new version in.
  await expect.poll(() => resultRows(page)).toEqual(['shared v2', 'shared v1']);
  await expect(summary).toContainText('2 matches');
  await expect(summary).not.toContainText('still loading');
});

test('two versions compare side by side with their curves plotted', async ({ page }) => {
  await start(page);
  await createModel(page, 'gpt-mini');
  const curve = (end: number): [number, number][] => [
    [100, 0.5],
    [200, 0.6],
    [300, end],
  ];
  await registerVersion(page, 'gpt-mini', { params: { lr: '1e-4' }, metrics: { acc: curve(0.7) } });
  await registerVersion(page, 'gpt-mini', { params: { lr: '3e-4' }, metrics: { acc: curve(0.8) } });

  await search(page, "name = 'gpt-mini'");
  await page.getByLabel('Select gpt-mini v1').check();
  await page.getByLabel('Select gpt-mini v2').check();
  await page.getByTestId('compare-selected').click();

  const table = page.getByTestId('compare-table');
  await expect(table.locator('tr[data-differs="true"]', { hasText: 'lr' })).toBeVisible();
  await expect(table.locator('td.best')).toContainText('0.8');
  await expect(page.getByTestId('metric-chart').locator('canvas').first()).toBeVisible();
});

test('offline after the first visit, the registry keeps working', async ({ page, profile }) => {
  await start(page);
  await waitForServiceWorkerControl(page);
  await profile.context.setOffline(true);

  await page.reload();
  await createModel(page, 'offline-model');
  await registerVersion(page, 'offline-model', {
    files: [{ name: 'weights.bin', buffer: weights }],
  });

  await page.goto(modelPath('offline-model'));
  await expect(page.getByTestId('version-table').locator('tbody tr')).toHaveCount(1);
});

test('export, wipe and import give back the same state hash', async ({ page }) => {
  await start(page);
  await createModel(page, 'round-trip', { tags: { stage: 'prod' } });
  await registerVersion(page, 'round-trip', {
    files: [{ name: 'm.onnx', buffer: weights }],
    metrics: {
      loss: [
        [1, 0.9],
        [2, 0.4],
      ],
    },
  });
  const before = await stateHash(page);
  const exported = await exportWorkspace(page);
  expect(exported.suggestedFilename()).toMatch(/^stemma-workspace-\d{4}-\d{2}-\d{2}\.json$/);
  const file = await exported.path();

  await page.getByRole('button', { name: 'Wipe…' }).click();
  await page.getByTestId('confirm').click();
  await expect(page.getByTestId('state-hash')).not.toHaveText(before);

  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.getByTestId('import-hash')).toHaveText(before);
  expect(await stateHash(page)).toBe(before);
});

test.describe('a bad input shows its message and changes nothing', () => {
  test('an empty, a duplicate and an oversized model', async ({ page }) => {
    await start(page);
    await createModel(page, 'taken');
    const before = await stateHash(page);

    await fillModelForm(page, '   ');
    await page.getByTestId('create-model').click();
    await expect(page.locator('#model-name-error')).toContainText('A model needs a name');

    await fillModelForm(page, 'taken');
    await page.getByTestId('create-model').click();
    await expect(page.locator('#model-name-error')).toContainText('already exists');

    await fillModelForm(page, 'huge', { description: 'x'.repeat(1_100_000) });
    await page.getByTestId('create-model').click();
    await expect(page.locator('#model-description-error')).toContainText('the limit is 1 MB');

    expect(await stateHash(page)).toBe(before);
  });

  test('an unknown model and an alias on an archived version', async ({ page }) => {
    await start(page);
    await page.goto(modelPath('nobody'));
    await expect(page.getByText('There is no model "nobody"')).toBeVisible();

    await createModel(page, 'shelf');
    await registerVersion(page, 'shelf', { metrics: { acc: 0.5 } });
    await page.getByRole('button', { name: 'Archive version' }).click();
    await expect(page.getByRole('button', { name: 'Restore version' })).toBeVisible();
    const before = await stateHash(page);

    await page.goto(modelPath('shelf'));
    await page.getByLabel('New alias').fill('champion');
    await page.getByLabel('Version', { exact: true }).selectOption('1');
    await page.getByRole('button', { name: 'Set alias' }).click();
    await expect(page.getByTestId('alias-panel')).toContainText('is archived');
    await expect(page.getByTestId('alias-history')).toHaveCount(0);

    expect(await stateHash(page)).toBe(before);
  });

  test('a metric that is not a number', async ({ page }) => {
    await start(page);
    await createModel(page, 'typos');
    const before = await stateHash(page);

    await fillVersionForm(page, 'typos', { metrics: { f1: 1 } });
    await page.getByLabel('Metric 1 value').fill('high');
    await page.getByTestId('submit-version').click();
    await expect(page.getByText('The metric "f1" must be a number')).toBeVisible();

    expect(await stateHash(page)).toBe(before);
  });

  test('a file that cannot be read to the end', async ({ page }) => {
    await start(page);
    await createModel(page, 'moving-target');
    const before = await stateHash(page);
    // A large sparse file hashes for long enough to be cut short while it is being read.
    const path = join(tmpdir(), `stemma-vanishing-${Date.now()}.bin`);
    const handle = await open(path, 'w');
    await handle.truncate(2_000_000_000);
    await handle.close();

    try {
      await page.goto(`${modelPath('moving-target')}/register`);
      await page.getByTestId('file-input').setInputFiles(path);
      await expect(page.locator('progress')).toBeVisible();
      await truncate(path, 0);

      await expect(page.getByTestId('file-drop').locator('..')).toContainText('Could not read');
      await expect(page.getByTestId('submit-version')).toBeDisabled();
    } finally {
      await rm(path, { force: true });
    }
    expect(await stateHash(page)).toBe(before);
  });
});
