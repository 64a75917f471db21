import { defineConfig, devices } from '@playwright/test';
import { chromiumArgs, findChromium } from './scripts/chromium.mjs';

// Browser tests run against build/, which `npm run test:browser` builds first, served the way
// `npm start` serves it. The port differs from `npm start`'s so both can run at once.
const port = Number(process.env.STEMMA_TEST_PORT ?? 4174);
const baseURL = `http://127.0.0.1:${port}`;
const ci = Boolean(process.env.CI);

export default defineConfig({
  testDir: 'tests/browser',
  reporter: 'list',
  // CI has two cores: one worker per core. Locally the machine is shared with other work.
  workers: ci ? 2 : 1,
  retries: ci ? 1 : 0,
  forbidOnly: ci,
  timeout: 60_000,
  use: {
    baseURL,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath: findChromium(), args: chromiumArgs },
      },
    },
  ],
  webServer: {
    command: 'node scripts/serve.mjs',
    env: { PORT: String(port) },
    url: `${baseURL}/`,
    reuseExistingServer: !ci,
    timeout: 30_000,
  },
});
