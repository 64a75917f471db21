/**
 * Hugging Face interop in the browser: import model cards through the file input (one with
 * broken YAML, named in the summary with its line), see the models and the lineage the cards
 * state, export a version as a model card and read it back; the watched-folder section says
 * what it does (its folder picker needs a user's click, which Playwright cannot give).
 */
import { readFile } from 'node:fs/promises';
import { start } from './registry-steps';
import { expect, test } from './support/fixtures';

const cards = [
  {
    name: 'README.md',
    path: 'cards/google/bert-base/README.md',
    text: '---\nlicense: apache-2.0\nlibrary_name: transformers\npipeline_tag: fill-mask\n---\n',
  },
  {
    name: 'README.md',
    path: 'cards/acme/bert-ner/README.md',
    text: [
      '---',
      'license: mit',
      'pipeline_tag: token-classification',
      'datasets: [conll2003]',
      'base_model: google/bert-base',
      'base_model_relation: finetune',
      'model-index:',
      '  - name: bert-ner',
      '    results:',
      '      - metrics: [{ type: f1, value: 0.91 }]',
      '---',
      'Fine-tuned for NER.',
      '',
    ].join('\n'),
  },
  { name: 'README.md', path: 'cards/acme/broken/README.md', text: '---\ntags: [a, b\nx: 1\n---\n' },
];

test('cards import by file input, show models and lineage, and a version exports as a card', async ({
  page,
}) => {
  await start(page);
  await page.goto('/import');
  // A folder pick gives each file its path below the folder chosen.
  await page.getByTestId('hf-card-files').evaluate((input: HTMLInputElement, files) => {
    const transfer = new DataTransfer();
    for (const { name, path, text } of files) {
      const file = new File([text], name, { type: 'text/markdown' });
      Object.defineProperty(file, 'webkitRelativePath', { value: path });
      transfer.items.add(file);
    }
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, cards);

  const report = page.getByTestId('hf-card-report');
  await expect(report).toContainText('2 models, 2 versions, 1 dataset and 2 links imported');
  await expect(report).toContainText('1 skipped');
  await expect(report).toContainText('acme/broken/README.md');
  await expect(report.locator('td').nth(1)).toHaveText('3');
  await page.screenshot({ path: 'test-results/interop-hf-import.png', fullPage: true });

  await page.goto('/');
  await expect(page.getByTestId('model-list')).toContainText('acme/bert-ner');
  await page.getByTestId('model-list').getByRole('link', { name: 'acme/bert-ner' }).click();
  await page.getByRole('link', { name: 'v1', exact: true }).first().click();
  await expect(page.getByRole('heading', { name: /Version 1/ })).toBeVisible();
  const lineage = page.getByTestId('lineage-edges');
  await expect(lineage).toContainText('google/bert-base v1');
  await expect(lineage).toContainText('conll2003');
  await page.screenshot({ path: 'test-results/interop-hf-version.png', fullPage: true });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export model card' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('acme__bert-ner-v1.model-card.md');
  const card = await readFile(await download.path(), 'utf8');
  expect(card).toContain('base_model: google/bert-base\nbase_model_relation: finetune\n');
  expect(card).toContain('datasets:\n  - conll2003\n');
  expect(card).toContain('Fine-tuned for NER.');

  await page.goto('/import');
  await expect(page.getByRole('button', { name: 'Watch a folder…' })).toBeVisible();
  await page.screenshot({ path: 'test-results/interop-hf-page.png', fullPage: true });
});
