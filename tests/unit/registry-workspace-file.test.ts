import { expect, test } from 'vitest';
import { ImportFormatError } from '../../src/lib/registry/errors';
import { freshRegistry } from './support/registry';

async function populated() {
  const registry = await freshRegistry('exporter');
  await registry.setDisplayName('Grace');
  const model = await registry.createModel({ name: 'bert', tags: { team: 'nlp' } });
  await registry.registerVersions([
    { model: 'bert', metrics: { f1: [{ value: 0.8, step: 1, timestamp: 5 }] } },
    { model: 'bert', params: { lr: '3e-5' } },
  ]);
  await registry.setAlias('bert', 'champion', 2);
  await registry.setTag({ kind: 'model', id: model.id }, 'stage', 'prod');
  return registry;
}

test('export then import into an empty browser gives the same state hash', async () => {
  const source = await populated();
  const file = await source.exportWorkspace();
  const target = await freshRegistry('importer');
  const summary = await target.importWorkspace(file);
  expect(summary).toMatchObject({ events: 6, added: 6, duplicates: 0 });
  expect(summary.stateHash).toBe(await source.stateHash());
  expect((await target.getModel('bert')).aliases).toEqual({ champion: 2 });

  const again = await target.importWorkspace(file);
  expect(again).toMatchObject({ added: 0, duplicates: 6, stateHash: summary.stateHash });
});

test('a file with one altered event is refused whole and nothing is stored', async () => {
  const source = await populated();
  const text = await (await source.exportWorkspace()).text();
  const tampered = text.replace('"champion"', '"villain"');
  const target = await freshRegistry('importer');
  const hash = await target.stateHash();
  await expect(target.importWorkspace(new Blob([tampered]))).rejects.toThrow(
    /does not match its id \(altered\)\. Nothing was imported/,
  );
  expect(await target.log.db.events.count()).toBe(0);
  expect(await target.stateHash()).toBe(hash);
});

test('files that are not workspace exports get a clear error', async () => {
  const target = await freshRegistry('importer');
  await expect(target.importWorkspace(new Blob(['not json']))).rejects.toThrow(/not valid JSON/);
  await expect(target.importWorkspace(new Blob(['{"format":"x"}']))).rejects.toBeInstanceOf(
    ImportFormatError,
  );
  const future = JSON.stringify({ format: 'stemma-workspace', formatVersion: 9, events: [] });
  await expect(target.importWorkspace(new Blob([future]))).rejects.toThrow(/format version 9/);
});
