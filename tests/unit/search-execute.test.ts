import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_STRATEGY,
  searchVersions,
  type SearchStrategy,
} from '../../src/lib/registry/search/execute';
import { parseFilter } from '../../src/lib/registry/search/parse';
import type { SortField } from '../../src/lib/registry/types';
import { indexValue } from '../../src/lib/store/index-value';
import type { VersionRow, WorkspaceDb } from '../../src/lib/store/schema';
import {
  BULK_IMPORT_TIME,
  generateRows,
  openWithRows,
  seededRandom,
  versionRow,
} from './search-corpus';

/**
 * Search against a brute-force reading of the same rows: every page of every query, in
 * every sort order, by both search paths, must hold the same ids in the same order as
 * filtering and sorting the whole array in memory by the rules written out below.
 */
type Row = VersionRow;
type Predicate = (row: Row) => boolean;

const lower = (text: string) => text.toLowerCase();
const param = (row: Row, key: string) =>
  row.params[key] === undefined ? undefined : indexValue(row.params[key]);
const numericParam = (row: Row, key: string) => {
  const value = param(row, key);
  return typeof value === 'number' ? value : undefined;
};
const hasTag = (row: Row, key: string) => row.tags[key] !== undefined;
const metric = (row: Row, key: string) => row.metrics[key];
const DAY = 86_400_000;
const JAN_11 = Date.UTC(2026, 0, 11);

const QUERIES: [query: string, expected: Predicate][] = [
  ['', () => true],
  ["name = 'bert-base'", (r) => r.modelName === 'bert-base'],
  ["name LIKE 'bert%'", (r) => r.modelName.startsWith('bert')],
  ["name ILIKE 'BERT%'", (r) => lower(r.modelName).startsWith('bert')],
  ["name ILIKE '%net%'", (r) => lower(r.modelName).includes('net')],
  ["name IN ('gpt2', 'team/llama', 'nope')", (r) => ['gpt2', 'team/llama'].includes(r.modelName)],
  [
    "name NOT IN ('bert-base', 'BERT-base')",
    (r) => !['bert-base', 'BERT-base'].includes(r.modelName),
  ],
  ["name != 'gpt2'", (r) => r.modelName !== 'gpt2'],
  ['version = 1', (r) => r.number === 1],
  ['version >= 5 AND version < 9', (r) => r.number >= 5 && r.number < 9],
  ['version IN (2, 3)', (r) => r.number === 2 || r.number === 3],
  ['version NOT IN (1)', (r) => r.number !== 1],
  ["alias = 'champion'", (r) => r.aliases.includes('champion')],
  ["alias != 'champion'", (r) => !r.aliases.includes('champion')],
  [
    "alias IN ('challenger', 'Canary')",
    (r) => r.aliases.some((a) => a === 'challenger' || a === 'Canary'),
  ],
  ["alias LIKE 'c%'", (r) => r.aliases.some((a) => a.startsWith('c'))],
  ["alias ILIKE 'c%'", (r) => r.aliases.some((a) => lower(a).startsWith('c'))],
  ["tags.team = 'nlp'", (r) => r.tags.team === 'nlp'],
  ["tags.team != 'nlp'", (r) => hasTag(r, 'team') && r.tags.team !== 'nlp'],
  ["tags.team ILIKE 'nlp'", (r) => hasTag(r, 'team') && lower(r.tags.team) === 'nlp'],
  ["tags.team LIKE 's%'", (r) => hasTag(r, 'team') && r.tags.team.startsWith('s')],
  ["tags.team IN ('vision', 'speech')", (r) => ['vision', 'speech'].includes(r.tags.team)],
  ["tags.team NOT IN ('nlp')", (r) => hasTag(r, 'team') && r.tags.team !== 'nlp'],
  ["tags.`my key` = 'it''s'", (r) => r.tags['my key'] === "it's"],
  ['params.lr = 0.001', (r) => param(r, 'lr') === 0.001],
  ['params.lr < 0.005', (r) => (numericParam(r, 'lr') ?? Infinity) < 0.005],
  ["params.lr >= '0.01'", (r) => (numericParam(r, 'lr') ?? -Infinity) >= 0.01],
  ["params.optimizer = 'adam'", (r) => r.params.optimizer === 'adam'],
  ["params.optimizer > 'adam'", (r) => (r.params.optimizer ?? '') > 'adam'],
  ["params.optimizer LIKE 'ada%'", (r) => (r.params.optimizer ?? '').startsWith('ada')],
  [
    "params.dropout != 'none'",
    (r) => param(r, 'dropout') !== undefined && param(r, 'dropout') !== 'none',
  ],
  ['params.dropout < 1', (r) => (numericParam(r, 'dropout') ?? Infinity) < 1],
  ["params.epochs IN (3, '10')", (r) => param(r, 'epochs') === 3 || param(r, 'epochs') === 10],
  ['metrics.acc > 0.5', (r) => metric(r, 'acc') > 0.5],
  ['metrics.acc <= 0.25', (r) => metric(r, 'acc') <= 0.25],
  ['metrics.loss < 0', (r) => metric(r, 'loss') < 0],
  ['metrics.f1 = 0.5', (r) => metric(r, 'f1') === 0.5],
  ['metrics.f1 != 0.5', (r) => metric(r, 'f1') !== undefined && metric(r, 'f1') !== 0.5],
  ['metrics.acc IN (0.1, 0.2, 0.3)', (r) => [0.1, 0.2, 0.3].includes(metric(r, 'acc'))],
  ['metrics.acc NOT IN (0.5)', (r) => metric(r, 'acc') !== undefined && metric(r, 'acc') !== 0.5],
  ["created >= '2026-01-11'", (r) => r.createdAt >= JAN_11],
  ["created = '2026-01-11'", (r) => r.createdAt >= JAN_11 && r.createdAt < JAN_11 + DAY],
  ["created != '2026-01-11'", (r) => r.createdAt < JAN_11 || r.createdAt >= JAN_11 + DAY],
  ["created < '2026-01-05'", (r) => r.createdAt < Date.UTC(2026, 0, 5)],
  [`created > ${BULK_IMPORT_TIME}`, (r) => r.createdAt > BULK_IMPORT_TIME],
  [
    "name LIKE 'bert%' AND metrics.f1 > 0.5 AND tags.team = 'nlp'",
    (r) => r.modelName.startsWith('bert') && metric(r, 'f1') > 0.5 && r.tags.team === 'nlp',
  ],
  [
    "(tags.team = 'nlp' OR tags.team = 'vision') AND metrics.acc > 0.3",
    (r) => ['nlp', 'vision'].includes(r.tags.team) && metric(r, 'acc') > 0.3,
  ],
  [
    "tags.team = 'nlp' OR tags.team = 'vision' AND metrics.acc > 0.3",
    (r) => r.tags.team === 'nlp' || (r.tags.team === 'vision' && metric(r, 'acc') > 0.3),
  ],
  [
    "alias = 'champion' OR metrics.acc > 0.9",
    (r) => r.aliases.includes('champion') || metric(r, 'acc') > 0.9,
  ],
  [
    "(name = 'gpt2' OR version > 20) AND (params.optimizer = 'sgd' OR tags.stage = 'prod')",
    (r) =>
      (r.modelName === 'gpt2' || r.number > 20) &&
      (r.params.optimizer === 'sgd' || r.tags.stage === 'prod'),
  ],
  ["alias != 'x' AND created < '2026-01-15'", (r) => r.createdAt < Date.UTC(2026, 0, 15)],
  [
    "name ILIKE '%e%' OR tags.stage = 'dev'",
    (r) => lower(r.modelName).includes('e') || r.tags.stage === 'dev',
  ],
];

/** The orders, written out: ties by id; versions lacking the metric last, by id. */
function expectedOrder(sort: SortField, direction: 'asc' | 'desc') {
  const sign = direction === 'asc' ? 1 : -1;
  const by = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  return (a: Row, b: Row): number => {
    if (sort.startsWith('metrics.')) {
      const key = sort.slice('metrics.'.length);
      const [left, right] = [a.metrics[key], b.metrics[key]];
      if ((left === undefined) !== (right === undefined)) return left === undefined ? 1 : -1;
      if (left !== undefined && left !== right) return sign * by(left, right);
      return sign * by(a.id, b.id);
    }
    const keys: (keyof Row)[] =
      sort === 'created'
        ? ['createdAt', 'id']
        : sort === 'version'
          ? ['number', 'id']
          : ['nameLower', 'number', 'modelName', 'id'];
    for (const key of keys) {
      const order = by(a[key] as number | string, b[key] as number | string);
      if (order !== 0) return sign * order;
    }
    return 0;
  };
}

const SORTS: SortField[] = ['created', 'name', 'version', 'metrics.acc', 'metrics.loss'];
/**
 * The default strategy answers from memory once its copy is built, and otherwise picks one of
 * the other two for each query; all three must agree.
 */
const STRATEGIES: [string, SearchStrategy][] = [
  ['candidates', { candidateLimit: Infinity, keyFetchLimit: Infinity }],
  ['walk', { candidateLimit: -1, keyFetchLimit: -1 }],
  ['memory', { candidateLimit: -1, keyFetchLimit: -1, memory: 'wait' }],
];
/** The default choice between candidates and walk, without the in-memory copy. */
const STORED: SearchStrategy = { ...DEFAULT_STRATEGY, memory: 'off' };

const ROWS = generateRows(20260131, 300);
let db: WorkspaceDb;

beforeAll(async () => {
  db = await openWithRows(ROWS);
});
afterAll(async () => {
  await db.delete();
});

describe('searchVersions against a brute-force reading of the same rows', () => {
  it('generates a corpus with the awkward cases it is meant to have', () => {
    const bulk = ROWS.filter((row) => row.createdAt === BULK_IMPORT_TIME).length;
    const archived = ROWS.filter((row) => row.archived === 1).length;

    expect(bulk).toBeGreaterThan(30);
    expect(archived).toBeGreaterThan(20);
    expect(new Set(ROWS.map((row) => row.nameLower)).size).toBeLessThan(
      new Set(ROWS.map((row) => row.modelName)).size,
    );
  });

  const cases = QUERIES.map(([query, predicate], index) => ({
    label: query || '(empty query)',
    query,
    predicate,
    index,
  }));

  it.each(cases)('$label', async ({ query, predicate, index }) => {
    const filter = parseFilter(query);
    const choose = seededRandom(1000 + index);
    expect(ROWS.some(predicate), 'the query should match some version').toBe(true);

    for (const [sortIndex, sort] of SORTS.entries()) {
      const direction = index % 2 === sortIndex % 2 ? 'asc' : 'desc';
      const includeArchived = choose() < 0.3;
      const pageSize = [7, 25, 60][Math.floor(choose() * 3)];
      const expected = ROWS.filter((row) => includeArchived || row.archived === 0)
        .filter(predicate)
        .sort(expectedOrder(sort, direction))
        .map((row) => row.id);
      const lastPage = Math.max(0, Math.ceil(expected.length / pageSize) - 1);

      for (const [name, strategy] of STRATEGIES) {
        for (const page of new Set([0, lastPage, lastPage + 1])) {
          const options = { sort, order: direction, page, pageSize, includeArchived } as const;
          const result = await searchVersions(db, filter, options, strategy);
          const context = `${name} ${JSON.stringify(options)}`;
          const start = page * pageSize;
          if (name === 'memory') expect(result.via, context).toBe('memory');

          expect(
            result.rows.map((row) => row.id),
            context,
          ).toEqual(expected.slice(start, start + pageSize));
          expect(result.hasMore, context).toBe(expected.length > start + pageSize);
          if (result.total !== null) expect(result.total, context).toBe(expected.length);
        }
      }
    }
  });
});

describe('long runs of equal sort keys', () => {
  /**
   * A bulk import: most versions share one creation time, one metric value and one model,
   * so the walk meets runs far longer than its batches, in every sort order.
   */
  const rows = Array.from({ length: 180 }, (_, i) =>
    versionRow({
      id: `run-${((i * 7919) % 180).toString().padStart(3, '0')}`,
      modelName: i % 9 === 0 ? 'Other' : i % 2 === 0 ? 'bulk' : 'BULK',
      number: Math.floor(i / 2) + 1,
      metrics: i % 5 === 0 ? {} : { acc: i % 3 === 0 ? 0.25 : 0.5 },
      tags: { batch: i % 4 === 0 ? 'a' : 'b' },
      archived: i % 11 === 0,
      createdAt: i < 150 ? BULK_IMPORT_TIME : BULK_IMPORT_TIME + i,
    }),
  );
  let bulkDb: WorkspaceDb;

  beforeAll(async () => {
    bulkDb = await openWithRows(rows);
  });
  afterAll(async () => {
    await bulkDb.delete();
  });

  const cases = SORTS.flatMap((sort) =>
    (['asc', 'desc'] as const).map((direction) => ({ sort, direction })),
  );

  it.each(cases)('$sort $direction', async ({ sort, direction }) => {
    for (const query of ['', "tags.batch = 'a'"]) {
      const predicate: Predicate = query === '' ? () => true : (r) => r.tags.batch === 'a';
      const expected = rows
        .filter((row) => row.archived === 0 && predicate(row))
        .sort(expectedOrder(sort, direction))
        .map((row) => row.id);

      for (const [name, strategy] of STRATEGIES) {
        for (const page of [0, 1, 2, 9, Math.floor(expected.length / 7)]) {
          const options = { sort, order: direction, page, pageSize: 7 } as const;
          const result = await searchVersions(bulkDb, parseFilter(query), options, strategy);
          const context = `${name} ${query} ${JSON.stringify(options)}`;
          if (name === 'memory') expect(result.via, context).toBe('memory');

          expect(
            result.rows.map((row) => row.id),
            context,
          ).toEqual(expected.slice(page * 7, page * 7 + 7));
          expect(result.hasMore, context).toBe(expected.length > page * 7 + 7);
        }
      }
    }
  });
});

describe('search paths', () => {
  it('counts the total when it reads candidates, and not when it stops a walk early', async () => {
    const champion = parseFilter("alias = 'champion'");
    const narrow = await searchVersions(db, champion, { pageSize: 5 }, STORED);
    const walked = await searchVersions(db, null, { pageSize: 5 }, STORED);

    expect(narrow.total).toBe(
      ROWS.filter((row) => row.archived === 0 && row.aliases.includes('champion')).length,
    );
    expect(walked.total).toBeNull();
    expect(walked.hasMore).toBe(true);
  });

  it('counts the total when a walk reaches the end', async () => {
    const all = ROWS.filter((row) => row.archived === 0).length;
    const result = await searchVersions(db, null, { pageSize: 200, page: 1 }, STORED);

    expect(result.total).toBe(all);
    expect(result.hasMore).toBe(false);
  });

  it('answers from memory with the exact total once the copy is built', async () => {
    const all = ROWS.filter((row) => row.archived === 0).length;
    const memory: SearchStrategy = { ...DEFAULT_STRATEGY, memory: 'wait' };
    const result = await searchVersions(db, null, { pageSize: 5 }, memory);

    expect(result.via).toBe('memory');
    expect(result.total).toBe(all);
    expect(result.hasMore).toBe(true);
  });
});
