/**
 * What a person does in Stemma, as steps the registry specs share: pick a name, create a
 * model, register a version, search. Each step goes through the page the way a user would.
 */
import type { Download, Page } from '@playwright/test';
import { expect } from './support/fixtures';

export interface VersionForm {
  description?: string;
  params?: Record<string, string>;
  /** A number, or `[step, value]` points for a curve. */
  metrics?: Record<string, number | [number, number][]>;
  tags?: Record<string, string>;
  files?: { name: string; buffer: Buffer }[];
}

/** Opens the app on a fresh profile and answers the first-start prompt. */
export async function start(page: Page, displayName = 'Ada'): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Display name').fill(displayName);
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByTestId('name-prompt')).toBeHidden();
}

export function modelPath(name: string): string {
  return `/models/${encodeURIComponent(name)}`;
}

/** Fills the new-model form; the caller checks what happens after submitting it. */
export async function fillModelForm(
  page: Page,
  name: string,
  options: { description?: string; tags?: Record<string, string> } = {},
): Promise<void> {
  await page.goto('/models/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  if (options.description) await page.getByLabel('Description').fill(options.description);
  for (const [index, [key, value]] of Object.entries(options.tags ?? {}).entries()) {
    if (index > 0) await page.getByRole('button', { name: '+ Add tag' }).click();
    await page.getByLabel(`tag ${index + 1} key`).fill(key);
    await page.getByLabel(`tag ${index + 1} value`).fill(value);
  }
}

export async function createModel(
  page: Page,
  name: string,
  options: { description?: string; tags?: Record<string, string> } = {},
): Promise<void> {
  await fillModelForm(page, name, options);
  await page.getByTestId('create-model').click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

async function fillRows(page: Page, noun: string, record: Record<string, string>, fresh: boolean) {
  for (const [index, [key, value]] of Object.entries(record).entries()) {
    if (index > 0 || fresh) await page.getByRole('button', { name: `+ Add ${noun}` }).click();
    await page.getByLabel(`${noun} ${index + 1} key`).fill(key);
    await page.getByLabel(`${noun} ${index + 1} value`).fill(value);
  }
}

/** Fills the register form of `model` and waits until its files are hashed. */
export async function fillVersionForm(page: Page, model: string, form: VersionForm) {
  await page.goto(`${modelPath(model)}/register`);
  if (form.files?.length) {
    await page.getByTestId('file-input').setInputFiles(
      form.files.map((file) => ({
        name: file.name,
        mimeType: 'application/octet-stream',
        buffer: file.buffer,
      })),
    );
  }
  if (form.description)
    await page.getByLabel('What changed in this version').fill(form.description);
  await fillRows(page, 'parameter', form.params ?? {}, false);
  await fillRows(page, 'tag', form.tags ?? {}, true);

  for (const [index, [key, value]] of Object.entries(form.metrics ?? {}).entries()) {
    const label = `Metric ${index + 1}`;
    if (index > 0) await page.getByRole('button', { name: '+ Add metric' }).click();
    await page.getByLabel(`${label} name`).fill(key);
    if (typeof value === 'number') {
      await page.getByLabel(`${label} value`).fill(String(value));
    } else {
      await page.getByLabel(`${label} kind`).selectOption('curve');
      await page
        .getByLabel(`${label} curve`)
        .fill(value.map((point) => point.join(',')).join('\n'));
    }
  }
  await expect(page.getByTestId('submit-version')).toBeEnabled();
}

/** Registers a version through the form; returns its number, read from the page it opens. */
export async function registerVersion(page: Page, model: string, form: VersionForm) {
  await fillVersionForm(page, model, form);
  await page.getByTestId('submit-version').click();
  await page.waitForURL(/\/versions\/\d+$/);
  return Number(new URL(page.url()).pathname.split('/').pop());
}

/** Types a filter into the search bar and submits it with Enter. */
export async function search(page: Page, query: string): Promise<void> {
  await page.getByTestId('search-input').fill(query);
  await page.getByTestId('search-input').press('Enter');
}

/** The rows of the search results as `model vN`, in the order shown. */
export async function resultRows(page: Page): Promise<string[]> {
  const rows = page.getByTestId('search-results').locator('tbody tr');
  return rows.evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = tr.querySelectorAll('td');
      return `${cells[1].textContent?.trim()} ${cells[2].textContent?.trim().split(/\s/)[0]}`;
    }),
  );
}

/** The workspace's state hash, as Settings shows it. */
export async function stateHash(page: Page): Promise<string> {
  await page.goto('/settings');
  const hash = page.getByTestId('state-hash');
  await expect(hash).toHaveText(/^[0-9a-f]{64}$/);
  return (await hash.textContent())!.trim();
}

/** Exports the workspace from Settings and returns the download. */
export async function exportWorkspace(page: Page): Promise<Download> {
  await page.goto('/settings');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export').click(),
  ]);
  return download;
}
