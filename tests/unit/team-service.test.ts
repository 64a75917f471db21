/** `registry.team` in Node: sharing, joining from the link, settings checks, pausing. */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { uniqueName } from './support/random';
import { openEventRegistry, prepareJoin, teamWorkspaceId } from '../../src/lib/registry';
import type { EventRegistry } from '../../src/lib/registry/registry';
import { checkSettings } from '../../src/lib/registry/team-service';
import { inviteConnection } from '../../src/lib/registry/workspaces';

const open: EventRegistry[] = [];

async function registry(workspaceId = uniqueName('team-ws')) {
  const opened = await openEventRegistry({ workspaceId, identityDb: uniqueName('team-id') });
  open.push(opened);
  return opened;
}

afterEach(async () => {
  for (const opened of open.splice(0)) {
    await opened.team.stop();
    opened.close();
  }
});

describe('sharing', () => {
  test('an unshared workspace says so and refuses team commands', async () => {
    const owner = await registry();
    await owner.team.resume();
    expect(owner.team.snapshot()).toMatchObject({ ready: true, shared: false, inviteLink: null });
    await expect(owner.team.setRole('x'.repeat(60), 'viewer')).rejects.toThrow(/not shared/);
  });

  test('sharing makes this member the owner and gives a link that opens the same room', async () => {
    const owner = await registry();
    await owner.createModel({ name: 'bert' });
    await owner.team.saveSettings({ signaling: [], iceServers: [], relayUrl: null });
    const link = await owner.team.share('https://stemma.example/join');
    expect(link).toMatch(/^https:\/\/stemma\.example\/join#ws=[0-9a-f]{32}&key=/);
    expect(owner.team.snapshot()).toMatchObject({
      shared: true,
      me: { actor: owner.actor.id, role: 'owner' },
      owner: owner.actor.id,
    });
    // Sharing again hands back the same link: one workspace, one room.
    expect(await owner.team.share('https://stemma.example/join')).toBe(link);

    // A signaling server that is not there: the joiner keeps trying, and nothing breaks.
    globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;
    const { workspace, invite } = await prepareJoin(`${link}&sig=ws://127.0.0.1:9`);
    expect(workspace).toBe(teamWorkspaceId(invite));
    expect(invite.owner).toBe(owner.actor.id);
    // One page holds one member of a room: while the owner is connected from this page, the
    // joiner is refused with a clear error; once the owner stops, the joiner connects.
    const joiner = await registry(workspace);
    await expect(joiner.team.resume()).rejects.toMatchObject({ code: 'room-in-use' });
    await joiner.team.stop();
    joiner.close();
    open.splice(open.indexOf(joiner), 1);
    await owner.team.stop();
    const again = await registry(workspace);
    await again.team.resume();
    const seen = again.team.snapshot();
    expect(seen).toMatchObject({ shared: true, owner: owner.actor.id, me: { role: null } });
    expect(seen.settings.signaling).toEqual(['ws://127.0.0.1:9']);
    // A joiner without a role is stopped before anything is stored.
    await expect(again.createModel({ name: 'sneaky' })).rejects.toThrow(/not a member/);
    expect(await again.listModels({})).toMatchObject({ total: 0 });
  });

  test('pausing is remembered across a restart of the app', async () => {
    const id = uniqueName('team-pause');
    const owner = await registry(id);
    await owner.team.share('https://stemma.example/join');
    await owner.team.setPaused(true);
    expect(owner.team.snapshot()).toMatchObject({ paused: true });
    await owner.team.stop();
    owner.close();
    open.splice(open.indexOf(owner), 1);
    const again = await openEventRegistry({ workspaceId: id, identityDb: uniqueName('team-id') });
    open.push(again);
    await again.team.resume();
    expect(again.team.snapshot()).toMatchObject({ paused: true, shared: true });
  });
});

describe('connection settings', () => {
  test('bad addresses are refused with the entry named', () => {
    const base = { signaling: [], iceServers: [], relayUrl: null };
    expect(() => checkSettings({ ...base, signaling: ['http://x'] })).toThrow(/"http:\/\/x"/);
    expect(() => checkSettings({ ...base, relayUrl: 'relay.example' })).toThrow(/ws:\/\//);
    expect(() => checkSettings({ ...base, iceServers: [{ urls: 'example.org' }] })).toThrow(
      /stun:/,
    );
    expect(checkSettings({ ...base, signaling: [' wss://a.example ', ''] }).signaling).toEqual([
      'wss://a.example',
    ]);
  });

  test('an invite names how to connect; anything not ws(s) is left out', () => {
    const link = 'https://s.example/join#ws=ab&sig=wss://a&sig=javascript:x&relay=ftp://r';
    expect(inviteConnection(link)).toEqual({ signaling: ['wss://a'], relayUrl: null });
    expect(inviteConnection('#relay=ws://127.0.0.1:1').relayUrl).toBe('ws://127.0.0.1:1');
  });
});
