/**
 * The lineage projection is a function of the set of events: any delivery order, duplication
 * and batching give the same rows, the same dropped edge when two peers close a cycle while
 * apart, a rebuild equals the incremental result, and the rows agree with the reference fold
 * of `$lib/lineage` (`foldEdges`). Scenarios are random but seeded.
 */
import { describe, expect, test } from 'vitest';
import { StemmaError } from '../../src/lib/registry/errors';
import { openWorkspaceLog } from '../../src/lib/registry/lineage-projection';
import type { EventRegistry } from '../../src/lib/registry/registry';
import { compareEdgeEvents, foldEdges, type LineageEdgeEvent } from '../../src/lib/lineage/fold';
import type { LineageRelation } from '../../src/lib/lineage/types';
import { LINEAGE_EDGE_SCOPE, type StemmaEvent } from '../../src/lib/store/event';
import { seededRandom, uniqueName } from './support/random';
import { freshRegistry } from './support/registry';

type Random = ReturnType<typeof seededRandom>;
const MODEL_RELATIONS: LineageRelation[] = ['fine-tuned-from', 'quantized-from', 'merged-from'];

async function exchange(from: EventRegistry, to: EventRegistry) {
  await to.log.append(await from.log.allEvents());
  const latest = await to.log.latestStamp();
  if (latest) (to as unknown as { clock: { observe(s: string): void } }).clock.observe(latest);
}

/** Two peers that share a model with six versions and two datasets. */
async function twoPeers(label: string) {
  const a = await freshRegistry(`${label}-a`);
  const b = await freshRegistry(`${label}-b`);
  await a.createModel({ name: 'bert' });
  const versions = await a.registerVersions(Array.from({ length: 6 }, () => ({ model: 'bert' })));
  const datasets = [
    await a.recordDataset({ name: 'squad', version: '1.1' }),
    await a.recordDataset({ name: 'glue' }),
  ];
  await exchange(a, b);
  return { a, b, versions: versions.map((v) => v.id), datasets: datasets.map((d) => d.id) };
}

async function randomLineageCommand(
  registry: EventRegistry,
  random: Random,
  versions: string[],
  datasets: string[],
) {
  const choice = random.int(10);
  try {
    if (choice < 5) {
      const from = random.pick(versions);
      const to = random.pick(versions);
      await registry.addLineageEdge({ from, to, relation: random.pick(MODEL_RELATIONS) });
    } else if (choice < 6) {
      await registry.addLineageEdge({
        from: random.pick(datasets),
        to: random.pick(versions),
        relation: 'trained-on',
      });
    } else if (choice < 8) {
      const edges = await registry.lineageEdgesOf(random.pick(versions));
      const active = edges.filter((edge) => edge.state === 'active');
      if (active.length) await registry.removeLineageEdge(random.pick(active).id);
    } else if (choice < 9) {
      const edges = await registry.lineageEdgesOf(random.pick(versions));
      const out = edges.filter((edge) => edge.state !== 'active');
      if (out.length) await registry.restoreLineageEdge(random.pick(out).id);
    } else {
      await registry.recordDataset({ id: random.pick(datasets), uri: `s3://d/${random.int(9)}` });
    }
  } catch (error) {
    // Local refusals (a cycle, a duplicate) are part of a realistic mix.
    if (!(error instanceof StemmaError)) throw error;
  }
}

/** Two peers link versions apart, meet, link apart again and meet; returns every event. */
async function scenario(seed: number) {
  const random = seededRandom(seed);
  const { a, b, versions, datasets } = await twoPeers(`s${seed}`);
  // Each peer closes half of a loop v0 -> v1 -> v0 while apart.
  await a.addLineageEdge({ from: versions[0], to: versions[1], relation: 'fine-tuned-from' });
  await b.addLineageEdge({ from: versions[1], to: versions[0], relation: 'adapter-of' });
  for (let round = 0; round < 2; round++) {
    // Enough commands that the edge events clear the floor below with room to spare: which
    // half of a loop wins depends on clock stamps, and so do the refusals after it.
    for (let i = 0; i < 24; i++) {
      await randomLineageCommand(random.next() < 0.5 ? a : b, random, versions, datasets);
    }
    await exchange(a, b);
    await exchange(b, a);
  }
  const events = await a.log.allEvents();
  const peerHashes = [await a.stateHash(), await b.stateHash()];
  const dropped = await a.droppedLineageEdges();
  a.close();
  b.close();
  return { events, peerHashes, dropped };
}

async function deliver(events: StemmaEvent[], random: Random) {
  const { log, lineage } = openWorkspaceLog(uniqueName('lineage-fold'));
  let rest = random.shuffle([...events, ...events.filter(() => random.next() < 0.2)]);
  let replays = 0;
  while (rest.length) {
    const size = 1 + random.int(6);
    const { replayed } = await log.append(rest.slice(0, size));
    if (replayed.includes(LINEAGE_EDGE_SCOPE)) replays++;
    rest = rest.slice(size);
  }
  return { log, lineage, replays };
}

function asEdgeEvents(events: StemmaEvent[]): LineageEdgeEvent[] {
  return events.flatMap((event): LineageEdgeEvent[] => {
    if (event.type === 'lineage.edge.added') {
      const payload = event.payload as StemmaEvent<'lineage.edge.added'>['payload'];
      const edge = { id: event.entity, ...payload, relation: payload.relation as LineageRelation };
      return [{ id: event.id, hlc: event.hlc, op: 'add', edge }];
    }
    if (event.type === 'lineage.edge.removed') {
      const { observed } = event.payload as { observed: string[] };
      return [{ id: event.id, hlc: event.hlc, op: 'remove', edgeId: event.entity, observed }];
    }
    return [];
  });
}

describe('lineage fold', () => {
  for (const seed of [11, 12, 13]) {
    test(`seed ${seed}: every delivery order gives one state, equal to a rebuild`, async () => {
      const { events, peerHashes, dropped } = await scenario(seed);
      const types = new Set(events.map((event) => event.type));
      for (const type of [
        'lineage.edge.added',
        'lineage.edge.removed',
        'lineage.entity.recorded',
      ]) {
        expect(types).toContain(type);
      }
      // The two halves of the loop met: exactly one of them is out, on both peers.
      expect(dropped.some((d) => d.reason === 'cycle')).toBe(true);
      expect(peerHashes[0]).toBe(peerHashes[1]);

      const random = seededRandom(seed * 104729);
      const hashes = new Set<string>([peerHashes[0]]);
      let last: Awaited<ReturnType<typeof deliver>> | null = null;
      for (let trial = 0; trial < 4; trial++) {
        last = await deliver(events, random);
        hashes.add(await last.log.stateHash());
        // Shuffled delivery must have gone both ways: incrementally and by replay.
        expect(last.replays).toBeGreaterThan(0);
      }
      expect(hashes.size).toBe(1);
      expect(events.filter((e) => e.type.startsWith('lineage.edge')).length).toBeGreaterThan(20);

      const { log, lineage } = last!;
      const liveBefore = (await lineage.graph(log.db)).edges().map((edge) => edge.id);
      await log.rebuildProjections();
      expect(await log.stateHash()).toBe(peerHashes[0]);
      const liveAfter = (await lineage.graph(log.db)).edges().map((edge) => edge.id);
      expect(liveAfter.sort()).toEqual(liveBefore.sort());
    });
  }

  test('the rows agree with the reference fold of the lineage core', async () => {
    const { events } = await scenario(21);
    const { log } = await deliver(events, seededRandom(5));
    const reference = foldEdges(asEdgeEvents(events));
    const rows = await log.db.lineageEdges.toArray();

    const active = rows
      .filter((row) => row.state === 'active')
      .map(({ id, from, to, relation, note, weight }) => ({
        id,
        from,
        to,
        relation,
        note,
        weight,
      }));
    const expected = reference.graph.edges().map(({ id, from, to, relation, note, weight }) => ({
      id,
      from,
      to,
      relation,
      note,
      weight,
    }));
    const byId = (x: { id: string }, y: { id: string }) => (x.id < y.id ? -1 : 1);
    expect(active.sort(byId)).toEqual(expected.sort(byId));

    // An edge is out as dropped when its last add is one the reference dropped.
    const lastAdd = new Map<string, string>();
    for (const event of asEdgeEvents(events).sort(compareEdgeEvents)) {
      if (event.op === 'add') lastAdd.set(event.edge.id, event.id);
    }
    const droppedIds = new Set(reference.dropped.map((d) => d.eventId));
    const expectedDropped = [...lastAdd]
      .filter(([edgeId, eventId]) => !reference.graph.edge(edgeId) && droppedIds.has(eventId))
      .map(([edgeId]) => edgeId);
    const droppedRows = rows.filter((row) => row.state === 'dropped').map((row) => row.id);
    expect(droppedRows.sort()).toEqual(expectedDropped.sort());
    // The halves of the loop met, so the reference dropped at least one add.
    expect(reference.dropped.length).toBeGreaterThan(0);
  });

  test('a loop closed by two peers apart loses the same edge in every delivery order', async () => {
    const { a, b, versions } = await twoPeers('loop');
    const [v1, v2, v3] = versions;
    await a.addLineageEdge({ from: v1, to: v2, relation: 'fine-tuned-from' });
    await a.addLineageEdge({ from: v2, to: v3, relation: 'quantized-from' });
    // b has not seen a's links, but its clock has moved past them: its link sorts last.
    (b as unknown as { clock: { observe(s: string): void } }).clock.observe(
      (await a.log.latestStamp())!,
    );
    const late = await b.addLineageEdge({ from: v3, to: v1, relation: 'distilled-from' });
    const shared = await a.log.allEvents();
    const lineageEvents = (await b.log.allEvents()).filter((e) =>
      e.type.startsWith('lineage.edge'),
    );
    const edgeEvents = [
      ...shared.filter((e) => e.type.startsWith('lineage.edge')),
      ...lineageEvents,
    ];
    const base = shared.filter((e) => !e.type.startsWith('lineage.edge'));
    expect(edgeEvents).toHaveLength(3);

    const permutations = (items: StemmaEvent[]): StemmaEvent[][] =>
      items.length <= 1
        ? [items]
        : items.flatMap((item, i) =>
            permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [item, ...p]),
          );
    const outcomes = new Set<string>();
    for (const order of permutations(edgeEvents)) {
      const { log } = openWorkspaceLog(uniqueName('loop'));
      await log.append(base);
      for (const event of order) await log.append([event]);
      const dropped = await log.db.lineageEdges.where('state').equals('dropped').toArray();
      outcomes.add(
        JSON.stringify([dropped.map((row) => [row.id, row.cycle]), await log.stateHash()]),
      );
    }
    expect(outcomes.size).toBe(1);
    const [[[droppedId, cycle]]] = JSON.parse([...outcomes][0]);
    expect(droppedId).toBe(late.id);
    expect(cycle).toEqual([v3, v1, v2, v3]);

    await exchange(b, a);
    const [message] = await a.droppedLineageEdges();
    expect(message.message).toMatch(/"bert v1 distilled from bert v3" was left out/);
    expect(message.message).toMatch(/would loop bert v3 -> bert v1 -> bert v2 -> bert v3\./);
    await exchange(a, b);
    expect(await b.stateHash()).toBe(await a.stateHash());
    expect((await b.lineageEdgesOf(v1)).find((e) => e.id === late.id)?.state).toBe('dropped');
    await expect(b.restoreLineageEdge(late.id)).rejects.toThrow(/bert v3 -> bert v1 -> bert v2/);
  });
});
