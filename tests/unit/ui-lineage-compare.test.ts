/**
 * How the lineage compare panel reads two versions, over a registry's real answers: a path
 * reads child first whichever way it was walked, siblings meet at their common ancestor,
 * unrelated versions are called unrelated, and walks group by depth.
 */
import { describe, expect, test } from 'vitest';
import {
  commonAncestorDetail,
  groupByDepth,
  linksText,
  pathSteps,
  relationVerdict,
} from '../../src/lib/ui/lineage-compare';
import { freshRegistry } from './support/registry';

/** bert v1 -> v2 -> v3 and v1 -> v4 (fine-tunes), v2 trained on squad, and an unrelated gpt. */
async function family() {
  const registry = await freshRegistry('compare');
  await registry.createModel({ name: 'bert' });
  await registry.createModel({ name: 'gpt' });
  const versions = await registry.registerVersions(
    [1, 2, 3, 4].map((n) => ({ model: 'bert', description: `v${n}` })),
  );
  const v = Object.fromEntries(versions.map((version) => [version.number, version.id]));
  const [gpt] = await registry.registerVersions([{ model: 'gpt', description: 'alone' }]);
  const squad = await registry.recordDataset({ name: 'squad', version: '2.0' });
  const tune = (from: string, to: string) =>
    registry.addLineageEdge({ from, to, relation: 'fine-tuned-from' });
  await tune(v[1], v[2]);
  await tune(v[2], v[3]);
  await tune(v[1], v[4]);
  await registry.addLineageEdge({ from: squad.id, to: v[2], relation: 'trained-on' });
  return { registry, v, gpt: gpt.id, squad: squad.id };
}

const read = (steps: ReturnType<typeof pathSteps>) =>
  steps.map((step) => `${step.child.label} ${step.relation} ${step.parent.label}`);

describe('lineage compare', () => {
  test('a path reads child first, walked from the ancestor or from the descendant', async () => {
    const { registry, v } = await family();
    const down = await registry.lineagePath(v[1], v[3]);
    const up = await registry.lineagePath(v[3], v[1]);
    expect(down?.direction).toBe('descendant');
    expect(up?.direction).toBe('ancestor');
    expect(read(pathSteps(down!))).toEqual([
      'bert v2 fine-tuned from bert v1',
      'bert v3 fine-tuned from bert v2',
    ]);
    expect(read(pathSteps(up!))).toEqual([
      'bert v3 fine-tuned from bert v2',
      'bert v2 fine-tuned from bert v1',
    ]);
    const common = await registry.lineageCommonAncestors(v[1], v[3]);
    // One side is the other's ancestor, so it is their nearest common ancestor itself.
    expect(common.map((entry) => entry.node.label)).toEqual(['bert v1']);
    expect(commonAncestorDetail(common[0], 'bert v1', 'bert v3')).toBe(
      'it is bert v1, 2 links above bert v3',
    );
    expect(relationVerdict('bert v1', 'bert v3', down, common)).toBe(
      'bert v3 came from bert v1, 2 links down.',
    );
    expect(relationVerdict('bert v3', 'bert v1', up, common)).toBe(
      'bert v3 came from bert v1, 2 links down.',
    );
  });

  test('siblings have no path but meet at their nearest common ancestor', async () => {
    const { registry, v } = await family();
    expect(await registry.lineagePath(v[3], v[4])).toBeNull();
    const common = await registry.lineageCommonAncestors(v[3], v[4]);
    expect(
      common.map((entry) => [entry.node.label, entry.distanceFromA, entry.distanceFromB]),
    ).toEqual([['bert v1', 2, 1]]);
    expect(commonAncestorDetail(common[0], 'bert v3', 'bert v4')).toBe(
      '2 links above bert v3, 1 link above bert v4',
    );
    expect(relationVerdict('bert v3', 'bert v4', null, common)).toBe(
      'Neither came from the other; they meet at bert v1.',
    );
    const diff = await registry.lineageDiff(v[3], v[4]);
    expect(diff.onlyA.map((node) => node.label).sort()).toEqual(['bert v2', 'squad 2.0']);
    expect(diff.onlyB).toEqual([]);
    expect(diff.shared.map((node) => node.label)).toEqual(['bert v1']);
  });

  test('versions that share nothing are called unrelated', async () => {
    const { registry, v, gpt } = await family();
    const path = await registry.lineagePath(v[3], gpt);
    const common = await registry.lineageCommonAncestors(v[3], gpt);
    expect(relationVerdict('bert v3', 'gpt v1', path, common)).toBe(
      'bert v3 and gpt v1 are unrelated: no path joins them and they share no ancestor.',
    );
  });

  test('a full walk groups by depth, nearest first', async () => {
    const { registry, v } = await family();
    const groups = groupByDepth(await registry.lineageAncestors(v[3]));
    expect(
      groups.map((group) => [group.depth, group.nodes.map((node) => node.label).sort()]),
    ).toEqual([
      [1, ['bert v2']],
      [2, ['bert v1', 'squad 2.0']],
    ]);
    expect(groupByDepth([])).toEqual([]);
    expect([linksText(1), linksText(3)]).toEqual(['1 link', '3 links']);
  });
});
