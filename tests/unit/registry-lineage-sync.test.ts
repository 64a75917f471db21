/**
 * Lineage between peers and across files: a removal takes away only the adds its author had
 * seen, and a workspace export with lineage imports to the same state hash.
 */
import { describe, expect, test } from 'vitest';
import type { EventRegistry } from '../../src/lib/registry/registry';
import { freshRegistry } from './support/registry';

async function exchange(from: EventRegistry, to: EventRegistry) {
  await to.log.append(await from.log.allEvents());
  const latest = await to.log.latestStamp();
  if (latest) (to as unknown as { clock: { observe(s: string): void } }).clock.observe(latest);
}

async function pair(label: string) {
  const a = await freshRegistry(`${label}-a`);
  const b = await freshRegistry(`${label}-b`);
  await a.createModel({ name: 'whisper' });
  const [v1, v2, v3] = (
    await a.registerVersions([{ model: 'whisper' }, { model: 'whisper' }, { model: 'whisper' }])
  ).map((version) => version.id);
  return { a, b, v1, v2, v3 };
}

describe('lineage between peers', () => {
  test('a removal takes away only the adds its author had seen (OR-set)', async () => {
    const { a, b, v1, v2 } = await pair('orset');
    const edge = await a.addLineageEdge({ from: v1, to: v2, relation: 'fine-tuned-from' });
    await exchange(a, b);

    // b removes and restores the link; a, not having seen that, removes the original add.
    await b.removeLineageEdge(edge.id);
    await b.restoreLineageEdge(edge.id);
    (a as unknown as { clock: { observe(s: string): void } }).clock.observe(
      (await b.log.latestStamp())!,
    );
    await a.removeLineageEdge(edge.id);
    expect(await a.lineageAncestors(v2)).toEqual([]);

    await exchange(b, a);
    await exchange(a, b);
    for (const peer of [a, b]) {
      expect((await peer.lineageAncestors(v2)).map((node) => node.label)).toEqual(['whisper v1']);
    }
    expect(await a.stateHash()).toBe(await b.stateHash());
  });

  test('both peers see, in history, who linked what', async () => {
    const { a, b, v1, v3 } = await pair('history');
    await a.setDisplayName('Ada');
    await a.addLineageEdge({ from: v1, to: v3, relation: 'distilled-from', note: 'teacher' });
    await exchange(a, b);
    const entries = await b.history({ kind: 'version', id: v3 });
    const link = entries.find((entry) => entry.type === 'lineage.edge.added')!;
    expect(link).toMatchObject({
      actorName: 'Ada',
      summary: 'recorded whisper v3 distilled from whisper v1',
      entity: { kind: 'lineage-edge' },
    });
  });
});

describe('workspace files with lineage', () => {
  test('export then import gives the same state hash and the same lineage', async () => {
    const { a, b, v1, v2, v3 } = await pair('file');
    const data = await a.recordDataset({ name: 'librispeech', version: '960h' });
    await a.recordRun({ name: 'ft-run', metrics: { wer: 0.05 } });
    await a.addLineageEdge({ from: data.id, to: v1, relation: 'trained-on' });
    await a.addLineageEdge({ from: v1, to: v2, relation: 'fine-tuned-from' });
    const removed = await a.addLineageEdge({ from: v1, to: v3, relation: 'quantized-from' });
    await a.removeLineageEdge(removed.id);
    await exchange(a, b);
    // Two peers close a loop apart; the file must carry what was dropped, too.
    await a.addLineageEdge({ from: v2, to: v3, relation: 'distilled-from' });
    (b as unknown as { clock: { observe(s: string): void } }).clock.observe(
      (await a.log.latestStamp())!,
    );
    await b.addLineageEdge({ from: v3, to: v1, relation: 'derived-from' });
    await exchange(b, a);
    expect(await a.droppedLineageEdges()).toHaveLength(1);

    const file = await a.exportWorkspace();
    const target = await freshRegistry('file-target');
    const summary = await target.importWorkspace(file);
    expect(summary.stateHash).toBe(await a.stateHash());
    expect(await target.lineageAncestors(v3)).toEqual(await a.lineageAncestors(v3));
    expect(await target.droppedLineageEdges()).toEqual(await a.droppedLineageEdges());
    expect((await target.listLineageEntities()).map((e) => e.label).sort()).toEqual([
      'ft-run',
      'librispeech 960h',
    ]);

    await target.log.rebuildProjections();
    expect(await target.stateHash()).toBe(summary.stateHash);
  });
});
