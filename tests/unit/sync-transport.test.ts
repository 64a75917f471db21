/** The transport's pure parts: frames under data-channel limits, invite links, presence. */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { seededRandom } from './support/random';
import {
  chunkPeer,
  FRAME_BYTES,
  type PeerLike,
  Reassembler,
  splitMessage,
} from '../../src/lib/sync/chunking';
import { InviteLinkError } from '../../src/lib/sync/errors';
import { inviteLink, newTeamSecrets, parseInvite } from '../../src/lib/sync/invite';
import { Presence } from '../../src/lib/sync/presence';
import { roomName } from '../../src/lib/sync/transport';

describe('frames', () => {
  test('large messages split under the limit and come back whole, parts in any order', () => {
    const rng = seededRandom(7);
    const data = Uint8Array.from({ length: 200_000 }, () => rng.int(256));
    const frames = splitMessage(data, 42);
    expect(frames.length).toBeGreaterThan(10);
    expect(Math.max(...frames.map((frame) => frame.length))).toBeLessThanOrEqual(FRAME_BYTES);
    const reassembler = new Reassembler();
    const shuffled = rng.shuffle(frames);
    const outputs = shuffled.map((frame) => reassembler.accept(frame));
    expect(outputs.slice(0, -1).every((out) => out === null)).toBe(true);
    expect(outputs.at(-1)).toEqual(data);
    expect(reassembler.accept(splitMessage(Uint8Array.of(1, 2, 3), 1)[0])).toEqual(
      Uint8Array.of(1, 2, 3),
    );
  });

  test('a wrapped pair of peers carries a 1 MB Yjs update through 16 KiB frames', () => {
    const received: Uint8Array[] = [];
    const sent: number[] = [];
    // Two ends of a channel: what one sends, the other emits as 'data'.
    const b: PeerLike = {
      send: () => undefined,
      emit: (event, data) => (event === 'data' && received.push(data as Uint8Array), true),
    };
    const a: PeerLike = {
      send: (frame) => (sent.push(frame.length), b.emit('data', frame)),
      emit: () => true,
    };
    chunkPeer(a);
    chunkPeer(b);
    const doc = new Y.Doc();
    doc.getMap('events').set('big', 'x'.repeat(1_000_000));
    const update = Y.encodeStateAsUpdate(doc);
    a.send(update);
    expect(Math.max(...sent)).toBeLessThanOrEqual(FRAME_BYTES);
    expect(received).toHaveLength(1);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, received[0]);
    expect((copy.getMap('events').get('big') as string).length).toBe(1_000_000);
  });
});

describe('invite links', () => {
  test('carry a 128-bit workspace id, the password and the owner in the fragment', async () => {
    const secrets = newTeamSecrets();
    expect(secrets.workspaceId).toMatch(/^[0-9a-f]{32}$/);
    const owner = 'A'.repeat(87);
    const link = inviteLink('https://stemma.example/join', { ...secrets, owner });
    const url = new URL(link);
    expect(url.search).toBe('');
    expect(url.pathname).toBe('/join');
    expect(parseInvite(link)).toEqual({ ...secrets, owner });
    expect(parseInvite(url.hash)).toEqual({ ...secrets, owner });
    expect(newTeamSecrets().workspaceId).not.toBe(secrets.workspaceId);
    // A different password is a different room, so it meets no one.
    expect(await roomName(secrets)).not.toBe(await roomName({ ...secrets, password: 'x' }));
  });

  test('refuse links without the parts, with a message', () => {
    expect(() => parseInvite('https://stemma.example/#ws=abc&key=x')).toThrow(InviteLinkError);
    expect(() => parseInvite('')).toThrow(/workspace id is missing/);
  });
});

describe('presence', () => {
  test('teammates appear with their page, and stay as last seen when they leave', () => {
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    const a = new Presence(docA, { actor: 'actor-a', name: 'Ada' }, '/models');
    const b = new Presence(docB, { actor: 'actor-b', name: 'Bob' }, '/');
    const send = (from: Presence, to: Presence) =>
      applyAwarenessUpdate(
        to.awareness,
        encodeAwarenessUpdate(from.awareness, [from.awareness.clientID]),
        'test',
      );
    b.setPage('/lineage');
    send(b, a);
    send(a, b);
    expect(a.teammates()).toEqual([
      expect.objectContaining({ actor: 'actor-b', name: 'Bob', page: '/lineage', online: true }),
    ]);
    expect(b.teammates()[0]).toMatchObject({ name: 'Ada', page: '/models' });
    b.awareness.setLocalState(null);
    send(b, a);
    expect(a.teammates()[0]).toMatchObject({ actor: 'actor-b', online: false });
    expect(a.teammates()[0].lastSeen).toBeGreaterThan(0);
    a.destroy();
    b.destroy();
  });
});
