/**
 * Seeded convergence of the sync layer: random peers, roles, commands, forgeries, partitions,
 * reordering, duplication, late delivery and restarts; at the end every peer holds the same
 * state, equal to a rebuild from its events and to what a fresh reader of the document counts.
 * `SYNC_SEEDS=1000 npx vitest run tests/unit/sync-convergence.test.ts` (or
 * `node scripts/sync-fuzz.mjs`) runs the long version; `SYNC_SEED=17` replays one seed.
 */
import { describe, expect, test } from 'vitest';
import { runSeed } from './support/sync-fuzz';
import type { PeerOptions } from './support/sync-net';

const only = process.env.SYNC_SEED ? [Number(process.env.SYNC_SEED)] : null;
const count = Number(process.env.SYNC_SEEDS ?? 50);
const steps = Number(process.env.SYNC_STEPS ?? 24);
const seeds = only ?? Array.from({ length: count }, (_, index) => index + 1);

/** Every peer holds the same state, equal to a rebuild and to what the document counts. */
async function expectConverged(seed: number, options: PeerOptions = {}) {
  const { states, commands, events } = await runSeed(seed, steps, undefined, options);
  const [first] = states;
  for (const state of states) {
    expect(state.stateHash).toBe(first.stateHash);
    expect(state.rebuiltHash).toBe(state.stateHash);
    expect(state.logIds).toEqual(state.expectedIds);
    expect(state.logIds).toEqual(first.logIds);
    expect(state.refused).toEqual(first.refused);
    expect(state.members).toEqual(first.members);
  }
  expect(events).toBeGreaterThan(0);
  expect(commands.size).toBeGreaterThan(5);
}

describe('sync convergence', () => {
  test.each(seeds)('seed %i: every peer ends in the same state', (seed) => expectConverged(seed));
});

// Rounds of two entries: nearly every round is written while the next one is verified, and
// team events land in one round while the entries they judge wait in the next.
describe('sync convergence, verifying each round ahead of the write before it', () => {
  test.each(seeds.slice(0, 20))('seed %i: every peer ends in the same state', (seed) =>
    expectConverged(seed, { roundEntries: 2 }),
  );
});
