import { expect, test } from 'vitest';
import { InvalidEventError } from '../../src/lib/registry/errors';
import { sealEvent, verifyEvent } from '../../src/lib/store/event';
import { loadIdentity } from '../../src/lib/store/identity';
import { uniqueName } from './support/random';

async function signedEvent() {
  const identity = await loadIdentity(uniqueName('identity'));
  const event = await sealEvent(
    {
      hlc: '000001700000000:000000',
      actor: identity.actor,
      type: 'model.created',
      entity: 'm1',
      payload: { name: 'bert', description: '', tags: { team: 'nlp' } },
    },
    identity,
  );
  return { identity, event };
}

test('an event signed here verifies', async () => {
  const { event } = await signedEvent();
  await expect(verifyEvent(event)).resolves.toEqual(event);
});

test('the identity persists: a second load gives the same actor', async () => {
  const name = uniqueName('identity');
  const first = await loadIdentity(name);
  const second = await loadIdentity(name);
  expect(second.actor).toBe(first.actor);
  expect(first.actor).toMatch(/^[A-Za-z0-9_-]{87}$/);
});

test('a tampered payload no longer matches its id', async () => {
  const { event } = await signedEvent();
  const tampered = { ...event, payload: { ...event.payload, name: 'evil' } };
  await expect(verifyEvent(tampered)).rejects.toThrow(/does not match its id/);
});

test('a re-hashed event with a forged signature is rejected', async () => {
  const { event } = await signedEvent();
  const other = await signedEvent();
  const forged = { ...event, sig: other.event.sig };
  await expect(verifyEvent(forged)).rejects.toBeInstanceOf(InvalidEventError);
  await expect(verifyEvent(forged)).rejects.toThrow(/signature does not verify/);
});

test('an event claimed by another actor is rejected', async () => {
  const { event } = await signedEvent();
  const stranger = await signedEvent();
  const claimed = { ...event, actor: stranger.identity.actor };
  await expect(verifyEvent(claimed)).rejects.toThrow(/does not match its id|signature/);
});

test('malformed events are named precisely', async () => {
  const { event } = await signedEvent();
  await expect(verifyEvent({ ...event, type: 'model.exploded' })).rejects.toThrow(/unknown/);
  await expect(verifyEvent({ ...event, hlc: 'yesterday' })).rejects.toThrow(/malformed/);
  await expect(verifyEvent({ ...event, sig: undefined })).rejects.toThrow(/"sig" is missing/);
  await expect(verifyEvent(null)).rejects.toThrow(/not an object/);
});
