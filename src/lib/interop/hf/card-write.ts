/**
 * Writes a Hugging Face model card: YAML front matter in the Hub's keys, then a Markdown
 * body a person reads. Pure: `card-export.ts` gathers what goes in from the registry.
 */
import { stringify } from 'yaml';
import { DESCRIPTION_END, DESCRIPTION_START } from './card-read';

/** The parents a card names, with the relation each holds in Stemma's terms. */
export interface CardParent {
  /** The id written into `base_model`: the parent's `hf.id` tag, else its model name. */
  id: string;
  /** `bert v2`. */
  label: string;
  uri: string;
  relationLabel: string;
}

export interface CardContent {
  id: string;
  uri: string;
  modelName: string;
  versionNumber: number;
  createdAt: number;
  license: string | null;
  library: string | null;
  pipelineTag: string | null;
  language: string[];
  tags: string[];
  metricNames: string[];
  datasets: string[];
  baseModels: string[];
  /** `finetune`, `adapter`, `quantized` or `merge`; null when Stemma's relation has none. */
  baseModelRelation: string | null;
  parents: CardParent[];
  metrics: Record<string, number>;
  description: string;
  /** Version tags the front matter has no key for, shown in the body. */
  otherTags: Record<string, string>;
  files: { name: string; size: number; sha256: string }[];
}

function frontMatter(card: CardContent): Record<string, unknown> {
  const matter: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value === null || (Array.isArray(value) && value.length === 0)) return;
    matter[key] = value;
  };
  put('license', card.license);
  put('library_name', card.library);
  put('pipeline_tag', card.pipelineTag);
  put('language', card.language);
  put('tags', card.tags);
  put('datasets', card.datasets);
  put('metrics', card.metricNames);
  put('base_model', card.baseModels.length === 1 ? card.baseModels[0] : card.baseModels);
  put('base_model_relation', card.baseModelRelation);
  // model-index always carries the name, so a card saved under any file name imports back
  // into the same model.
  const metrics = Object.entries(card.metrics);
  const results: Record<string, unknown>[] = [];
  if (metrics.length > 0) {
    const result: Record<string, unknown> = {
      task: { type: card.pipelineTag ?? 'other' },
      metrics: metrics.map(([type, value]) => ({ type, value, name: type })),
    };
    if (card.datasets.length > 0) {
      result.dataset = { type: card.datasets[0], name: card.datasets[0] };
    }
    results.push(result);
  }
  matter['model-index'] = [{ name: card.id, results }];
  return matter;
}

const escapeCell = (value: string) => value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function body(card: CardContent): string {
  const sections: string[] = [
    `# ${card.id}`,
    [DESCRIPTION_START, card.description.trim(), DESCRIPTION_END].filter(Boolean).join('\n'),
    '## Model details',
    table(
      ['', ''],
      [
        ['Registry URI', `\`${card.uri}\``],
        ['Version', `${card.versionNumber} of ${card.modelName}`],
        ['Registered', new Date(card.createdAt).toISOString().slice(0, 10)],
        ...(card.license ? [['Licence', card.license]] : []),
        ...(card.library ? [['Library', card.library]] : []),
        ...(card.pipelineTag ? [['Task', card.pipelineTag]] : []),
      ],
    ),
  ];
  if (card.parents.length > 0 || card.datasets.length > 0) {
    sections.push('## Lineage');
    sections.push(
      [
        ...card.parents.map(
          (p) => `- ${capitalise(p.relationLabel)} **${p.label}** (\`${p.uri}\`)`,
        ),
        ...card.datasets.map((name) => `- Trained on **${name}**`),
      ].join('\n'),
    );
  }
  const metrics = Object.entries(card.metrics);
  if (metrics.length > 0) {
    sections.push(
      '## Metrics',
      table(
        ['Metric', 'Value'],
        metrics.map(([k, v]) => [k, String(v)]),
      ),
    );
  }
  const others = Object.entries(card.otherTags);
  if (others.length > 0) sections.push('## Tags', table(['Tag', 'Value'], others));
  if (card.files.length > 0) {
    sections.push(
      '## Files',
      table(
        ['File', 'Size (bytes)', 'SHA-256'],
        card.files.map((f) => [f.name, String(f.size), `\`${f.sha256}\``]),
      ),
    );
  }
  sections.push('_Exported from Stemma, a model registry in the browser._');
  return sections.join('\n\n');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The card as README.md text. */
export function writeModelCard(card: CardContent): string {
  const yaml = stringify(frontMatter(card), { lineWidth: 0 }).trimEnd();
  return `---\n${yaml}\n---\n\n${body(card)}\n`;
}
