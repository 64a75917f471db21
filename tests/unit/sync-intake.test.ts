/** The pump's intake: keys go out a bounded batch at a time, oldest first, each once. */
import { describe, expect, test } from 'vitest';
import { Intake } from '../../src/lib/sync/intake';

describe('sync intake', () => {
  test('hands out keys in batches, oldest first', () => {
    const intake = new Intake(2);
    intake.addKeys(['a', 'b', 'c']);
    expect(intake.size).toBe(3);
    expect(intake.take()).toEqual({ keys: ['a', 'b'] });
    expect(intake.has('c')).toBe(true);
    expect(intake.has('a')).toBe(false);
    intake.addKeys(['d']);
    expect(intake.take()).toEqual({ keys: ['c', 'd'] });
    expect(intake.empty).toBe(true);
  });

  test('a key that changes again while waiting is taken once', () => {
    const intake = new Intake(10);
    intake.addKeys(['a', 'b']);
    intake.addKeys(['a']);
    expect(intake.take().keys).toEqual(['a', 'b']);
  });

  test('a batch given back is taken again', () => {
    const intake = new Intake(2);
    intake.addKeys(['a']);
    const batch = intake.take();
    intake.addKeys(['b']);
    intake.giveBack(batch);
    expect(intake.take()).toEqual({ keys: ['b', 'a'] });
    expect(intake.empty).toBe(true);
  });
});
