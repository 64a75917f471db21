/**
 * Version rows for the search tests: a builder that fills every field of `VersionRow`
 * consistently (the `[key, value]` index pairs derived from tags, params and metrics, as the
 * projection does), and a seeded generator of a registry full of awkward cases: model names
 * that differ only in case, Greek and accented names, ties in creation time and metric
 * values, archived versions, numeric and textual parameters.
 */
import { indexValue } from '../../src/lib/store/index-value';
import { WorkspaceDb, type IndexPair, type VersionRow } from '../../src/lib/store/schema';

export interface VersionSpec {
  id: string;
  modelName: string;
  number?: number;
  params?: Record<string, string>;
  metrics?: Record<string, number>;
  tags?: Record<string, string>;
  aliases?: string[];
  archived?: boolean;
  createdAt?: number;
}

/** A complete row from the fields a test cares about. */
export function versionRow(spec: VersionSpec): VersionRow {
  const params = spec.params ?? {};
  const metrics = spec.metrics ?? {};
  const tags = spec.tags ?? {};
  const createdAt = spec.createdAt ?? Date.UTC(2026, 0, 1);
  const pairs = <T extends string | number>(record: Record<string, T>, map: (v: T) => T) =>
    Object.entries(record).map(([key, value]): IndexPair => [key, map(value)]);

  return {
    id: spec.id,
    modelId: `model-${spec.modelName}`,
    modelName: spec.modelName,
    nameLower: spec.modelName.toLowerCase(),
    number: spec.number ?? 1,
    requestedNumber: spec.number ?? 1,
    description: `Version ${spec.number ?? 1} of ${spec.modelName}`,
    params,
    metrics,
    tags,
    aliases: spec.aliases ?? [],
    datasets: [],
    code: null,
    files: [],
    archived: spec.archived ? 1 : 0,
    createdAt,
    createdBy: 'actor-test',
    updatedAt: createdAt,
    tkv: pairs(tags, (value) => value),
    pkv: Object.entries(params).map(([key, value]): IndexPair => [key, indexValue(value)]),
    mkv: pairs(metrics, (value) => value),
  };
}

/** A fresh workspace database with a unique name, holding `rows`. */
export async function openWithRows(rows: VersionRow[]): Promise<WorkspaceDb> {
  const db = new WorkspaceDb(`search-test-${Math.random().toString(36).slice(2)}`);
  await db.versions.bulkPut(rows);
  return db;
}

/** Mulberry32: a small seeded generator, so every run sees the same registry. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const MODEL_NAMES = [
  'bert-base',
  'BERT-base',
  'bert_tiny',
  'Bert-Large',
  'resnet50',
  'ResNet101',
  'gpt2',
  'whisper small',
  'team/llama',
  'ΟΔΟΣ',
  'café-net',
  'zeta%model',
];

const DAY = 86_400_000;
export const CORPUS_START = Date.UTC(2026, 0, 1);
/** A bulk import: many versions share this creation time exactly. */
export const BULK_IMPORT_TIME = CORPUS_START + 10 * DAY;

/** A registry of `count` versions over `MODEL_NAMES`, the same for the same seed. */
export function generateRows(seed: number, count: number): VersionRow[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  const numbers = new Map<string, number>();
  const rows: VersionRow[] = [];

  for (let i = 0; i < count; i += 1) {
    // Skew towards the first models, so some models have long runs of versions.
    const modelName = MODEL_NAMES[Math.floor(random() ** 2 * MODEL_NAMES.length)];
    const number = (numbers.get(modelName) ?? 0) + 1;
    numbers.set(modelName, number);

    const params: Record<string, string> = {};
    if (chance(0.8)) params.lr = pick(['0.001', '1e-3', '0.01', '0.0005', '0.1', '3e-4']);
    if (chance(0.7)) params.optimizer = pick(['adam', 'AdamW', 'sgd', 'adagrad']);
    if (chance(0.5)) params.epochs = pick(['3', '10', '20']);
    if (chance(0.4)) params.dropout = pick(['0.1', 'none', '0.25']);

    const metrics: Record<string, number> = {};
    // Two decimals, so that equal metric values (runs in the `mkv` index) are common.
    if (chance(0.75)) metrics.acc = Math.round(random() * 100) / 100;
    if (chance(0.6)) metrics.f1 = Math.round(random() * 100) / 100;
    if (chance(0.5)) metrics.loss = Math.round(random() * 300) / 100 - 0.5;

    const tags: Record<string, string> = {};
    if (chance(0.7)) tags.team = pick(['nlp', 'vision', 'NLP', 'speech']);
    if (chance(0.4)) tags.stage = pick(['prod', 'dev', 'staging']);
    if (chance(0.2)) tags['my key'] = pick(['x y', "it's"]);

    const aliases: string[] = [];
    if (chance(0.08)) aliases.push('champion');
    if (chance(0.08)) aliases.push(pick(['challenger', 'Canary']));

    const createdAt = chance(0.15)
      ? BULK_IMPORT_TIME
      : CORPUS_START + Math.floor(random() * 30) * DAY + Math.floor(random() * 4) * 3_600_000;

    rows.push(
      versionRow({
        id: `v${Math.floor(random() * 1e9)
          .toString(36)
          .padStart(6, '0')}-${i}`,
        modelName,
        number,
        params,
        metrics,
        tags,
        aliases,
        archived: chance(0.15),
        createdAt,
      }),
    );
  }
  return rows;
}
