import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { waitForServiceWorkerControl } from './support/service-worker';
import { createModel, start } from './registry-steps';

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

/** What the app rendered into its root element (the shell holds only the boot script). */
function rendered(page: Page) {
  return page.locator('body > div > :not(script)').first();
}

/** Width and height from a PNG's IHDR chunk, which always follows the 8-byte signature. */
function pngSize(bytes: Buffer): string {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

async function fetchPng(request: APIRequestContext, path: string): Promise<string> {
  const response = await request.get(path);
  expect(response.status(), path).toBe(200);
  expect(response.headers()['content-type'], path).toBe('image/png');
  return pngSize(await response.body());
}

/** Same-origin requests that fail: offline, each one is an asset the service worker missed. */
function failedRequests(page: Page, origin: string): string[] {
  const failed: string[] = [];
  page.on('requestfailed', (request) => {
    if (request.url().startsWith(origin)) failed.push(request.url());
  });
  return failed;
}

test('the built app loads and renders', async ({ page }) => {
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));

  await page.goto('/');

  await expect(page).toHaveTitle('Stemma');
  await expect(rendered(page)).toBeVisible();
  expect(errors).toEqual([]);
});

test('the web app manifest and every icon it names are served', async ({ page, request }) => {
  await page.goto('/');
  const manifestPath = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(manifestPath).toBe('/manifest.webmanifest');

  const response = await request.get(manifestPath!);
  expect(response.headers()['content-type']).toMatch(/^application\/manifest\+json/);
  const manifest = await response.json();
  expect(manifest).toMatchObject({
    name: 'Stemma',
    start_url: '/',
    display: 'standalone',
    theme_color: '#1f4e5f',
  });

  const pngs = (manifest.icons as ManifestIcon[]).filter((icon) => icon.type === 'image/png');
  for (const icon of pngs) expect(await fetchPng(request, icon.src)).toBe(icon.sizes);
  expect(pngs.map((icon) => `${icon.sizes} ${icon.purpose}`).sort()).toEqual([
    '192x192 any',
    '512x512 any',
    '512x512 maskable',
  ]);

  const touchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
  expect(await fetchPng(request, touchIcon!)).toBe('180x180');
});

test('Chromium finds the app installable', async ({ page, context }) => {
  await page.goto('/');
  await waitForServiceWorkerControl(page);

  const devtools = await context.newCDPSession(page);
  const { errors } = await devtools.send('Page.getAppManifest');
  expect(errors).toEqual([]);
  const { installabilityErrors } = await devtools.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);
});

test('after one visit the app works offline, on deep links and after a browser restart', async ({
  page,
  profile,
  baseURL,
}) => {
  await page.goto('/');
  await waitForServiceWorkerControl(page);
  await profile.context.setOffline(true);
  const failed = failedRequests(page, baseURL!);

  const reloaded = await page.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  await expect(rendered(page)).toBeVisible();

  const deepLink = await page.goto('/models/anything');
  expect(deepLink?.fromServiceWorker()).toBe(true);
  await expect(rendered(page)).toBeVisible();
  expect(failed).toEqual([]);

  const reopened = await profile.restart();
  await profile.context.setOffline(true);
  const failedAfterRestart = failedRequests(reopened, baseURL!);
  const afterRestart = await reopened.goto('/models/another/versions/3');
  expect(afterRestart?.fromServiceWorker()).toBe(true);
  await expect(rendered(reopened)).toBeVisible();
  expect(failedAfterRestart).toEqual([]);
});

test('the start page opens the workspace early and still lets its schema be upgraded', async ({
  page,
}) => {
  await start(page);
  await createModel(page, 'early-open');
  // This load finds the database: the page's early connection (app.html) holds it for a while.
  await page.goto('/');
  await expect(page.getByTestId('model-list').locator('li')).toHaveCount(1);

  // A newer schema, as the next release of the app would open it, from the same origin.
  const upgrade = await page.evaluate(async () => {
    const name = 'stemma-ws-default';
    const found = (await indexedDB.databases()).find((db) => db.name === name);
    if (!found?.version) return { found: false, blocked: false, opened: false };
    return new Promise<{ found: boolean; blocked: boolean; opened: boolean }>((resolve) => {
      const request = indexedDB.open(name, found.version! + 1);
      let blocked = false;
      request.onblocked = () => (blocked = true);
      request.onsuccess = () => {
        request.result.close();
        resolve({ found: true, blocked, opened: true });
      };
      request.onerror = () => resolve({ found: true, blocked, opened: false });
    });
  });

  expect(upgrade).toEqual({ found: true, blocked: false, opened: true });
});
