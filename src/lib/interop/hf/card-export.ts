/**
 * Exports a version as a Hugging Face model card, filled from the registry: the metadata
 * tags a card import sets, the metrics, `datasets` from its trained-on links (and the
 * datasets recorded on the version), and `base_model` / `base_model_relation` from the links
 * to the versions it came from.
 *
 * Stemma has relations the Hub lacks: `distilled-from` and `derived-from` parents are
 * written as `base_model` without a relation (the Hub then guesses), and a card states one
 * relation for all its parents, so mixed relations keep the first parent's relation
 * (`merge` whenever a parent is merged from).
 *
 * @example const { fileName, text } = await exportModelCard(registry, version.id);
 */
import type { Registry } from '../../registry/api';
import { RELATION_LABELS, type LineageRelation } from '../../lineage/types';
import { writeModelCard, type CardContent, type CardParent } from './card-write';

const HUB_RELATIONS: Partial<Record<LineageRelation, string>> = {
  'fine-tuned-from': 'finetune',
  'adapter-of': 'adapter',
  'quantized-from': 'quantized',
  'merged-from': 'merge',
};
const MODEL_RELATIONS = new Set<LineageRelation>([
  'fine-tuned-from',
  'adapter-of',
  'quantized-from',
  'merged-from',
  'distilled-from',
  'derived-from',
]);
/** Tags the front matter carries; every other version tag is listed in the body. */
const CARD_TAGS = [
  'hf.id',
  'license',
  'library',
  'pipeline_tag',
  'language',
  'hf.tags',
  'hf.metrics',
];

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function hubRelation(relations: LineageRelation[]): string | null {
  if (relations.includes('merged-from')) return 'merge';
  return relations.length > 0 ? (HUB_RELATIONS[relations[0]] ?? null) : null;
}

/** A file name for the card: `org__name-v3.model-card.md`. */
export function cardFileName(modelName: string, versionNumber: number): string {
  const stem = modelName.replace(/[\\/]+/g, '__').replace(/[^\w.-]+/g, '-');
  return `${stem}-v${versionNumber}.model-card.md`;
}

/** What the card of a version holds, read from the registry. */
export async function cardContent(registry: Registry, versionId: string): Promise<CardContent> {
  const version = await registry.getVersionById(versionId);
  const links = (await registry.lineageEdgesOf(version.id)).filter(
    (edge) => edge.state === 'active' && edge.to === version.id,
  );

  const parents: CardParent[] = [];
  const relations: LineageRelation[] = [];
  const datasets = new Set<string>();
  for (const link of links) {
    if (link.relation === 'trained-on') {
      const dataset = await registry.getLineageEntity(link.from).catch(() => null);
      if (dataset) datasets.add(dataset.name);
      continue;
    }
    if (!MODEL_RELATIONS.has(link.relation)) continue;
    const parent = await registry.getVersionById(link.from).catch(() => null);
    if (!parent) continue;
    const id = parent.tags['hf.id'] ?? parent.modelName;
    if (parents.some((known) => known.id === id)) continue;
    relations.push(link.relation);
    parents.push({
      id,
      label: `${parent.modelName} v${parent.number}`,
      uri: `models:/${parent.modelName}/${parent.number}`,
      relationLabel: RELATION_LABELS[link.relation],
    });
  }
  for (const dataset of version.datasets) {
    if (!dataset.role || dataset.role === 'train') datasets.add(dataset.name);
  }

  const tags = version.tags;
  return {
    id: tags['hf.id'] ?? version.modelName,
    uri: `models:/${version.modelName}/${version.number}`,
    modelName: version.modelName,
    versionNumber: version.number,
    createdAt: version.createdAt,
    license: tags.license ?? null,
    library: tags.library ?? null,
    pipelineTag: tags.pipeline_tag ?? null,
    language: list(tags.language),
    tags: list(tags['hf.tags']),
    metricNames: list(tags['hf.metrics']),
    datasets: [...datasets],
    baseModels: parents.map((parent) => parent.id),
    baseModelRelation: hubRelation(relations),
    parents,
    metrics: version.metrics,
    description: version.description,
    otherTags: Object.fromEntries(Object.entries(tags).filter(([key]) => !CARD_TAGS.includes(key))),
    files: version.files.map(({ name, size, sha256 }) => ({ name, size, sha256 })),
  };
}

/** The card of a version as README.md text, with a file name to save it under. */
export async function exportModelCard(
  registry: Registry,
  versionId: string,
): Promise<{ fileName: string; text: string }> {
  const content = await cardContent(registry, versionId);
  return {
    fileName: cardFileName(content.modelName, content.versionNumber),
    text: writeModelCard(content),
  };
}
