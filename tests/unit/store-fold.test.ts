/**
 * The fold is a pure function of the set of events: any delivery order, any duplication and
 * any batching give the same projections, and a rebuild from the log equals the incremental
 * result. Scenarios are random but seeded, with two peers working apart and meeting.
 */
import { describe, expect, test } from 'vitest';
import { StemmaError } from '../../src/lib/registry/errors';
import type { EventRegistry } from '../../src/lib/registry/registry';
import type { StemmaEvent } from '../../src/lib/store/event';
import { EventLog } from '../../src/lib/store/log';
import { seededRandom, uniqueName } from './support/random';
import { freshRegistry } from './support/registry';

type Random = ReturnType<typeof seededRandom>;
const NAMES = ['bert', 'resnet', 'whisper'];
const ALIASES = ['champion', 'staging'];

async function randomCommand(registry: EventRegistry, random: Random) {
  const models = (await registry.listModels({ includeArchived: true, pageSize: 50 })).models;
  const model = models.length ? random.pick(models) : null;
  const choice = model ? random.int(9) : 0;
  try {
    if (choice === 0) {
      await registry.createModel({
        name: random.pick(NAMES),
        tags: { team: random.pick(['a', 'b']) },
      });
    } else if (choice <= 3) {
      await registry.registerVersion({
        model: model!.name,
        params: { lr: String(random.int(5) / 100) },
        metrics: { acc: [{ value: random.next(), step: random.int(3), timestamp: 1 }] },
        tags: { run: String(random.int(3)) },
      });
    } else {
      const versions = await registry.listVersions(model!.name, { includeArchived: true });
      const version = versions.length ? random.pick(versions) : null;
      if (choice === 4 && version)
        await registry.setAlias(model!.name, random.pick(ALIASES), version.number);
      if (choice === 5) await registry.removeAlias(model!.name, random.pick(ALIASES));
      if (choice === 6)
        await registry.setTag({ kind: 'model', id: model!.id }, 'stage', random.pick(['x', 'y']));
      if (choice === 7 && version) {
        const target = { kind: 'version' as const, id: version.id };
        await (random.next() < 0.5 ? registry.archive(target) : registry.restore(target));
      }
      if (choice === 8)
        await registry.describe({ kind: 'model', id: model!.id }, `d${random.int(9)}`);
    }
  } catch (error) {
    // Refused commands (no alias to remove, archived target) are part of a realistic mix.
    if (!(error instanceof StemmaError)) throw error;
  }
}

async function exchange(from: EventRegistry, to: EventRegistry) {
  await to.log.append(await from.log.allEvents());
  const latest = await to.log.latestStamp();
  if (latest) (to as unknown as { clock: { observe(s: string): void } }).clock.observe(latest);
}

/** Two peers work apart, meet halfway, work apart again; returns every event made. */
async function scenario(seed: number): Promise<StemmaEvent[]> {
  const random = seededRandom(seed);
  const a = await freshRegistry('a');
  const b = await freshRegistry('b');
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 25; i++) await randomCommand(random.next() < 0.5 ? a : b, random);
    await exchange(a, b);
    await exchange(b, a);
  }
  for (let i = 0; i < 15; i++) await randomCommand(random.next() < 0.5 ? a : b, random);
  const events = [...(await a.log.allEvents()), ...(await b.log.allEvents())];
  a.close();
  b.close();
  return events;
}

async function deliver(events: StemmaEvent[], random: Random): Promise<EventLog> {
  const log = new EventLog(uniqueName('fold'));
  let rest = random.shuffle([...events, ...events.filter(() => random.next() < 0.2)]);
  while (rest.length) {
    const size = 1 + random.int(8);
    await log.append(rest.slice(0, size));
    rest = rest.slice(size);
  }
  return log;
}

describe('fold', () => {
  for (const seed of [1, 2, 3]) {
    test(`seed ${seed}: every delivery order and duplication gives one state`, async () => {
      const events = await scenario(seed);
      // The mix must exercise the interesting rules, or the test proves little.
      const types = new Set(events.map((event) => event.type));
      for (const type of ['model.created', 'version.registered', 'alias.set', 'tag.set']) {
        expect(types).toContain(type);
      }
      const random = seededRandom(seed * 7919);
      const hashes = new Set<string>();
      let last: EventLog | null = null;
      for (let trial = 0; trial < 4; trial++) {
        last = await deliver(events, random);
        hashes.add(await last.stateHash());
      }
      expect(hashes.size).toBe(1);

      const incremental = await last!.stateHash();
      await last!.rebuildProjections();
      expect(await last!.stateHash()).toBe(incremental);
      expect(await last!.db.versions.count()).toBeGreaterThan(0);
    });
  }

  test('a late event with an older clock renumbers exactly as in-order delivery would', async () => {
    const a = await freshRegistry('late-a');
    const b = await freshRegistry('late-b');
    await a.createModel({ name: 'asr' });
    await exchange(a, b);
    const fromA = await a.registerVersion({ model: 'asr', description: 'A' });
    const fromB = await b.registerVersion({ model: 'asr', description: 'B' });
    expect(fromA.number).toBe(1);
    expect(fromB.number).toBe(1);

    await exchange(a, b);
    await exchange(b, a);
    const [onA, onB] = [await a.listVersions('asr'), await b.listVersions('asr')];
    expect(onA.map((v) => [v.description, v.number])).toEqual(
      onB.map((v) => [v.description, v.number]),
    );
    expect(onA.map((v) => v.number)).toEqual([1, 2]);
    const renumbered = onA.find((v) => v.number !== v.requestedNumber)!;
    expect(renumbered.requestedNumber).toBe(1);
    expect(await a.stateHash()).toBe(await b.stateHash());
  });
});
