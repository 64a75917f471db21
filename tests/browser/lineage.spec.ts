/**
 * Lineage in the browser: linking two versions on the version page, seeing the link in the
 * table and the drawing, being refused a link that would close a cycle, exporting the
 * explored subgraph as triples, SVG and PNG, comparing two versions' lineage, opening a node
 * and a cluster by clicking the drawing.
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
async function linkVersion(
  page: Page,
  side: 'parent' | 'child',
  number: number,
  relation = 'fine-tuned-from',
) {
  const form = page.getByTestId('lineage-form');
  await form.getByTestId('lineage-side').selectOption(side);
  await form.locator('#lineage-other-model').selectOption(model);
  await form.locator('#lineage-other-version').selectOption({ label: `v${number}` });
  await form.getByTestId('lineage-relation').selectOption(relation);
  await form.getByTestId('add-lineage').click();
}

/** Chooses `model vN` in the VersionPicker whose ids start with `prefix`. */
async function pick(page: Page, prefix: string, number: number) {
  await page.locator(`#${prefix}-model`).selectOption(model);
  await page.locator(`#${prefix}-version`).selectOption({ label: `v${number}` });
}

/**
 * Where the drawing shows a node filled with `rgb`, in page coordinates: the middle of the
 * canvas pixels of exactly that colour (each node kind has its own fill), or null if none.
 */
async function pointOfColour(page: Page, rgb: [number, number, number]) {
  return page.getByTestId('lineage-graph').evaluate((frame, [r, g, b]) => {
    // In the middle of the viewport, clear of the sticky header a click could land on.
    frame.scrollIntoView({ block: 'center' });
    const canvas = frame.querySelector('canvas');
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return null;
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    let sumX = 0;
    let sumY = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const at = (y * width + x) * 4;
        if (data[at] !== r || data[at + 1] !== g || data[at + 2] !== b) continue;
        count++;
        sumX += x;
        sumY += y;
      }
    }
    if (count === 0) return null;
    const box = canvas.getBoundingClientRect();
    return {
      x: box.left + (sumX / count) * (box.width / width),
      y: box.top + (sumY / count) * (box.height / height),
    };
  }, rgb);
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

test("compares two versions' lineage, opens a node from the drawing and exports PNG", async ({
  page,
}, testInfo) => {
  await start(page);
  await createModel(page, model);
  for (const description of ['The base.', 'Tuned on tickets.', 'Quantized to int8.']) {
    await registerVersion(page, model, { description });
  }
  const active = page.getByTestId('lineage-edges').locator('tr[data-state="active"]');

  // v2 was fine-tuned from v1 and trained on a dataset; v3 was quantized from v1.
  const v2 = await versionId(page, 2);
  await linkVersion(page, 'parent', 1);
  await expect(active).toHaveCount(1);
  const form = page.getByTestId('lineage-form');
  await form.getByLabel('Kind').selectOption('dataset');
  const record = form.getByRole('group', { name: 'Record a dataset' });
  await record.getByLabel('Name').fill('support-tickets');
  await record.getByLabel('Version').fill('2024-05');
  await record.getByRole('button', { name: 'Record dataset' }).click();
  await expect(form.getByRole('combobox', { name: /^Dataset/ })).toHaveValue(/.+/);
  await form.getByTestId('lineage-relation').selectOption('trained-on');
  await form.getByTestId('add-lineage').click();
  await expect(active).toHaveCount(2);
  await versionId(page, 3);
  await linkVersion(page, 'parent', 1, 'quantized-from');
  await expect(active).toHaveCount(1);

  await page.goto(`/lineage?v=${encodeURIComponent(v2)}`);
  const compare = page.getByRole('region', { name: "Compare two versions' lineage" });
  await expect(compare).toContainText('Choose two versions');
  await pick(page, 'compare-a', 2);
  await pick(page, 'compare-b', 3);
  await expect(compare.getByTestId('compare-verdict')).toHaveText(
    `Neither came from the other; they meet at ${model} v1.`,
  );
  await expect(compare.getByTestId('compare-path')).toContainText('No path');
  const common = compare.getByTestId('compare-common');
  await expect(common.getByRole('link', { name: `${model} v1` })).toBeVisible();
  await expect(common).toContainText(`1 link above ${model} v2, 1 link above ${model} v3`);
  await expect(compare.getByTestId('diff-only-a')).toContainText('support-tickets 2024-05');
  await expect(compare.getByTestId('diff-only-b')).toHaveText('Nothing of its own.');
  await expect(compare.getByTestId('diff-shared').locator('li')).toHaveText([`${model} v1`]);

  await page.screenshot({ path: testInfo.outputPath('lineage-page.png'), fullPage: true });

  await pick(page, 'compare-b', 1);
  await expect(compare.getByTestId('compare-verdict')).toHaveText(
    `${model} v2 came from ${model} v1, 1 link down.`,
  );
  await expect(compare.getByTestId('compare-path').locator('li')).toHaveText([
    `${model} v2 fine-tuned from ${model} v1`,
  ]);
  await expect(compare.getByTestId('compare-common')).toContainText(
    `1 link above ${model} v2, it is ${model} v1`,
  );

  // The full lists of the centre, v2: what it came from, and that nothing came from it.
  const ancestors = page.getByTestId('lineage-ancestors');
  await expect(ancestors).toContainText('1 link up');
  await expect(ancestors.locator('li')).toHaveCount(2);
  await expect(page.getByTestId('lineage-descendants')).toContainText('Nothing recorded came');
  await ancestors.getByRole('link', { name: `${model} v1` }).click();
  await page.waitForURL(/\/models\/lineage-demo\/versions\/1$/);

  await page.goto(`/lineage?v=${encodeURIComponent(v2)}`);
  await expect(page.getByTestId('lineage-graph')).toHaveAttribute('data-drawn', '3');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'PNG' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`lineage-${model}-v2.png`);
  const png = await readFile(await download.path());
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.readUInt32BE(16)).toBeGreaterThan(100);

  // Clicking the dataset (the one green node) centres the explorer on it.
  const dataset = await pointOfColour(page, [0xdc, 0xfc, 0xe7]);
  expect(dataset).not.toBeNull();
  await page.mouse.click(dataset!.x, dataset!.y);
  await expect(page.getByRole('heading', { name: 'Around support-tickets 2024-05' })).toBeVisible();
  expect(new URL(page.url()).searchParams.get('v')).not.toBe(v2);
  await expect(page.getByTestId('lineage-descendants').locator('li')).toHaveText([`${model} v2`]);
});

test('a large family folds into a cluster that expands when clicked', async ({
  page,
}, testInfo) => {
  await start(page);
  const leaves = 230;
  const rows = Array.from({ length: leaves }, (_, i) => `leaf-${i},fine-tuned-from,root,`);
  const csv = ['subject,predicate,object,note', ...rows, ''].join('\r\n');
  await page.goto('/lineage');
  await page.getByLabel('Import triples (JSON or CSV)').setInputFiles({
    name: 'fan.triples.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv),
  });
  await expect(page.getByText(`Triples: ${leaves} links imported.`)).toBeVisible({
    timeout: 30_000,
  });

  // The picker lists the 200 newest models, and root is the oldest: open it by its id.
  await page.goto('/models/root/versions/1');
  const root = (await page.getByTestId('version-id').innerText()).trim();
  await page.goto(`/lineage?v=${encodeURIComponent(root)}`);
  const graph = page.getByTestId('lineage-graph');
  await expect(graph).toHaveAttribute('data-drawn', '200');
  await expect(page.getByTestId('graph-hint')).toContainText('1 dashed cluster: click one');

  await page.getByTestId('graph-hint').scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('lineage-folded.png') });
  // 199 leaves side by side draw too small to aim at; the button does what a click does.
  await page.getByRole('button', { name: /^Expand \+\d+ more below root v1$/ }).click();
  await expect(graph).toHaveAttribute('data-drawn', String(leaves + 1));
  await expect(page.getByTestId('graph-hint')).not.toContainText('cluster');
  await page.getByRole('button', { name: 'Fold clusters again' }).click();
  await expect(graph).toHaveAttribute('data-drawn', '200');
});
