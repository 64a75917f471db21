/**
 * Hugging Face model cards: the YAML front matter of a README.md, which states licence,
 * library, pipeline tag, tags, datasets, metrics and the base model it derives from.
 */
import type { ReaderContext, ReaderOutcome } from './context';
import { MalformedFileError, UnrecognizedFormatError } from './errors';
import { parseYamlDocument } from './yaml-document';
import type { ModelCardMetadata } from './types';

type Yaml = Record<string, unknown>;

function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  return value
    .filter((v): v is string | number => ['string', 'number'].includes(typeof v))
    .map(String);
}

/** Read the front matter at the top of a model card's text. */
export async function readModelCard(text: string, ctx: ReaderContext): Promise<ReaderOutcome> {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\s*(\r?\n|$)/.exec(text);
  if (!match) {
    throw new MalformedFileError('model card', 'its front matter has no closing --- line');
  }
  const document = parseYamlDocument(match[1], 'model card');
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    throw new UnrecognizedFormatError('a Markdown file whose front matter is not a model card');
  }
  const card = document as Yaml;
  const str = (key: string) => (typeof card[key] === 'string' ? (card[key] as string) : null);
  const metadata: ModelCardMetadata = {
    format: 'model-card',
    license: str('license') ?? str('license_name'),
    library: str('library_name'),
    pipelineTag: str('pipeline_tag'),
    tags: list(card.tags),
    datasets: list(card.datasets),
    metrics: list(card.metrics),
    baseModel: list(card.base_model),
    baseModelRelation: str('base_model_relation'),
    language: list(card.language),
    modelIndex: readModelIndex(card['model-index']),
    frontMatterKeys: Object.keys(card),
  };
  if (metadata.baseModel.length > 0 && !metadata.baseModelRelation) {
    ctx.warn('The card names a base model but not how it relates (base_model_relation).');
  }
  return { metadata };
}

function readModelIndex(value: unknown): ModelCardMetadata['modelIndex'] {
  if (!Array.isArray(value) || value.length === 0) return null;
  const first = value[0] as Yaml;
  const results = Array.isArray(first?.results) ? first.results.length : 0;
  return { name: typeof first?.name === 'string' ? first.name : '', results };
}
