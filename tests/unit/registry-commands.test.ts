import { describe, expect, test } from 'vitest';
import {
  ArchivedError,
  DescriptionTooLargeError,
  DuplicateModelError,
  InvalidInputError,
  QuotaError,
  UnknownModelError,
} from '../../src/lib/registry/errors';
import type { EventRegistry } from '../../src/lib/registry/registry';
import { freshRegistry } from './support/registry';

/** Runs a command that must fail and checks that the log and the state did not move. */
async function expectRefusedWithoutChange(
  registry: EventRegistry,
  command: () => Promise<unknown>,
  error: new (...args: never[]) => Error,
  message: RegExp,
) {
  const before = { events: await registry.log.db.events.count(), hash: await registry.stateHash() };
  const failure = await command().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(failure).toBeInstanceOf(error);
  expect((failure as Error).message).toMatch(message);
  expect(await registry.log.db.events.count()).toBe(before.events);
  expect(await registry.stateHash()).toBe(before.hash);
}

describe('registering models and versions', () => {
  test('versions are numbered 1, 2, 3 per model and keep what was registered', async () => {
    const registry = await freshRegistry();
    const model = await registry.createModel({
      name: 'fraud-detector',
      description: '# Fraud\nGradient boosting.',
      tags: { team: 'risk' },
    });
    expect(model).toMatchObject({ name: 'fraud-detector', versionCount: 0, archived: false });

    const first = await registry.registerVersion({
      model: 'fraud-detector',
      params: { lr: 0.01, depth: 6, optimizer: 'adam' },
      metrics: {
        auc: [
          { value: 0.81, step: 1, timestamp: 10 },
          { value: 0.86, step: 2, timestamp: 20 },
        ],
        f1: 0.7,
      },
      datasets: [{ name: 'transactions', version: '2026-11', role: 'train' }],
      code: { repository: 'git@example.org:risk/fraud.git', commit: 'abc123' },
      files: [{ name: 'model.onnx', size: 12, sha256: 'a'.repeat(64) }],
    });
    const second = await registry.registerVersion({ model: model.id, metrics: { auc: 0.9 } });
    const other = await registry.createModel({ name: 'other' });
    const third = await registry.registerVersion({ model: other.name });

    expect([first.number, second.number, third.number]).toEqual([1, 2, 1]);
    expect(first.params).toEqual({ lr: '0.01', depth: '6', optimizer: 'adam' });
    expect(first.metrics).toEqual({ auc: 0.86, f1: 0.7 });
    expect(first.tags).toEqual({});
    expect(await registry.metricHistory(first.id)).toMatchObject({
      auc: [
        { value: 0.81, step: 1 },
        { value: 0.86, step: 2 },
      ],
    });
    expect((await registry.getModel('fraud-detector')).latestVersion).toBe(2);
    expect((await registry.getVersion('fraud-detector', 1)).files[0].name).toBe('model.onnx');
  });

  test('bad input is refused with a named, actionable error and changes nothing', async () => {
    const registry = await freshRegistry();
    await registry.createModel({ name: 'bert' });
    const version = await registry.registerVersion({ model: 'bert' });

    await expectRefusedWithoutChange(
      registry,
      () => registry.createModel({ name: '   ' }),
      InvalidInputError,
      /needs a name/,
    );
    await expectRefusedWithoutChange(
      registry,
      () => registry.createModel({ name: 'bert' }),
      DuplicateModelError,
      /already exists/,
    );
    await expectRefusedWithoutChange(
      registry,
      () => registry.registerVersion({ model: 'nope' }),
      UnknownModelError,
      /no model "nope"/,
    );
    await expectRefusedWithoutChange(
      registry,
      () => registry.describe({ kind: 'model', id: 'bert' }, 'x'.repeat(1_000_001)),
      DescriptionTooLargeError,
      /limit is 1 MB/,
    );
    await expectRefusedWithoutChange(
      registry,
      () => registry.registerVersion({ model: 'bert', metrics: { loss: Number.NaN } }),
      InvalidInputError,
      /not a finite number/,
    );
    await expectRefusedWithoutChange(
      registry,
      () =>
        registry.registerVersion({ model: 'bert', files: [{ name: 'w', size: 1, sha256: 'x' }] }),
      InvalidInputError,
      /no valid SHA-256/,
    );
    await expectRefusedWithoutChange(
      registry,
      () => registry.setAlias('bert', 'v2', 1),
      InvalidInputError,
      /reserved/,
    );

    await registry.archive({ kind: 'version', id: version.id });
    await expectRefusedWithoutChange(
      registry,
      () => registry.setAlias('bert', 'champion', 1),
      ArchivedError,
      /archived, so it cannot hold an alias/,
    );
  });

  test('a batch with one bad version registers none of them', async () => {
    const registry = await freshRegistry();
    await registry.createModel({ name: 'asr' });
    await expect(
      registry.registerVersions([{ model: 'asr' }, { model: 'asr', metrics: { wer: Infinity } }]),
    ).rejects.toBeInstanceOf(InvalidInputError);
    expect(await registry.listVersions('asr')).toEqual([]);
  });
});

describe('aliases, tags, archive', () => {
  test('an alias moves, rolls back and keeps its whole history', async () => {
    const registry = await freshRegistry();
    await registry.setDisplayName('Ada');
    await registry.createModel({ name: 'ranker' });
    await registry.registerVersions([{ model: 'ranker' }, { model: 'ranker' }]);
    await registry.setAlias('ranker', 'champion', 1);
    await registry.setAlias('ranker', '@champion', 2);
    await registry.setAlias('ranker', 'champion', 1);

    const model = await registry.getModel('ranker');
    expect(model.aliases).toEqual({ champion: 1 });
    expect((await registry.getVersion('ranker', 2)).aliases).toEqual([]);
    const moves = await registry.aliasHistory('ranker', 'champion');
    expect(moves.map((move) => move.version)).toEqual([1, 2, 1]);
    expect(moves.every((move) => move.actorName === 'Ada')).toBe(true);

    await registry.removeAlias('ranker', 'champion');
    expect((await registry.getModel('ranker')).aliases).toEqual({});
    expect((await registry.aliasHistory('ranker')).at(-1)).toMatchObject({ version: null });
  });

  test('model tags show through on versions until a version overrides them', async () => {
    const registry = await freshRegistry();
    const model = await registry.createModel({ name: 'vision', tags: { team: 'cv' } });
    const version = await registry.registerVersion({ model: 'vision', tags: { stage: 'dev' } });
    await registry.setTag({ kind: 'model', id: model.id }, 'team', 'perception');
    await registry.setTag({ kind: 'version', id: version.id }, 'stage', 'prod');
    await registry.removeTag({ kind: 'model', id: model.id }, 'team');
    const row = await registry.log.db.versions.get(version.id);
    expect(row!.tags).toEqual({ stage: 'prod' });
    expect(row!.tkv).toEqual([['stage', 'prod']]);
  });

  test('archived things stay readable and come back on restore', async () => {
    const registry = await freshRegistry();
    const model = await registry.createModel({ name: 'old' });
    await registry.registerVersion({ model: 'old' });
    await registry.archive({ kind: 'model', id: model.id });
    expect((await registry.listModels()).models).toEqual([]);
    expect((await registry.listModels({ includeArchived: true })).models).toHaveLength(1);
    await expect(registry.registerVersion({ model: 'old' })).rejects.toBeInstanceOf(ArchivedError);
    await registry.restore({ kind: 'model', id: model.id });
    expect((await registry.getModel('old')).archived).toBe(false);
  });

  test('the model list counts what it shows, archived or not, by prefix or not', async () => {
    const registry = await freshRegistry();
    await registry.createModel({ name: 'nlp-a' });
    await registry.registerVersion({ model: 'nlp-a' });
    await registry.setAlias('nlp-a', 'champion', 1);
    for (const name of ['nlp-b', 'nlp-c', 'cv-a', 'cv-b']) await registry.createModel({ name });
    const archived = await registry.getModel('nlp-b');
    await registry.archive({ kind: 'model', id: archived.id });

    const visible = await registry.listModels({ pageSize: 2 });
    expect(visible).toMatchObject({ total: 4, hasMore: true });
    expect(visible.models.map((m) => m.name)).toEqual(['cv-b', 'cv-a']);
    const last = await registry.listModels({ pageSize: 2, page: 1 });
    expect(last).toMatchObject({ total: 4, hasMore: false });
    expect(last.models.map((m) => m.name)).toEqual(['nlp-c', 'nlp-a']);
    expect(last.models[1]).toMatchObject({ latestVersion: 1, aliases: { champion: 1 } });
    expect(await registry.listModels({ includeArchived: true })).toMatchObject({ total: 5 });
    const nlp = await registry.listModels({ namePrefix: 'NLP' });
    expect(nlp.total).toBe(2);
    expect(nlp.models.map((m) => m.name)).toEqual(['nlp-a', 'nlp-c']);
    expect(await registry.listModels({ namePrefix: 'nlp', includeArchived: true })).toMatchObject({
      total: 3,
    });
  });
});

describe('history and time travel', () => {
  test('history lists every change with its author; asOf shows the past', async () => {
    let now = 1_000_000;
    const registry = await freshRegistry();
    (registry as unknown as { clock: { wallClock: () => number } }).clock.wallClock = () => now;
    await registry.createModel({ name: 'tts', description: 'first' });
    now += 1000;
    await registry.registerVersion({ model: 'tts' });
    const between = now + 500;
    now += 1000;
    await registry.describe({ kind: 'model', id: 'tts' }, 'second');
    await registry.registerVersion({ model: 'tts' });

    const entries = await registry.history({ kind: 'model', id: 'tts' });
    expect(entries.map((entry) => entry.summary)).toEqual([
      'created model tts',
      'registered v1',
      'edited the model description',
      'registered v2',
    ]);
    const recent = await registry.recentHistory(2);
    expect(recent.map((entry) => entry.summary)).toEqual([
      'registered v2',
      'edited the model description',
    ]);
    expect(recent[0].modelId).toBe((await registry.getModel('tts')).id);
    const older = await registry.recentHistory(10, recent[1].hlc);
    expect(older.map((entry) => entry.summary)).toEqual(['registered v1', 'created model tts']);

    const past = await registry.asOf('tts', between);
    expect(past.model?.description).toBe('first');
    expect(past.versions.map((v) => v.number)).toEqual([1]);
    expect((await registry.asOf('tts', 1)).model).toBeNull();
  });
});

describe('storage refusals', () => {
  test('a full disk becomes a QuotaError and leaves the state as it was', async () => {
    const registry = await freshRegistry('quota');
    await registry.createModel({ name: 'big' });
    const before = await registry.stateHash();
    // IndexedDB raises QuotaExceededError from inside the write transaction; the first
    // events write of the next command is made to fail exactly that way.
    const events = registry.log.db.events;
    const original = events.bulkAdd.bind(events);
    events.bulkAdd = (() => {
      events.bulkAdd = original;
      return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    }) as unknown as typeof events.bulkAdd;
    const failure = await registry.registerVersion({ model: 'big' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(QuotaError);
    expect((failure as Error).message).toMatch(/Nothing was saved/);
    expect(await registry.stateHash()).toBe(before);
    expect((await registry.getModel('big')).versionCount).toBe(0);
  });
});
