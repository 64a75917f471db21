/**
 * The lineage GNN in the page: train on a small registry in the worker (the backend named
 * with its reason, progress by epoch, pause and resume), read the held-out score, accept a
 * likely parent on a version with no recorded lineage, and open a version from the map.
 */
import type { Page } from '@playwright/test';
import { createModel, registerVersion, start } from './registry-steps';
import { expect, test } from './support/fixtures';

/** Links version 1 of `parent` as the parent of the version page that is open. */
async function linkParent(page: Page, parent: string) {
  const form = page.getByTestId('lineage-form');
  await form.getByTestId('lineage-side').selectOption('parent');
  await form.locator('#lineage-other-model').selectOption(parent);
  await form.locator('#lineage-other-version').selectOption({ label: 'v1' });
  await form.getByTestId('lineage-relation').selectOption('fine-tuned-from');
  await form.getByTestId('add-lineage').click();
  await expect(page.getByTestId('lineage-edges').locator('tr[data-state="active"]')).toHaveCount(1);
}

test('train the GNN, accept a likely parent, and open a version from the map', async ({ page }) => {
  test.setTimeout(120_000);
  await start(page);
  const models: [string, string, string | null][] = [
    ['llama-base', 'llama', null],
    ['llama-chat', 'llama', 'llama-base'],
    ['llama-code', 'llama', 'llama-base'],
    ['resnet-base', 'resnet', null],
    ['resnet-tuned', 'resnet', 'resnet-base'],
    ['llama-instruct', 'llama', null],
  ];
  for (const [name, family, parent] of models) {
    const task = family === 'llama' ? 'text-generation' : 'image-classification';
    await createModel(page, name, { tags: { family, task } });
    await registerVersion(page, name, { description: `${name}, first version.` });
    if (parent) await linkParent(page, parent);
  }

  await page.getByRole('link', { name: 'Insights', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Insights' })).toBeVisible();
  await expect(page.getByTestId('freshness')).toContainText('Not trained yet');
  await page.getByLabel('Epochs').fill('300');
  await page.getByTestId('train').click();

  const backend = page.getByTestId('training-backend');
  // Measuring WebGPU on a software adapter takes seconds on a machine without a GPU.
  await expect(backend).toContainText(/Backend: (webgpu|webgl|wasm|cpu)\./, { timeout: 30_000 });
  await expect(backend).toContainText('ms per training step, the fastest measured');
  await expect(page.getByTestId('training-epoch')).toContainText(/epoch \d+ of 300, loss \d/);
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('training-phase')).toHaveText('Paused');
  const pausedAt = await page.getByTestId('training-epoch').innerText();
  await page.waitForTimeout(300);
  await expect(page.getByTestId('training-epoch')).toHaveText(pausedAt);
  // The page stays responsive while training is paused or running in its worker.
  await page.getByTestId('resume').click();
  await expect(page.getByTestId('training-phase')).toContainText('Done', { timeout: 30_000 });
  await expect(page.getByTestId('training-epoch')).toContainText('epoch 300 of 300');
  await expect(page.getByTestId('ms-per-epoch')).toContainText('ms per epoch');
  await expect(page.getByTestId('loss-curve').locator('polyline.trend')).toBeVisible();

  const quality = page.getByTestId('model-quality');
  await expect(quality.getByTestId('quality-suggestions')).toContainText('%');
  await expect(quality.getByTestId('quality-gnn')).toContainText('%');
  await expect(quality).toContainText('held-out version');
  await expect(page.getByTestId('map-point')).toHaveCount(6);
  await page.getByTestId('map-search').fill('resnet');
  await expect(page.getByTestId('map-matches')).toHaveText('2 matches.');
  await page.screenshot({ path: 'test-results/gnn-insights.png', fullPage: true });

  await page.goto('/models/llama-instruct/versions/1');
  const parents = page.getByTestId('likely-parents');
  const suggestions = parents.getByTestId('parent-suggestion');
  await expect(suggestions).toHaveCount(5);
  await expect(parents).toContainText('Ranked by the GNN');
  await expect(parents.locator('[data-kind="shared-family"]').first()).toHaveText(
    'shared family llama',
  );
  await expect(page.getByTestId('similar-models').locator('li')).toHaveCount(5);
  await page.getByTestId('version-insights').screenshot({ path: 'test-results/gnn-version.png' });

  const first = suggestions.first();
  const parentName = (await first.locator('a').innerText()).trim();
  await first.getByTestId('accept-parent').click();
  const row = page.getByTestId('lineage-edges').locator('tr[data-state="active"]');
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('link', { name: parentName })).toBeVisible();
  await expect(parents).toBeHidden();

  await page.goto('/insights');
  await expect(page.getByTestId('freshness')).toContainText('1 added and 0 removed links');
  await page.locator('[data-testid="map-point"][data-version="resnet-tuned v1"]').click();
  await expect(page).toHaveURL(/\/models\/resnet-tuned\/versions\/1$/);
  await expect(page.getByRole('heading', { level: 1, name: /Version 1/ })).toBeVisible();
});
