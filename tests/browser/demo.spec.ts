/**
 * The demo workspace in the browser: an empty registry offers it, one click loads it (marked
 * as a demo), its models and lineage graph show, the explorer narrows it by model and exports
 * it as SVG, and "Remove demo" (after a confirmation) takes it all out of the lists again.
 */
import { readFile } from 'node:fs/promises';
import { start } from './registry-steps';
import { expect, test } from './support/fixtures';

const shots = process.env.STEMMA_SCREENSHOTS;

test('an empty registry loads the demo, explores its lineage, and removes it', async ({ page }) => {
  test.setTimeout(180_000);
  await start(page);
  const load = page.getByTestId('load-demo');
  await expect(page.getByRole('heading', { name: 'No models yet' })).toBeVisible();
  await expect(load).toBeVisible();
  if (shots) await page.screenshot({ path: `${shots}/home-demo-offer.png`, fullPage: true });

  await load.click();
  const banner = page.getByTestId('demo-banner');
  await expect(banner).toBeVisible({ timeout: 120_000 });
  await expect(banner).toContainText('stemma.demo=true');
  // The banner shows while the load goes on; the explore link comes once it is done.
  await expect(banner.getByRole('link', { name: 'Explore its lineage' })).toBeVisible({
    timeout: 120_000,
  });
  await expect(page.getByText(/Loaded the demo workspace: 14 models, 28 versions/)).toBeVisible();
  const list = page.getByTestId('model-list');
  for (const name of ['recsys-ranker-dcn', 'asr-conformer', 'perception-detector']) {
    await expect(list.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await expect(list.locator(':scope > li')).toHaveCount(14);
  if (shots) await page.screenshot({ path: `${shots}/home-demo-loaded.png`, fullPage: true });

  await banner.getByRole('link', { name: 'Explore its lineage' }).click();
  await expect(page.getByRole('heading', { name: /Around perception-detector v3/ })).toBeVisible();
  await expect(page.getByTestId('lineage-graph').locator('canvas')).toBeVisible();
  const rows = page.getByTestId('lineage-subgraph').locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const all = await rows.count();
  expect(all).toBeGreaterThan(10);
  if (shots) {
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${shots}/lineage-demo.png`, fullPage: true });
  }

  // Narrowed to one model: its versions, the centre and the records stay.
  await page.getByTestId('filter-model').selectOption({ label: 'perception-detector-night' });
  await expect.poll(() => rows.count()).toBeLessThan(all);
  await expect(page.getByTestId('lineage-subgraph')).toContainText('perception-detector-night v2');
  await expect(page.getByTestId('lineage-subgraph')).not.toContainText('perception-detector v2');
  await page.getByTestId('filter-model').selectOption('');
  await expect.poll(() => rows.count()).toBe(all);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'SVG' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('lineage-perception-detector-v3.svg');
  const svg = await readFile(await download.path(), 'utf8');
  const parsed = await page.evaluate((text) => {
    const document = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: document.querySelector('parsererror')?.textContent ?? null,
      root: document.documentElement.localName,
      nodes: document.querySelectorAll('g.node').length,
      edges: document.querySelectorAll('g.edge').length,
      labels: [...document.querySelectorAll('g.node text')].map((text) => text.textContent),
    };
  }, svg);
  expect(parsed.error).toBeNull();
  expect(parsed.root).toBe('svg');
  // The table lists the links drawn; the SVG has one element per link and per node.
  expect(parsed.edges).toBe(all);
  expect(parsed.nodes).toBeGreaterThan(8);
  expect(parsed.labels.join(' ')).toContain('perception-detector v3');

  await page.goto('/');
  await banner.getByRole('button', { name: 'Remove demo' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove the demo workspace?' });
  await expect(dialog).toContainText('Nothing is deleted');
  await dialog.getByTestId('confirm').click();
  await expect(banner).toBeHidden({ timeout: 60_000 });
  await expect(page.getByRole('heading', { name: 'No models yet' })).toBeVisible();
  await page.getByLabel('Show archived').check();
  await expect(list.locator(':scope > li')).toHaveCount(14);
});
