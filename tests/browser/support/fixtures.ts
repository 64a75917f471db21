/**
 * Fixtures for Stemma's browser tests. Import `test` and `expect` from here instead of from
 * `@playwright/test`:
 *
 *   import { expect, test } from './support/fixtures';
 *
 *   test('a registered model survives a browser restart', async ({ page, profile }) => {
 *     await page.goto('/');
 *     // ... register a model ...
 *     const reopened = await profile.restart();
 *     await reopened.goto('/');
 *     // ... expect it to be there ...
 *   });
 *
 * - `page` and `context` belong to a fresh persistent profile per test (see BrowserProfile):
 *   IndexedDB and the service worker persist across reloads, and across `profile.restart()`.
 *   After a restart, use the page it returns (or `profile.page`); the old one is closed.
 * - `openProfile()` starts another, independent profile, for tests with two peers. Every
 *   profile a test opens is closed and deleted after it.
 */
import { test as base } from '@playwright/test';
import { BrowserProfile } from './profile';

export { expect } from '@playwright/test';
export { BrowserProfile } from './profile';

interface ProfileFixtures {
  /** The test's own browser profile; `page` and `context` are its first tab and browser. */
  profile: BrowserProfile;
  /** Opens one more fresh profile: another user's browser. */
  openProfile: () => Promise<BrowserProfile>;
}

export const test = base.extend<ProfileFixtures>({
  openProfile: async ({ launchOptions, headless, baseURL, viewport }, use) => {
    const opened: BrowserProfile[] = [];
    await use(async () => {
      const profile = await BrowserProfile.open({ launchOptions, headless, baseURL, viewport });
      opened.push(profile);
      return profile;
    });
    await Promise.all(opened.map((profile) => profile.dispose()));
  },

  profile: async ({ openProfile }, use) => {
    await use(await openProfile());
  },

  context: async ({ profile }, use) => {
    await use(profile.context);
  },

  page: async ({ profile }, use) => {
    await use(profile.page);
  },
});
