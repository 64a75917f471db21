// Runs before `npm start`, `npm test` and `npm run bench` so that a fresh clone needs no
// separate install step. When node_modules already matches the lock file it does nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const lockFile = `${root}package-lock.json`;
const installedLock = `${root}node_modules/.package-lock.json`;
const manifest = `${root}package.json`;

/** @param {string} path */
const modified = (path) => statSync(path).mtimeMs;

/**
 * Why an install is due, or null when node_modules is current. npm rewrites
 * node_modules/.package-lock.json on every install, so its age says when the last one ran.
 *
 * @returns {string | null}
 */
function installReason() {
  if (!existsSync(`${root}node_modules`)) return 'node_modules is missing';
  if (!existsSync(installedLock)) return 'node_modules was not installed by npm';

  const source = existsSync(lockFile) ? lockFile : manifest;
  if (modified(source) > modified(installedLock)) {
    return `${source.slice(root.length)} changed since the last install`;
  }
  return null;
}

const reason = installReason();
if (reason) {
  const command = existsSync(lockFile) ? ['ci'] : ['install'];
  console.log(`${reason}: running npm ${command.join(' ')} --no-audit --no-fund`);

  // Playwright would try to download its own browsers; Stemma drives a system Chromium
  // (see scripts/chromium.mjs), and the download fails on machines without internet.
  const result = spawnSync('npm', [...command, '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    console.error(
      `npm ${command[0]} failed (exit ${result.status ?? result.signal}). ` +
        'Check the npm output above, then run it yourself in the project folder.',
    );
    process.exit(result.status ?? 1);
  }
}
