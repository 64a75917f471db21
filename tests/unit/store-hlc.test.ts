import { expect, test } from 'vitest';
import { HybridClock, hlcTime, parseHlc } from '../../src/lib/store/hlc';

test('stamps increase even when the wall clock stands still or goes back', () => {
  let wall = 1_000;
  const clock = new HybridClock(() => wall);
  const first = clock.now();
  const second = clock.now();
  wall = 500;
  const third = clock.now();
  expect(first < second && second < third).toBe(true);
  expect(hlcTime(third)).toBe(1_000);
});

test('a stamp issued after observing a remote one sorts after it', () => {
  const clock = new HybridClock(() => 10);
  const remote = new HybridClock(() => 99_999).now();
  clock.observe(remote);
  expect(clock.now() > remote).toBe(true);
});

test('malformed stamps are not parsed and do not move the clock', () => {
  const clock = new HybridClock(() => 10);
  clock.observe('not-a-stamp');
  expect(parseHlc('12:3')).toBeNull();
  expect(hlcTime(clock.now())).toBe(10);
});
