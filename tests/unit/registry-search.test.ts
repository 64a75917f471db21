import { expect, test } from 'vitest';
import { FilterSyntaxError, UnknownAliasError } from '../../src/lib/registry/errors';
import { freshRegistry } from './support/registry';

async function registryWithVersions() {
  const registry = await freshRegistry('search');
  await registry.createModel({ name: 'bert-base', tags: { team: 'nlp' } });
  await registry.createModel({ name: 'resnet', tags: { team: 'vision' } });
  await registry.registerVersions([
    { model: 'bert-base', params: { lr: '0.001' }, metrics: { f1: 0.81 } },
    { model: 'bert-base', params: { lr: '0.0005' }, metrics: { f1: 0.92 } },
    { model: 'resnet', params: { lr: '0.1' }, metrics: { top1: 0.76 } },
  ]);
  await registry.setAlias('bert-base', 'champion', 2);
  return registry;
}

test('registered versions are found by the filter grammar through the registry', async () => {
  const registry = await registryWithVersions();
  const names = async (query: string) =>
    (await registry.search({ query, sort: 'version', order: 'asc' })).versions.map(
      (v) => `${v.modelName}/${v.number}`,
    );
  expect(await names("name LIKE 'bert%' AND metrics.f1 > 0.9")).toEqual(['bert-base/2']);
  expect(await names("tags.team = 'vision' OR alias = 'champion'")).toEqual([
    'resnet/1',
    'bert-base/2',
  ]);
  expect(await names('params.lr < 0.01 AND (version = 1 OR version = 2)')).toEqual([
    'bert-base/1',
    'bert-base/2',
  ]);
  expect(await names('')).toHaveLength(3);
});

test('a bad query points at the position of the problem', async () => {
  const registry = await registryWithVersions();
  const failure = await registry.search({ query: "name = 'x' AND" }).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(FilterSyntaxError);
  expect((failure as FilterSyntaxError).position).toBe(14);
});

test('model URIs resolve by version and by alias, in search and in the API', async () => {
  const registry = await registryWithVersions();
  expect((await registry.resolveUri('models:/bert-base/1')).params.lr).toBe('0.001');
  expect((await registry.resolveUri('models:/bert-base@champion')).number).toBe(2);
  const page = await registry.search({ query: 'models:/resnet/1' });
  expect(page.versions.map((v) => v.modelName)).toEqual(['resnet']);
  await expect(registry.resolveUri('models:/bert-base@staging')).rejects.toBeInstanceOf(
    UnknownAliasError,
  );
});
