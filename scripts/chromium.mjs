// Where Chromium lives and how Stemma launches it. Shared by the Playwright config, the icon
// renderer and the benchmark runner, so that all three drive the same browser the same way.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Arguments every Stemma launch passes to Chromium. */
export const chromiumArgs = [
  // CI runs as root, where Chromium refuses to start with its sandbox.
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  // Keep the browser from calling home: tests and benchmarks must not depend on the network.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The GNN's WebGPU backend is behind this flag in headless Chromium.
  '--enable-unsafe-webgpu',
];

const systemCandidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

export class ChromiumNotFoundError extends Error {
  /** @param {string[]} searched */
  constructor(searched) {
    super(
      'No Chromium found for the browser tests and benchmarks. Looked in: ' +
        `${searched.join(', ')}. Install one: on Debian or Ubuntu ` +
        '`sudo apt-get install chromium`; elsewhere `npx playwright install chromium`; ' +
        'or point CHROMIUM_PATH at an existing Chromium or Chrome binary.',
    );
    this.name = 'ChromiumNotFoundError';
  }
}

/**
 * The Chromium executable to launch: `CHROMIUM_PATH` when set, then the system's Chromium or
 * Chrome, then Playwright's own download. Throws ChromiumNotFoundError when there is none.
 *
 * @example
 *   const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
 * @returns {string}
 */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new ChromiumNotFoundError([`CHROMIUM_PATH=${fromEnv} (no such file)`]);
  }

  const candidates = [...systemCandidates, chromium.executablePath()];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new ChromiumNotFoundError(candidates);
  return found;
}
