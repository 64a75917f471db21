/**
 * Imports Hugging Face model cards into the registry.
 *
 * Each card describes version 1 of the model named by its repository id (see
 * `../triples/targets.ts` for why version 1). A new model gets that version with the card's
 * metadata; an existing version has its tags and description brought in line with the card
 * (metrics stay as registered, and the report says so). Metadata lands in version tags:
 * `license`, `library`, `pipeline_tag`, `language`, `hf.tags`, `hf.metrics` and `hf.id`.
 * Datasets become dataset records linked `trained-on`; `base_model` becomes links typed by
 * `base_model_relation` (see `$lib/lineage/hf-card-lineage`). A card that cannot be read is
 * skipped with its file and line; the others still go in, and importing again adds nothing.
 *
 * @example const report = await importModelCards(registry, [{ path: 'org/x/README.md', text }]);
 */
import type { Registry } from '../../registry/api';
import type { ModelVersion, RegisterVersionInput } from '../../registry/types';
import { hfCardsToLineage } from '../../lineage/hf-card-lineage';
import type { LineageEdge } from '../../lineage/types';
import { importLocatedEdges, type LocatedEdge } from '../triples/import-triples';
import { emptyReport, skip, type ImportReport } from '../triples/report';
import { modelNameOf, TargetResolver, targetKey } from '../triples/targets';
import { readModelCard, type HfModelCard } from './card-read';

export interface CardSource {
  /** Where the card was found, relative to the folder chosen; names the model. */
  path: string;
  text: string;
}

/** The version tags a card sets, without empty ones. */
export function cardTags(card: HfModelCard): Record<string, string> {
  const tags: Record<string, string> = { 'hf.id': card.id };
  const put = (key: string, value: string | null) => {
    if (value) tags[key] = value;
  };
  put('license', card.license);
  put('library', card.library);
  put('pipeline_tag', card.pipelineTag);
  put('language', card.language.join(', '));
  put('hf.tags', card.tags.join(', '));
  put('hf.metrics', card.metricNames.join(', '));
  return tags;
}

/** What version 1 holds when a card's model is new. */
export function cardVersionInput(card: HfModelCard): Omit<RegisterVersionInput, 'model'> {
  return {
    description: card.description,
    tags: cardTags(card),
    metrics: card.metrics,
    datasets: card.datasets.map((name) => ({ name, role: 'train', uri: hfDatasetUri(name) })),
  };
}

export function hfDatasetUri(name: string): string {
  return `hf://datasets/${name}`;
}

/** Reads every card; those that cannot be read are reported and left out. */
function readAll(sources: readonly CardSource[], report: ImportReport): HfModelCard[] {
  const cards = new Map<string, HfModelCard>();
  for (const source of sources) {
    try {
      const card = readModelCard(source.text, source.path);
      const earlier = cards.get(card.id);
      if (earlier) {
        report.notes.push(`${source.path} describes ${card.id} again; ${earlier.file} was used.`);
        continue;
      }
      cards.set(card.id, card);
    } catch (error) {
      const line = (error as { line?: number | null }).line ?? null;
      skip(report, source.path, line, error);
    }
  }
  return [...cards.values()];
}

/** Brings an existing version's tags and description in line with its card. */
async function update(
  registry: Registry,
  version: ModelVersion,
  card: HfModelCard,
  report: ImportReport,
): Promise<void> {
  let changed = false;
  for (const [key, value] of Object.entries(cardTags(card))) {
    if (version.tags[key] === value) continue;
    await registry.setTag({ kind: 'version', id: version.id }, key, value);
    changed = true;
  }
  if (card.description && card.description !== version.description) {
    await registry.describe({ kind: 'version', id: version.id }, card.description);
    changed = true;
  }
  if (changed) report.updated += 1;
  const differs = Object.entries(card.metrics).some(
    ([key, value]) => version.metrics[key] !== value,
  );
  if (differs) {
    report.notes.push(
      `${card.file}: ${version.modelName} v${version.number} keeps the metrics it was ` +
        `registered with; register a new version to record the card's values.`,
    );
  }
}

/** The lineage a card states: base models, and the datasets it was trained on. */
function cardEdges(card: HfModelCard, report: ImportReport): LocatedEdge[] {
  const lineage = hfCardsToLineage([
    { id: card.id, base_model: card.baseModels, base_model_relation: card.baseModelRelation },
  ]);
  for (const { message } of lineage.skipped) report.notes.push(`${card.file}: ${message}.`);
  const edges: LineageEdge[] = [
    ...lineage.edges,
    ...card.datasets.map((name) => ({
      id: `hf-data:${name}`,
      from: name,
      to: card.id,
      relation: 'trained-on' as const,
    })),
  ];
  // Front matter lines are not kept by the YAML reader; problems point at the card's file.
  return edges.map((edge) => ({ line: 0, edge }));
}

/** Imports cards (text and path each) and returns what was imported, skipped and why. */
export async function importModelCards(
  registry: Registry,
  sources: readonly CardSource[],
): Promise<ImportReport> {
  const report = emptyReport();
  const cards = readAll(sources, report);
  const byName = new Map<string, HfModelCard>();
  for (const card of [...cards]) {
    try {
      byName.set(modelNameOf(card.id), card);
    } catch (error) {
      skip(report, card.file, null, error);
      cards.splice(cards.indexOf(card), 1);
    }
  }

  const resolver = new TargetResolver(registry, report, {
    namesOnly: true,
    newModel: () => ({ tags: { source: 'huggingface' } }),
    newVersion: (name) => {
      const card = byName.get(name);
      return card ? cardVersionInput(card) : { tags: { 'hf.id': name } };
    },
    newDataset: (name) => ({ uri: hfDatasetUri(name) }),
  });
  const own = await resolver.resolve(cards.map((card) => ({ kind: 'version', term: card.id })));
  const existing = cards.filter((card) => !resolver.createdNames.has(modelNameOf(card.id)));
  for (const card of existing) {
    const id = own.get(targetKey('version', card.id));
    if (typeof id !== 'string') continue;
    try {
      await update(registry, await registry.getVersionById(id), card, report);
    } catch (error) {
      skip(report, card.file, null, error);
    }
  }

  for (const card of cards) {
    const answer = own.get(targetKey('version', card.id));
    if (typeof answer !== 'string') {
      skip(report, card.file, null, answer);
      continue;
    }
    const edges = cardEdges(card, report);
    const before = report.skipped.length;
    await importLocatedEdges(registry, edges, card.file, report, { resolver });
    for (const item of report.skipped.slice(before)) item.line = null;
  }
  return report;
}
