/**
 * Reads a Hugging Face model card (README.md with YAML front matter) into the fields Stemma
 * imports: licence, library, pipeline tag, tags, languages, datasets, metric names and the
 * metric values of `model-index`, the base models and how the model relates to them, and the
 * Markdown body. YAML errors name the line of the file, not of the front matter.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { normaliseHfModelId } from '../../lineage/hf-card-lineage';
import { InvalidModelCardError, UnnamedModelCardError } from './errors';

export interface HfModelCard {
  /** Where the card came from, for messages. */
  file: string;
  /** The repository id the card describes, e.g. `org/name`. */
  id: string;
  license: string | null;
  library: string | null;
  pipelineTag: string | null;
  tags: string[];
  language: string[];
  datasets: string[];
  /** `metrics:`, the names of the metrics the card reports. */
  metricNames: string[];
  /** Values from `model-index` results, by metric type. */
  metrics: Record<string, number>;
  baseModels: string[];
  baseModelRelation: string | null;
  /** The Markdown body, or the part Stemma marked as the description when it wrote the card. */
  description: string;
}

/** Stemma writes the description between these lines, so a re-import takes only that back. */
export const DESCRIPTION_START = '<!-- stemma:description -->';
export const DESCRIPTION_END = '<!-- /stemma:description -->';

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
/** Alias expansion bounded, as for every YAML Stemma reads, so an alias bomb cannot grow. */
// 'error', not 'silent': the silent level also lets broken YAML through without an error.
const YAML_OPTIONS = { maxAliasCount: 100, uniqueKeys: false, logLevel: 'error' } as const;

type Yaml = Record<string, unknown>;

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list
    .filter((item) => typeof item === 'string' || typeof item === 'number')
    .map((item) => String(item).trim())
    .filter(Boolean);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/**
 * The repository ids a card's path suggests: `folder` from the last two folders of
 * `org/name/README.md` (or the one folder of `name/README.md`), `stem` from a file named
 * `name.md`. A card's own `model-index` name ranks between the two, since a file name is
 * often only a download's name.
 */
export function cardIdFromPath(path: string): { folder: string | null; stem: string | null } {
  const parts = path.split(/[\\/]/).filter(Boolean);
  const file = parts.pop() ?? '';
  if (/^readme\.md$/i.test(file)) {
    return { folder: parts.length > 0 ? parts.slice(-2).join('/') : null, stem: null };
  }
  const stem = file.replace(/(\.model-card)?\.md$/i, '');
  return { folder: null, stem: stem && stem !== file ? stem : null };
}

/** Metric values from `model-index[*].results[*].metrics[*]`, keyed by metric type. */
function modelIndexMetrics(value: unknown): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const entry of Array.isArray(value) ? value : []) {
    for (const result of Array.isArray((entry as Yaml)?.results)
      ? ((entry as Yaml).results as Yaml[])
      : []) {
      const dataset =
        text((result?.dataset as Yaml)?.name) ?? text((result?.dataset as Yaml)?.type);
      for (const metric of Array.isArray(result?.metrics) ? (result.metrics as Yaml[]) : []) {
        const type = text(metric?.type) ?? text(metric?.name);
        const number = typeof metric?.value === 'number' ? metric.value : Number(metric?.value);
        if (!type || !Number.isFinite(number)) continue;
        // The same metric on a second dataset keeps both, the second named by its dataset.
        const key = type in metrics && dataset ? `${type}:${dataset}` : type;
        if (!(key in metrics)) metrics[key] = number;
      }
    }
  }
  return metrics;
}

function modelIndexName(value: unknown): string | null {
  return Array.isArray(value) ? text((value[0] as Yaml)?.name) : null;
}

function describedPart(body: string): string {
  const start = body.indexOf(DESCRIPTION_START);
  const end = body.indexOf(DESCRIPTION_END);
  if (start >= 0 && end > start) return body.slice(start + DESCRIPTION_START.length, end).trim();
  return body.trim();
}

/**
 * Reads one card. `path` is where it was found, relative to the folder chosen; it names the
 * model unless `id` is given.
 *
 * @example readModelCard(await file.text(), 'org/bert-ner/README.md').baseModels
 */
export function readModelCard(source: string, path: string, id?: string): HfModelCard {
  const match = FRONT_MATTER.exec(source);
  if (!match) {
    const problem = /^\uFEFF?---/.test(source)
      ? 'the front matter that starts on line 1 has no closing --- line'
      : 'it has no YAML front matter (a --- line at the top, the metadata, another --- line)';
    throw new InvalidModelCardError(path, 1, problem);
  }

  let document: unknown;
  try {
    document = parseYaml(match[1], YAML_OPTIONS);
  } catch (cause) {
    // The YAML starts on line 2 of the file, after the opening ---.
    const at = cause instanceof YAMLParseError ? cause.linePos?.[0] : undefined;
    const message =
      cause instanceof Error ? cause.message.split('\n')[0].replace(/ at line.*$/, '') : '';
    throw new InvalidModelCardError(
      path,
      at ? at.line + 1 : 2,
      `the YAML does not parse (${message})`,
      { cause },
    );
  }
  const card = (document ?? {}) as Yaml;
  if (typeof card !== 'object' || Array.isArray(card)) {
    throw new InvalidModelCardError(path, 2, 'the front matter is not a mapping of keys to values');
  }

  const fromPath = cardIdFromPath(path);
  const named = id ?? fromPath.folder ?? modelIndexName(card['model-index']) ?? fromPath.stem;
  const cardId = named ? normaliseHfModelId(named) : '';
  if (!cardId) throw new UnnamedModelCardError(path);

  return {
    file: path,
    id: cardId,
    license: text(card.license) ?? text(card.license_name),
    library: text(card.library_name),
    pipelineTag: text(card.pipeline_tag),
    tags: strings(card.tags),
    language: strings(card.language),
    datasets: strings(card.datasets),
    metricNames: strings(card.metrics),
    metrics: modelIndexMetrics(card['model-index']),
    baseModels: strings(card.base_model),
    baseModelRelation: text(card.base_model_relation)?.toLowerCase() ?? null,
    description: describedPart(source.slice(match[0].length)),
  };
}
