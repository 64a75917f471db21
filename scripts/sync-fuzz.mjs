#!/usr/bin/env node
/**
 * The long sync convergence run: 1,000 seeds (or SYNC_SEEDS) of the seeded test in
 * tests/unit/sync-convergence.test.ts. `node scripts/sync-fuzz.mjs [seeds] [steps]`.
 */
import { spawnSync } from 'node:child_process';

const seeds = process.argv[2] ?? process.env.SYNC_SEEDS ?? '1000';
const steps = process.argv[3] ?? process.env.SYNC_STEPS ?? '24';
const started = Date.now();
const result = spawnSync(
  'npx',
  ['vitest', 'run', 'tests/unit/sync-convergence.test.ts', '--reporter=dot'],
  {
    stdio: 'inherit',
    env: { ...process.env, SYNC_SEEDS: seeds, SYNC_STEPS: steps },
  },
);
console.log(`${seeds} seeds of ${steps} steps in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(result.status ?? 1);
