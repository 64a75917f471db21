/**
 * A watched mlruns folder in real Chromium. The folder is a real FileSystemDirectoryHandle
 * from the origin-private file system; only the picker dialog, which a test cannot click, is
 * replaced by one that hands that folder back. The first scan imports the store; after MLflow
 * logs another run, a rescan on another page, by the app's own timer, imports only that run.
 */
import { expect, test } from './support/fixtures';
import { start } from './registry-steps';
import { mlflow3Store, RUN_2, runMeta } from '../unit/mlflow-fixtures';

/** Writes `files` under an OPFS folder named `root` and makes the picker return it. */
async function writeOpfs(page: import('@playwright/test').Page, files: Record<string, string>) {
  await page.evaluate(async (entries) => {
    const root = await navigator.storage.getDirectory();
    const mlruns = await root.getDirectoryHandle('mlruns', { create: true });
    for (const [path, content] of Object.entries(entries)) {
      const parts = path.replace(/^mlruns\//, '').split('/');
      let folder = mlruns;
      for (const part of parts.slice(0, -1)) {
        folder = await folder.getDirectoryHandle(part, { create: true });
      }
      const file = await folder.getFileHandle(parts.at(-1)!, { create: true });
      const writable = await file.createWritable();
      await writable.write(content);
      await writable.close();
    }
    (window as unknown as { showDirectoryPicker: () => Promise<unknown> }).showDirectoryPicker =
      () => root.getDirectoryHandle('mlruns');
  }, files);
}

test('a watched mlruns folder is imported, then rescanned on a timer on any page', async ({
  page,
}) => {
  // Five minutes is the app's interval; the test shortens it to see the timer fire.
  await page.addInitScript(() => localStorage.setItem('stemma.rescanMs', '1500'));
  await start(page);
  await page.goto('/import');
  await writeOpfs(page, mlflow3Store());

  await page.getByRole('button', { name: 'Watch a folder…' }).click();
  const last = page.getByTestId('watch-mlflow-last');
  await expect(last).toContainText('1 runs, 3 versions, 6 metric points');
  // Timed rescans that find nothing new keep showing what the last import added.
  await expect(page.getByTestId('watch-mlflow')).toContainText('nothing changed', {
    timeout: 10_000,
  });
  await expect(last).toContainText('1 runs, 3 versions, 6 metric points');
  await page.getByTestId('watched-folders').screenshot({ path: 'test-results/watch-mlruns.png' });

  // MLflow logs a second run; the user is on the models page when the timer fires.
  await page.goto('/');
  await writeOpfs(page, {
    [`mlruns/1/${RUN_2}/meta.yaml`]: runMeta(RUN_2, '1', 'sweep-2'),
    [`mlruns/1/${RUN_2}/metrics/loss`]: '1700000000000 0.3 0\n1700000000100 0.1 1\n',
  });
  await expect(page.getByRole('status').filter({ hasText: 'MLflow: 1 runs' })).toBeVisible({
    timeout: 15_000,
  });
  await page.goto(`/records/mlflow-run-${RUN_2}`);
  await expect(page.getByTestId('record-title')).toContainText('sweep-2');
  await expect(page.getByTestId('metric-chart')).toHaveCount(1);
});
