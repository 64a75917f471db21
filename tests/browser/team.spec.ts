/**
 * Team sharing between real browsers: separate Chromium profiles (separate IndexedDB and
 * keys, like teammates' machines) meet through y-webrtc's own signaling server, or through a
 * y-websocket relay, both started here on 127.0.0.1.
 */
import type { Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { expect, test, type BrowserProfile } from './support/fixtures';
import { startRelay, startSignaling, type RunningServer } from './support/servers';
import { readFile } from 'node:fs/promises';
import { createModel, modelPath, registerVersion, start } from './registry-steps';
import { sealEvent } from '../../src/lib/store/event';

let signaling: RunningServer;

// Each test drives two or three browsers through thirty-odd steps: 40 to 55 s alone, and past
// the default 60 s beside another worker on two cores. The sync waits inside keep their own
// limits; this is only the whole scenario's.
test.describe.configure({ timeout: 120_000 });

test.beforeEach(async () => {
  signaling = await startSignaling();
});

test.afterEach(async () => {
  await signaling.stop();
});

/** Points the Team page's connection form at one signaling server and/or a relay. */
async function connectVia(page: Page, options: { signaling?: string; relay?: string }) {
  await page.goto('/team');
  await page.getByTestId('signaling').fill(options.signaling ?? '');
  await page.getByTestId('relay').fill(options.relay ?? '');
  await page.getByRole('button', { name: 'Save and reconnect' }).click();
}

/** The owner shares their workspace and reads the invite link off the page. */
async function share(page: Page, via: { signaling?: string; relay?: string }): Promise<string> {
  await start(page, 'Ada');
  await page.goto('/team');
  await page.getByTestId('share').click();
  await expect(page.getByTestId('invite-link')).not.toHaveValue('');
  await connectVia(page, via);
  // The link names how to connect, so the joiner needs no settings of their own.
  await expect(page.getByTestId('invite-link')).toHaveValue(via.relay ? /relay=/ : /sig=/);
  return page.getByTestId('invite-link').inputValue();
}

/** A teammate opens the invite in their own browser and joins. */
async function join(profile: BrowserProfile, link: string, name: string): Promise<Page> {
  const page = profile.page;
  await start(page, name);
  await page.goto(link);
  await page.getByTestId('join').click();
  await expect(page).toHaveURL(/\/team$/);
  await expect(page.getByTestId('connection-state')).toContainText('Connected', {
    timeout: 15_000,
  });
  return page;
}

async function giveRole(owner: Page, name: string, role: 'maintainer' | 'viewer') {
  await owner.goto('/team');
  await owner.getByLabel(`Role of ${name}`).selectOption(role);
  await expect(owner.getByText(`${name} is now a ${role}.`)).toBeVisible();
}

/** The model names on the models page, once it has loaded. */
async function modelNames(page: Page): Promise<string[]> {
  await page.goto('/');
  const list = page.getByTestId('model-list');
  await list.or(page.getByText('No models yet')).first().waitFor();
  return list.locator('h2 a').allInnerTexts();
}

async function expectModel(page: Page, name: string) {
  await expect.poll(() => modelNames(page), { timeout: 15_000 }).toContain(name);
}

test('two browsers join by invite, see each other, merge after working apart', async ({
  page,
  openProfile,
}) => {
  const errors: string[] = [];
  const link = await share(page, { signaling: signaling.url });
  expect(link).toContain('/join#ws=');
  // Over 256 KiB in one event: the first sync message must be cut into frames to arrive.
  await createModel(page, 'big/notes', { description: 'Training notes. '.repeat(40_000) });

  const bo = await join(await openProfile(), link, 'Bo');
  bo.on('pageerror', (error) => errors.push(error.message));

  // The owner sees Bo online, on the team page, and makes them a maintainer.
  await page.goto('/team');
  const boRow = page
    .getByTestId('person')
    .filter({ has: page.locator('.name', { hasText: /^Bo$/ }) });
  await expect(boRow).toContainText('online');
  await expect(boRow).toContainText('/team');
  await giveRole(page, 'Bo', 'maintainer');
  await expectModel(bo, 'big/notes');

  await createModel(bo, 'shared/bert');
  await expectModel(page, 'shared/bert');

  // Bo keeps the bytes of a registered file; Ada fetches them over the peer connection.
  const weights = Buffer.from('weights that only Bo keeps\n'.repeat(40_000));
  await registerVersion(bo, 'shared/bert', {
    files: [{ name: 'model.safetensors', buffer: weights }],
  });
  await page.goto(`${modelPath('shared/bert')}/versions/1`);
  await page.getByTestId('fetch-file').click({ timeout: 15_000 });
  const download = page.getByTestId('download-file');
  await expect(download).toBeVisible({ timeout: 15_000 });
  const [saved] = await Promise.all([page.waitForEvent('download'), download.click()]);
  const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  expect(digest(await readFile(await saved.path()))).toBe(digest(weights));

  // Both pause sync, work apart, and resume: each ends with both changes.
  for (const peer of [page, bo]) {
    await peer.goto('/team');
    await peer.getByTestId('pause-sync').click();
    await expect(peer.getByTestId('connection-state')).toContainText('Not connected');
  }
  await createModel(page, 'apart/ada');
  await createModel(bo, 'apart/bo');
  // Both register "v2" of the same model while apart.
  await registerVersion(page, 'shared/bert', { metrics: { f1: 0.8 } });
  await registerVersion(bo, 'shared/bert', { metrics: { f1: 0.9 } });
  expect(await modelNames(page)).not.toContain('apart/bo');
  for (const peer of [page, bo]) {
    await peer.goto('/team');
    await peer.getByTestId('resume-sync').click();
  }
  await expectModel(page, 'apart/bo');
  await expectModel(bo, 'apart/ada');
  // Every peer numbers them the same way, and says what happened.
  for (const peer of [page, bo]) {
    await peer.goto('/team');
    await expect(peer.getByTestId('conflicts')).toContainText('registered v2', {
      timeout: 15_000,
    });
    await expect(peer.getByTestId('conflicts')).toContainText('so it is v3');
  }

  // A second tab of Bo's browser needs no server to see the same workspace.
  const tab = await bo.context().newPage();
  await tab.goto('/');
  await expect(tab.getByTestId('model-list')).toContainText('apart/ada');
  expect(errors).toEqual([]);
});

test('a wrong password finds no one and raises nothing; a viewer cannot write', async ({
  page,
  openProfile,
}) => {
  const link = await share(page, { signaling: signaling.url });
  await createModel(page, 'team/only');

  const wrong = (await openProfile()).page;
  const errors: string[] = [];
  wrong.on('pageerror', (error) => errors.push(error.message));
  await start(wrong, 'Eve');
  // A cut link says what is wrong with it and joins nothing.
  await wrong.goto('/join#ws=0123abcd&key=x');
  await wrong.getByTestId('join').click();
  await expect(wrong.getByTestId('join-error')).toContainText('shorter than 128 bits');
  await wrong.goto(link.replace(/key=[^&]+/, 'key=not-the-right-password-at-all'));
  await wrong.getByTestId('join').click();
  await expect(wrong.getByTestId('connection-state')).toContainText('Cannot join', {
    timeout: 20_000,
  });
  expect(await modelNames(wrong)).toEqual([]);
  expect(errors).toEqual([]);

  const vi = await join(await openProfile(), link, 'Vi');
  await expect(vi.getByTestId('no-role')).toBeVisible();
  await expectModel(vi, 'team/only');
  await giveRole(page, 'Vi', 'viewer');
  await vi.goto('/models/new');
  await vi.getByLabel('Name', { exact: true }).fill('viewer/attempt');
  await vi.getByTestId('create-model').click();
  await expect(vi.getByText('a viewer cannot make changes')).toBeVisible();
  expect(await modelNames(vi)).not.toContain('viewer/attempt');
});

/** A signing key of someone the workspace never gave a role. */
async function strangerIdentity() {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const raw = await crypto.subtle.exportKey('raw', pair.publicKey);
  return {
    actor: Buffer.from(raw).toString('base64url'),
    displayName: 'Mallory',
    sign: async (message: string) => {
      const bytes = new TextEncoder().encode(message);
      const sig = await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        pair.privateKey,
        bytes,
      );
      return Buffer.from(sig).toString('base64url');
    },
  };
}

/** Joins the relay room as a bare Yjs peer (no Stemma code), as a hostile peer would. */
async function hostilePeer(relay: string, link: string) {
  const params = new URLSearchParams(link.slice(link.indexOf('#') + 1));
  const digest = createHash('sha256')
    .update(`${params.get('ws')}\u0000${params.get('key')}`)
    .digest('hex');
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(relay, `stemma-${digest.slice(0, 40)}`, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  return { doc, events: doc.getMap<Record<string, unknown>>('events'), provider };
}

test('through a relay: peers sync, and forged or stranger events are refused', async ({
  page,
  openProfile,
}) => {
  const relay = await startRelay();
  try {
    const link = await share(page, { relay: relay.url });
    const bo = await join(await openProfile(), link, 'Bo');
    await giveRole(page, 'Bo', 'maintainer');
    await createModel(bo, 'relayed/model');
    await expectModel(page, 'relayed/model');

    const hostile = await hostilePeer(relay.url, link);
    const real = [...hostile.events.values()].find((event) => event.type === 'model.created');
    expect(real).toBeDefined();
    // Same shape and signature, another payload: the id no longer matches the content.
    const forged = {
      ...real,
      payload: { ...(real!.payload as object), name: 'forged/model' },
    };
    // Under a new key: one id in 16 starts with 'f', and the same key would overwrite the real
    // entry, which every peer restores from its own copy (grow-only) rather than refuse.
    const realId = String(real!.id);
    hostile.events.set(`${realId.startsWith('f') ? 'e' : 'f'}${realId.slice(1)}`, forged);
    // Correctly signed, but by a key that holds no role in this workspace.
    const mallory = await strangerIdentity();
    const stranger = await sealEvent(
      {
        hlc: String(real!.hlc),
        actor: mallory.actor,
        type: 'model.created',
        entity: 'f'.repeat(32),
        payload: { ...(real!.payload as object), name: 'stranger/model' },
      } as Parameters<typeof sealEvent>[0],
      mallory,
    );
    hostile.events.set(stranger.id, stranger as unknown as Record<string, unknown>);
    // The hostile peer stays online until the owner has seen both.

    // The page reloads the app: the second entry may come back from the relay, not storage.
    await page.goto('/team');
    await expect(page.getByTestId('refused-count')).toContainText('2 events were refused', {
      timeout: 15_000,
    });
    await expect(page.getByTestId('refused')).toContainText('not a member');
    await expect(page.getByTestId('refused')).toContainText('model.created');
    expect(await modelNames(page)).not.toContain('forged/model');
    expect(await modelNames(page)).not.toContain('stranger/model');
    expect(await modelNames(bo)).not.toContain('stranger/model');
    hostile.provider.destroy();

    await page.goto('/team');
    await page.getByTestId('verify-log').click();
    await expect(page.getByTestId('audit-verdict')).toContainText('events verify');
  } finally {
    await relay.stop();
  }
});
