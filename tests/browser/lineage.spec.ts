/**
 * Lineage in the browser: linking two versions on the version page, seeing the link in the
 * table and the drawing, being refused a link that would close a cycle, and exporting the
 * explored subgraph as triples and as SVG.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { createModel, registerVersion, start } from './registry-steps';
import { expect, test } from './support/fixtures';

const model = 'lineage-demo';

async function versionId(page: Page, number: number): Promise<string> {
  await page.goto(`/models/${model}/versions/${number}`);
  return (await page.getByTestId('version-id').innerText()).trim();
}

/** Fills the version page's "Add lineage" form with another version of `model`. */
async function linkVersion(page: Page, side: 'parent' | 'child', number: number) {
  const form = page.getByTestId('lineage-form');
  await form.getByTestId('lineage-side').selectOption(side);
  await form.locator('#lineage-other-model').selectOption(model);
  await form.locator('#lineage-other-version').selectOption({ label: `v${number}` });
  await form.getByTestId('lineage-relation').selectOption('fine-tuned-from');
  await form.getByTestId('add-lineage').click();
}

test('a fine-tune link shows in the table and graph, refuses its reverse, and exports', async ({
  page,
}) => {
  await start(page);
  await createModel(page, model);
  await registerVersion(page, model, { description: 'The base model.' });
  await registerVersion(page, model, { description: 'Fine-tuned on support tickets.' });
  const base = await versionId(page, 1);
  const tuned = await versionId(page, 2);

  await linkVersion(page, 'parent', 1);

  const row = page.getByTestId('lineage-edges').locator('tr[data-state="active"]');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('parent');
  await expect(row).toContainText('fine-tuned from');
  await expect(row.getByRole('link', { name: `${model} v1` })).toBeVisible();
  await expect(page.getByTestId('lineage-graph').locator('canvas')).toBeVisible();

  await linkVersion(page, 'child', 1);

  const refusal = page.getByTestId('lineage-cycle');
  await expect(refusal).toContainText('would make a cycle');
  await expect(refusal).toContainText(`${model} v1`);
  await expect(refusal).toContainText(`${model} v2`);
  await expect(row).toHaveCount(1);

  await page.goto(`/lineage?v=${encodeURIComponent(tuned)}`);
  await expect(page.getByTestId('lineage-subgraph').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('lineage-graph').locator('canvas')).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Triples CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.triples\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv.split('\r\n')).toEqual([
    'subject,predicate,object,note',
    `${tuned},fine-tuned-from,${base},`,
    '',
  ]);

  const [svgDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'SVG' }).click(),
  ]);
  expect(svgDownload.suggestedFilename()).toMatch(/\.svg$/);
  const svg = await readFile(await svgDownload.path(), 'utf8');
  const drawn = await page.evaluate((text) => {
    const document = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: document.querySelector('parsererror')?.textContent ?? null,
      nodes: [...document.querySelectorAll('g.node')].map((node) => node.getAttribute('data-id')),
      edges: [...document.querySelectorAll('g.edge')].map((edge) => edge.textContent),
    };
  }, svg);
  expect(drawn.error).toBeNull();
  expect(drawn.nodes.sort()).toEqual([base, tuned].sort());
  expect(drawn.edges).toHaveLength(1);
  expect(drawn.edges[0]).toContain('fine-tuned from');
});

test('a weighted merge link can be removed and restored from the version page', async ({
  page,
}) => {
  await start(page);
  await createModel(page, model);
  await registerVersion(page, model, { description: 'Parent A.' });
  await registerVersion(page, model, { description: 'The merge.' });

  const form = page.getByTestId('lineage-form');
  await form.locator('#lineage-other-model').selectOption(model);
  await form.locator('#lineage-other-version').selectOption({ label: 'v1' });
  await form.getByTestId('lineage-relation').selectOption('merged-from');
  await form.getByLabel('Weight').fill('0.4');
  await form.getByLabel('Note').fill('slerp, half the layers');
  await form.getByTestId('add-lineage').click();

  const table = page.getByTestId('lineage-edges');
  const active = table.locator('tr[data-state="active"]');
  await expect(active).toContainText('merged from (weight 0.4)');
  await expect(active).toContainText('slerp, half the layers');

  await active.getByRole('button', { name: 'Remove' }).click();
  const removed = table.locator('tr[data-state="removed"]');
  await expect(removed).toContainText('Removed; it stays in history.');
  await expect(active).toHaveCount(0);
  await expect(page.getByTestId('lineage-graph')).toHaveCount(0);

  await removed.getByRole('button', { name: 'Restore' }).click();
  await expect(active).toContainText('merged from (weight 0.4)');
  await expect(page.getByTestId('lineage-graph').locator('canvas')).toBeVisible();
});
