import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/lib/registry/errors';
import {
  searchVersions,
  type SearchOptions,
  type SearchStrategy,
} from '../../src/lib/registry/search/execute';
import { parseFilter } from '../../src/lib/registry/search/parse';
import type { WorkspaceDb } from '../../src/lib/store/schema';
import { openWithRows, versionRow } from './search-corpus';

/**
 * What each operator means, on a registry small enough to read: every expectation below is
 * written out by hand. Each query runs through both search paths.
 */
const at = (iso: string) => Date.parse(iso);

const REGISTRY = [
  versionRow({
    id: 'bert-1',
    modelName: 'bert-base',
    number: 1,
    params: { lr: '0.01', optimizer: 'adam' },
    metrics: { acc: 0.91, f1: 0.8 },
    tags: { team: 'nlp' },
    aliases: ['champion'],
    createdAt: at('2026-01-30T10:00:00Z'),
  }),
  versionRow({
    id: 'bert-2',
    modelName: 'bert-base',
    number: 2,
    params: { lr: '1e-2', optimizer: 'AdamW' },
    metrics: { acc: 0.85 },
    tags: { team: 'NLP', stage: 'prod' },
    createdAt: at('2026-01-31T00:00:00Z'),
  }),
  versionRow({
    id: 'bert-3',
    modelName: 'BERT-base',
    number: 1,
    params: { lr: '0.001', optimizer: 'sgd' },
    metrics: { acc: 0.95, f1: 0.9 },
    tags: { team: 'vision' },
    aliases: ['Canary'],
    createdAt: at('2026-01-31T23:59:59.999Z'),
  }),
  versionRow({
    id: 'res-1',
    modelName: 'resnet50',
    number: 1,
    params: { lr: '0.1', dropout: 'none' },
    metrics: { loss: 0.3 },
    createdAt: at('2026-02-01T00:00:00Z'),
  }),
  versionRow({
    id: 'res-2',
    modelName: 'resnet50',
    number: 2,
    params: { lr: '0.1' },
    metrics: { acc: 0.99 },
    tags: { team: 'vision' },
    aliases: ['champion'],
    archived: true,
    createdAt: at('2026-02-02T00:00:00Z'),
  }),
  versionRow({
    id: 'greek',
    modelName: 'ΟΔΟΣ',
    metrics: { acc: 0.5 },
    tags: { 'my key': "it's" },
    createdAt: at('2026-01-01T00:00:00Z'),
  }),
  versionRow({
    id: 'percent',
    modelName: 'zeta%model',
    tags: { team: 'nlp' },
    createdAt: at('2026-01-02T00:00:00Z'),
  }),
  versionRow({
    id: 'underscore',
    modelName: 'zeta_model',
    createdAt: at('2026-01-03T00:00:00Z'),
  }),
];

const ACTIVE = REGISTRY.filter((row) => row.archived === 0).map((row) => row.id);

const STRATEGIES: Record<string, SearchStrategy> = {
  candidates: { candidateLimit: Infinity, keyFetchLimit: Infinity },
  walk: { candidateLimit: -1, keyFetchLimit: -1 },
  memory: { candidateLimit: -1, keyFetchLimit: -1, memory: 'wait' },
};

let db: WorkspaceDb;
beforeAll(async () => {
  db = await openWithRows(REGISTRY);
});
afterAll(async () => {
  await db.delete();
});

async function matchIds(query: string, options: SearchOptions = {}): Promise<string[]> {
  const results = await Promise.all(
    Object.values(STRATEGIES).map((strategy) =>
      searchVersions(db, parseFilter(query), { pageSize: 200, ...options }, strategy),
    ),
  );
  expect(results.map((result) => result.via)).toContain('memory');
  const [first, ...others] = results.map((result) => result.rows.map((row) => row.id));
  for (const other of others) expect(other).toEqual(first);
  return first.sort();
}

describe('search semantics', () => {
  const cases: [query: string, ids: string[]][] = [
    ["tags.team = 'nlp'", ['bert-1', 'percent']],
    ["tags.team ILIKE 'nlp'", ['bert-1', 'bert-2', 'percent']],
    // MLflow-like: != needs the key, so versions without a team tag do not match.
    ["tags.team != 'nlp'", ['bert-2', 'bert-3']],
    ["tags.team NOT IN ('nlp', 'vision')", ['bert-2']],
    ["tags.`my key` = 'it''s'", ['greek']],
    // Numeric-looking parameters compare as numbers, however they were written.
    ['params.lr = 0.01', ['bert-1', 'bert-2']],
    ["params.lr = '0.010'", ['bert-1', 'bert-2']],
    ['params.lr < 0.05', ['bert-1', 'bert-2', 'bert-3']],
    ["params.dropout = 'none'", ['res-1']],
    ['params.dropout < 1', []],
    ["params.lr LIKE '1e%'", ['bert-2']],
    ["params.optimizer ILIKE 'adam%'", ['bert-1', 'bert-2']],
    ["params.optimizer > 'adam'", ['bert-3']],
    ['metrics.acc > 0.9', ['bert-1', 'bert-3']],
    ['metrics.acc >= 0.5 AND metrics.acc <= 0.85', ['bert-2', 'greek']],
    ['metrics.f1 != 0.8', ['bert-3']],
    ['metrics.acc IN (0.5, 0.85)', ['bert-2', 'greek']],
    ["name = 'bert-base'", ['bert-1', 'bert-2']],
    ["name != 'bert-base'", ['bert-3', 'greek', 'percent', 'res-1', 'underscore']],
    ["name LIKE 'BERT%'", ['bert-3']],
    ["name ILIKE 'bert%'", ['bert-1', 'bert-2', 'bert-3']],
    ["name ILIKE '%BASE'", ['bert-1', 'bert-2', 'bert-3']],
    ["name LIKE 'zeta_model'", ['percent', 'underscore']],
    ["name = 'zeta%model'", ['percent']],
    ["name = 'ΟΔΟΣ'", ['greek']],
    ["name ILIKE 'οδ%'", ['greek']],
    ["name IN ('resnet50', 'nothing')", ['res-1']],
    ["alias = 'champion'", ['bert-1']],
    ["alias != 'champion'", ACTIVE.filter((id) => id !== 'bert-1')],
    ["alias IN ('champion', 'Canary')", ['bert-1', 'bert-3']],
    ["alias NOT IN ('champion')", ACTIVE.filter((id) => id !== 'bert-1')],
    ["alias LIKE 'C%'", ['bert-3']],
    ["alias ILIKE 'c%'", ['bert-1', 'bert-3']],
    ['version = 2', ['bert-2']],
    ['version > 1', ['bert-2']],
    // A day means the whole UTC day.
    ["created = '2026-01-31'", ['bert-2', 'bert-3']],
    ["created > '2026-01-31'", ['res-1']],
    ["created <= '2026-01-02'", ['greek', 'percent']],
    [
      "created < '2026-01-31T00:00:00.001Z'",
      ['bert-1', 'bert-2', 'greek', 'percent', 'underscore'],
    ],
    ["(tags.team = 'nlp' OR tags.team = 'vision') AND metrics.acc > 0.9", ['bert-1', 'bert-3']],
    [
      "tags.team = 'nlp' OR tags.team = 'vision' AND metrics.acc > 0.9",
      ['bert-1', 'bert-3', 'percent'],
    ],
  ];

  it.each(cases)('%s', async (query, ids) => {
    expect(await matchIds(query)).toEqual([...ids].sort());
  });

  it('leaves archived versions out unless asked to include them', async () => {
    expect(await matchIds('metrics.acc > 0.9')).toEqual(['bert-1', 'bert-3']);
    expect(await matchIds('metrics.acc > 0.9', { includeArchived: true })).toEqual([
      'bert-1',
      'bert-3',
      'res-2',
    ]);
  });
});

describe('search order', () => {
  const ordered = async (options: SearchOptions) =>
    (await searchVersions(db, null, { pageSize: 200, ...options })).rows.map((row) => row.id);

  it('puts the newest version first by default', async () => {
    expect(await ordered({})).toEqual([
      'res-1',
      'bert-3',
      'bert-2',
      'bert-1',
      'underscore',
      'percent',
      'greek',
    ]);
  });

  it('sorts by model name case-insensitively, then exact name, then version number', async () => {
    expect(await ordered({ sort: 'name' })).toEqual([
      'bert-3',
      'bert-1',
      'bert-2',
      'res-1',
      'percent',
      'underscore',
      'greek',
    ]);
  });

  it('puts versions without the sort metric last in either direction, by id', async () => {
    expect(await ordered({ sort: 'metrics.acc' })).toEqual([
      'bert-3',
      'bert-1',
      'bert-2',
      'greek',
      'underscore',
      'res-1',
      'percent',
    ]);
    expect(await ordered({ sort: 'metrics.acc', order: 'asc' })).toEqual([
      'greek',
      'bert-2',
      'bert-1',
      'bert-3',
      'percent',
      'res-1',
      'underscore',
    ]);
  });
});

describe('search options', () => {
  it.each([
    [{ page: -1 }, 'page'],
    [{ page: 1.5 }, 'page'],
    [{ pageSize: 0 }, 'pageSize'],
    [{ pageSize: 201 }, 'pageSize'],
    [{ sort: 'metrics.' as const }, 'sort'],
    [{ sort: 'size' as 'name' }, 'sort'],
  ])('refuses %o', async (options, field) => {
    const search = searchVersions(db, null, options);

    await expect(search).rejects.toBeInstanceOf(InvalidInputError);
    await expect(search).rejects.toMatchObject({ field });
  });
});
