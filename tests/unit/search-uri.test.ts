import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidUriError,
  UnknownAliasError,
  UnknownModelError,
  UnknownVersionError,
} from '../../src/lib/registry/errors';
import { resolveModelUri } from '../../src/lib/registry/search/resolve';
import { isModelUri, parseModelUri, type ModelUri } from '../../src/lib/registry/search/uri';
import type { ModelRow, WorkspaceDb } from '../../src/lib/store/schema';
import { openWithRows, versionRow } from './search-corpus';

describe('parseModelUri', () => {
  const valid: [uri: string, parsed: ModelUri][] = [
    ['models:/bert/3', { kind: 'version', model: 'bert', version: 3 }],
    ['models:/bert@champion', { kind: 'alias', model: 'bert', alias: 'champion' }],
    ['models:/team/bert/2', { kind: 'version', model: 'team/bert', version: 2 }],
    ['models:/team/bert@prod', { kind: 'alias', model: 'team/bert', alias: 'prod' }],
    // The last separator decides: names may hold the other one.
    ['models:/a@b/3', { kind: 'version', model: 'a@b', version: 3 }],
    ['models:/a/b@c', { kind: 'alias', model: 'a/b', alias: 'c' }],
    ['  models:/whisper small/1 ', { kind: 'version', model: 'whisper small', version: 1 }],
    ['MODELS:/bert/latest', { kind: 'latest', model: 'bert' }],
    ['models:/bert/Latest', { kind: 'latest', model: 'bert' }],
    ['models:/bert/007', { kind: 'version', model: 'bert', version: 7 }],
  ];

  it.each(valid)('%s', (uri, parsed) => {
    expect(parseModelUri(uri)).toEqual(parsed);
  });

  const invalid = [
    'bert/3',
    'models:bert/3',
    'models:/bert',
    'models:/bert/',
    'models:/bert@',
    'models:/@champion',
    'models:/ /1',
    'models://bert/1',
    'models:/bert/0',
    'models:/bert/-1',
    'models:/bert/1.5',
    'models:/bert/v1',
    'models:/bert/99999999999999999999',
  ];

  it.each(invalid)('refuses %s with the forms it accepts', (uri) => {
    expect(() => parseModelUri(uri)).toThrow(InvalidUriError);
    expect(() => parseModelUri(uri)).toThrow('models:/<name>/<version>');
  });
});

describe('isModelUri', () => {
  it('recognises text meant as a URI, even a malformed one', () => {
    expect(isModelUri('models:/bert/3')).toBe(true);
    expect(isModelUri('  Models:/bert')).toBe(true);
    expect(isModelUri('models:/')).toBe(true);
  });

  it('leaves filters alone, even ones that mention a URI', () => {
    expect(isModelUri("name = 'models:/bert/3'")).toBe(false);
    expect(isModelUri('model:/bert/3')).toBe(false);
    expect(isModelUri('')).toBe(false);
  });
});

describe('resolveModelUri', () => {
  const model = (name: string): ModelRow => ({
    id: `model-${name}`,
    name,
    nameLower: name.toLowerCase(),
    description: '',
    tags: {},
    tkv: [],
    archived: 0,
    createdAt: 0,
    createdBy: 'actor-test',
    updatedAt: 0,
    versionCount: 3,
    latestVersion: 3,
  });
  let db: WorkspaceDb;

  beforeAll(async () => {
    db = await openWithRows([
      versionRow({ id: 'tb-1', modelName: 'team/bert', number: 1 }),
      versionRow({ id: 'tb-2', modelName: 'team/bert', number: 2, aliases: ['champion'] }),
      versionRow({ id: 'tb-3', modelName: 'team/bert', number: 3, archived: true }),
      versionRow({ id: 'old-1', modelName: 'old', number: 1, archived: true }),
    ]);
    await db.models.bulkPut([model('team/bert'), model('old'), model('empty')]);
    await db.aliases.put({
      modelId: 'model-team/bert',
      alias: 'champion',
      versionId: 'tb-2',
      setAt: 0,
      setBy: 'actor-test',
    });
  });
  afterAll(async () => {
    await db.delete();
  });

  it.each([
    ['models:/team/bert/1', 'tb-1'],
    ['models:/team/bert@champion', 'tb-2'],
    // Latest skips archived versions; a pinned number still reaches one.
    ['models:/team/bert/latest', 'tb-2'],
    ['models:/team/bert/3', 'tb-3'],
  ])('%s is version %s', async (uri, id) => {
    expect((await resolveModelUri(db, uri)).id).toBe(id);
  });

  it.each([
    ['models:/nobody/1', UnknownModelError],
    ['models:/Team/Bert/1', UnknownModelError],
    ['models:/team/bert/9', UnknownVersionError],
    ['models:/team/bert@ghost', UnknownAliasError],
    ['models:/old/latest', UnknownVersionError],
    ['models:/empty/latest', UnknownVersionError],
    ['bert/1', InvalidUriError],
  ] as const)('%s fails with %s', async (uri, errorClass) => {
    await expect(resolveModelUri(db, uri)).rejects.toBeInstanceOf(errorClass);
  });
});
