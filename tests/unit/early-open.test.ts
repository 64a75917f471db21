/**
 * The start page (`src/app.html`) opens the workspace's database before any module loads, so
 * it spells the storage key, the default workspace and the database prefix itself. If they
 * drift from the app's, it silently opens the wrong database and the app's cold start loses
 * its head start: keep them equal.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { ACTIVE_KEY, PERSONAL_WORKSPACE } from '$lib/registry/workspaces';
import { WORKSPACE_DB_PREFIX } from '$lib/store/log';

test("the start page's early open names the database the app opens", () => {
  const html = readFileSync(new URL('../../src/app.html', import.meta.url), 'utf8');

  expect(html).toContain(`localStorage.getItem('${ACTIVE_KEY}') || '${PERSONAL_WORKSPACE}'`);
  expect(html).toContain(`indexedDB.open('${WORKSPACE_DB_PREFIX}' + workspace)`);
});
