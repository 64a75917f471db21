import type { Page } from '@playwright/test';

/**
 * Waits until Stemma's service worker is active and controls `page`, so that what the page
 * fetches from then on goes through it (and is served from its cache when offline).
 */
export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}
