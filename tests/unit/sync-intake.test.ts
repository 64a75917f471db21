/**
 * The pump's intake: keys go out a bounded batch at a time, and a Yjs update only with the
 * batch that takes the last waiting key, so that it is stored with the last events it carried.
 */
import { describe, expect, test } from 'vitest';
import { Intake } from '../../src/lib/sync/intake';

const update = (byte: number) => new Uint8Array([byte]);

describe('sync intake', () => {
  test('hands out keys in batches, and the updates with the batch that empties it', () => {
    const intake = new Intake(2);
    intake.addKeys(['a', 'b', 'c']);
    intake.addUpdate(update(1));
    expect(intake.take()).toEqual({ keys: ['a', 'b'], updates: [] });
    expect(intake.has('c')).toBe(true);
    expect(intake.take()).toEqual({ keys: ['c'], updates: [update(1)] });
    expect(intake.empty).toBe(true);
  });

  test('an update that arrives while keys wait goes out with the last of them', () => {
    const intake = new Intake(2);
    intake.addKeys(['a', 'b', 'c']);
    intake.addUpdate(update(1));
    intake.take();
    intake.addKeys(['d', 'e']);
    intake.addUpdate(update(2));
    expect(intake.take()).toEqual({ keys: ['c', 'd'], updates: [] });
    expect(intake.take()).toEqual({ keys: ['e'], updates: [update(1), update(2)] });
  });

  test('a key that changes again while waiting is taken once', () => {
    const intake = new Intake(10);
    intake.addKeys(['a', 'b']);
    intake.addKeys(['a']);
    expect(intake.take().keys).toEqual(['a', 'b']);
  });

  test('a batch given back is taken again, its updates before later ones', () => {
    const intake = new Intake(2);
    intake.addKeys(['a']);
    intake.addUpdate(update(1));
    const batch = intake.take();
    intake.addKeys(['b']);
    intake.addUpdate(update(2));
    intake.giveBack(batch);
    expect(intake.take()).toEqual({ keys: ['b', 'a'], updates: [update(1), update(2)] });
  });
});
