/**
 * The registry's insights over a real (fake-IndexedDB) workspace: training in the worker
 * stores the embeddings in Dexie with the graph they were trained on, they survive reopening
 * the workspace, drift past a tenth offers retraining, and the stored embeddings give likely
 * parents (with reasons; accepting one records the link), similar versions and the map.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openEventRegistry } from '../../src/lib/registry';
import { InsightsService } from '../../src/lib/registry/insights-service';
import type { EventRegistry } from '../../src/lib/registry/registry';
import { uniqueName } from './support/random';
import { closeTrainingWorkers, inProcessTrainingWorker } from './support/training-worker';

beforeAll(() => {
  tf.env().set('IS_TEST', true);
});

afterEach(closeTrainingWorkers);

/** Two families: llama (a base and four fine-tunes) and resnet (a base and three). */
async function smallRegistry(registry: EventRegistry) {
  const ids: Record<string, string> = {};
  const families = [
    { family: 'llama', task: 'text-generation', base: 'meta/llama-7b', tunes: 4 },
    { family: 'resnet', task: 'image-classification', base: 'vision/resnet-50', tunes: 3 },
  ];
  for (const { family, task, base, tunes } of families) {
    const names = [base, ...Array.from({ length: tunes }, (_, i) => `${base}-tuned-${i + 1}`)];
    for (const name of names) {
      await registry.createModel({ name, tags: { family, task } });
      const version = await registry.registerVersion({
        model: name,
        params: { architecture: family === 'llama' ? 'LlamaForCausalLM' : 'ResNet' },
      });
      ids[name] = version.id;
    }
    for (const name of names.slice(1)) {
      await registry.addLineageEdge({
        from: ids[base],
        to: ids[name],
        relation: 'fine-tuned-from',
      });
    }
  }
  return ids;
}

describe('registry insights', () => {
  it('stores embeddings with their graph, keeps them when reopened, and sees drift', async () => {
    const workspaceId = uniqueName('ws-insights');
    const identityDb = uniqueName('id-insights');
    const registry = await openEventRegistry({ workspaceId, identityDb });
    const ids = await smallRegistry(registry);
    const insights = new InsightsService(registry.log.db, registry, inProcessTrainingWorker);

    const before = await insights.status();
    expect(before).toMatchObject({ versions: 9, links: 7, embeddings: null, drift: null });
    expect(before.retrainSuggested).toBe(true);
    expect(await insights.map()).toBeNull();

    const epochs: number[] = [];
    const job = await insights.train(
      { epochs: 25, seed: 3 },
      { onEpoch: (r) => epochs.push(r.epoch) },
    );
    const info = await job.result;
    insights.dispose();
    expect(epochs).toHaveLength(25);
    expect(info).toMatchObject({ versions: 9, links: 7, dimension: 32, backend: 'cpu' });
    expect(info.backendReason).toMatch(/^cpu: /);
    expect(info.quality?.queries).toBe(1);
    expect(info.epochs).toHaveLength(25);

    const stored = await registry.log.db.embeddings.toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0].vectors).toBeInstanceOf(Float32Array);
    expect(stored[0].vectors).toHaveLength(9 * 32);
    expect(stored[0].nodeIds.sort()).toEqual(Object.values(ids).sort());
    expect(stored[0].linkKeys).toContain(`${ids['meta/llama-7b']}>${ids['meta/llama-7b-tuned-1']}`);
    registry.close();

    const reopened = await openEventRegistry({ workspaceId, identityDb });
    const after = await reopened.insights.status();
    expect(after.embeddings).toEqual(info);
    expect(after.drift).toMatchObject({ addedVersions: 0, addedLinks: 0, retrain: false });
    expect(after.retrainSuggested).toBe(false);
    const [row] = await reopened.log.db.embeddings.toArray();
    expect([...row.vectors]).toEqual([...stored[0].vectors]);

    // One new version in nine is over a tenth: retraining is offered.
    await reopened.registerVersion({ model: 'meta/llama-7b' });
    const drifted = await reopened.insights.status();
    expect(drifted.drift).toMatchObject({ addedVersions: 1, retrain: true });
    expect(drifted.retrainSuggested).toBe(true);
    const map = (await reopened.insights.map())!;
    expect(map.points).toHaveLength(9);
    expect(map.unplaced).toBe(1);
    expect(map.points.find((p) => p.versionId === ids['vision/resnet-50'])).toMatchObject({
      family: 'resnet',
      task: 'image-classification',
      modelName: 'vision/resnet-50',
    });
    reopened.close();
  });

  it('suggests parents with reasons, records an accepted one, and finds neighbours', async () => {
    const registry = await openEventRegistry({
      workspaceId: uniqueName('ws-parents'),
      identityDb: uniqueName('id-parents'),
    });
    const ids = await smallRegistry(registry);
    await registry.createModel({ name: 'meta/llama-7b-chat', tags: { family: 'llama' } });
    const orphan = await registry.registerVersion({
      model: 'meta/llama-7b-chat',
      params: { architecture: 'LlamaForCausalLM' },
    });
    const insights = new InsightsService(registry.log.db, registry, inProcessTrainingWorker);
    expect((await insights.likelyParents(orphan.id)).state).toBe('untrained');
    await (
      await insights.train({ epochs: 60, seed: 1 })
    ).result;
    insights.dispose();

    const linked = await insights.likelyParents(ids['meta/llama-7b-tuned-2']);
    expect(linked).toEqual({ state: 'has-parents', basis: 'gnn', suggestions: [] });

    const { state, basis, suggestions } = await insights.likelyParents(orphan.id, 3);
    expect(state).toBe('suggested');
    expect(basis).toBe('gnn');
    expect(suggestions).toHaveLength(3);
    expect(suggestions.map((s) => s.versionId)).not.toContain(orphan.id);
    for (const s of suggestions) expect(s.score).toBeGreaterThan(0);
    expect(suggestions[0].score).toBeGreaterThanOrEqual(suggestions[2].score);
    const top = suggestions[0];
    expect(top.modelName).toMatch(/^meta\/llama-7b/);
    expect(top.reasons.map((r) => r.kind)).toContain('shared-family');

    await registry.addLineageEdge({
      from: top.versionId,
      to: orphan.id,
      relation: 'fine-tuned-from',
    });
    expect((await insights.likelyParents(orphan.id)).state).toBe('has-parents');

    const similar = (await insights.similarVersions(ids['vision/resnet-50'], 3))!;
    expect(similar).toHaveLength(3);
    expect(similar.map((s) => s.versionId)).not.toContain(ids['vision/resnet-50']);
    expect(similar.every((s) => s.modelName.startsWith('vision/resnet-50'))).toBe(true);

    // A version newer than the embeddings: ranked by name, and no neighbours yet.
    await registry.createModel({ name: 'vision/resnet-50-pruned' });
    const late = await registry.registerVersion({ model: 'vision/resnet-50-pruned' });
    const byName = await insights.likelyParents(late.id, 2);
    expect(byName.basis).toBe('names');
    expect(byName.suggestions[0].modelName).toBe('vision/resnet-50');
    expect(byName.suggestions[0].reasons.map((r) => r.text)).toEqual([
      'similar name (vision, resnet, 50)',
    ]);
    expect(await insights.similarVersions(late.id)).toBeNull();
    await expect(insights.likelyParents('no-such-version')).rejects.toMatchObject({
      code: 'unknown-version',
    });
    registry.close();
  });
});
