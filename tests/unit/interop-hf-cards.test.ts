/**
 * Hugging Face model cards in and out: front matter to version tags, metrics, dataset records
 * and typed lineage; a card with invalid YAML skipped with its file and line while the others
 * go in; re-import adds nothing; a version exported as a card and imported into an empty
 * registry comes back with the same fields. Cards here are written for these tests.
 */
import { describe, expect, test } from 'vitest';
import { importModelCards } from '../../src/lib/interop/hf/card-import';
import { exportModelCard } from '../../src/lib/interop/hf/card-export';
import { readModelCard } from '../../src/lib/interop/hf/card-read';
import { InvalidModelCardError } from '../../src/lib/interop/hf/errors';
import type { Registry } from '../../src/lib/registry/api';
import { freshRegistry } from './support/registry';

const base = `---
license: apache-2.0
library_name: transformers
pipeline_tag: fill-mask
language: [en]
tags: [bert, exbert]
datasets: [bookcorpus, wikipedia]
---
# BERT base

A base model.
`;

const tuned = `---
license: mit
library_name: transformers
pipeline_tag: token-classification
tags:
  - generated_from_trainer
datasets:
  - conll2003
metrics: [f1, accuracy]
base_model: google/bert-base
base_model_relation: finetune
model-index:
  - name: bert-ner
    results:
      - task: { type: token-classification }
        dataset: { name: conll2003, type: conll2003 }
        metrics:
          - { type: f1, value: 0.91 }
          - { type: accuracy, value: 0.98 }
---
Fine-tuned for NER.
`;

const merged = `---
base_model:
  - acme/bert-ner
  - https://huggingface.co/google/bert-base/
base_model_relation: merge
---
`;

const broken = `---
license: mit
tags: [a, b
pipeline_tag: x
---
`;

async function parentsOf(registry: Registry, model: string) {
  const version = await registry.getVersion(model, 1);
  const edges = await registry.lineageEdgesOf(version.id);
  return edges
    .filter((edge) => edge.to === version.id)
    .map((edge) => `${edge.relation} ${edge.fromLabel}`)
    .sort();
}

describe('model card import', () => {
  test('metadata, datasets and lineage land in the registry; a broken card is skipped', async () => {
    const registry = await freshRegistry('cards');
    const report = await importModelCards(registry, [
      { path: 'google/bert-base/README.md', text: base },
      { path: 'cards/acme/bert-ner/README.md', text: tuned },
      { path: 'acme/merged/README.md', text: merged },
      { path: 'acme/broken/README.md', text: broken },
    ]);
    expect(report.skipped).toHaveLength(1);
    const [skipped] = report.skipped;
    expect(skipped).toMatchObject({ source: 'acme/broken/README.md', line: 4 });
    expect(skipped.code).toBe('invalid-model-card');
    expect(report.created).toEqual({ models: 3, versions: 3, datasets: 3, runs: 0, edges: 6 });

    const ner = await registry.getVersion('acme/bert-ner', 1);
    expect(ner.tags).toEqual({
      'hf.id': 'acme/bert-ner',
      license: 'mit',
      library: 'transformers',
      pipeline_tag: 'token-classification',
      'hf.tags': 'generated_from_trainer',
      'hf.metrics': 'f1, accuracy',
    });
    expect(ner.metrics).toEqual({ f1: 0.91, accuracy: 0.98 });
    expect(ner.description).toBe('Fine-tuned for NER.');
    expect(await parentsOf(registry, 'acme/bert-ner')).toEqual([
      'fine-tuned-from google/bert-base v1',
      'trained-on conll2003',
    ]);
    expect(await parentsOf(registry, 'acme/merged')).toEqual([
      'merged-from acme/bert-ner v1',
      'merged-from google/bert-base v1',
    ]);
    const datasets = await registry.listLineageEntities('dataset');
    expect(datasets.map((d) => [d.name, (d.fields as { uri?: string }).uri])).toContainEqual([
      'conll2003',
      'hf://datasets/conll2003',
    ]);

    const events = await registry.log.db.events.count();
    const again = await importModelCards(registry, [
      { path: 'google/bert-base/README.md', text: base },
      { path: 'cards/acme/bert-ner/README.md', text: tuned },
      { path: 'acme/merged/README.md', text: merged },
    ]);
    expect(again.created).toEqual({ models: 0, versions: 0, datasets: 0, runs: 0, edges: 0 });
    expect(again.updated).toBe(0);
    expect(again.existingEdges).toBe(6);
    expect(await registry.log.db.events.count()).toBe(events);
  });

  test('a changed card updates tags and description of the version it describes', async () => {
    const registry = await freshRegistry('cards-update');
    await importModelCards(registry, [{ path: 'google/bert-base/README.md', text: base }]);
    const changed = base.replace('apache-2.0', 'mit').replace('A base model.', 'Now better.');
    const report = await importModelCards(registry, [
      { path: 'google/bert-base/README.md', text: changed },
    ]);
    expect(report.updated).toBe(1);
    const version = await registry.getVersion('google/bert-base', 1);
    expect(version.tags.license).toBe('mit');
    expect(version.description).toBe('# BERT base\n\nNow better.');
  });

  test('invalid YAML and missing front matter name the file and the line', () => {
    const fail = (text: string) => {
      try {
        readModelCard(text, 'x/README.md');
      } catch (error) {
        return error as InvalidModelCardError;
      }
      throw new Error('expected a failure');
    };
    expect(fail(broken)).toBeInstanceOf(InvalidModelCardError);
    expect(fail(broken).message).toMatch(/^Could not read the model card x\/README\.md, line 4:/);
    expect(fail('# Just a readme\n').line).toBe(1);
    expect(fail('---\nlicense: mit\n').message).toMatch(/no closing --- line/);
    expect(fail('---\n- a\n- b\n---\n').message).toMatch(/not a mapping/);
  });
});

describe('model card export', () => {
  test('a version exported as a card imports into an empty registry with the same fields', async () => {
    const source = await freshRegistry('cards-export');
    await importModelCards(source, [
      { path: 'google/bert-base/README.md', text: base },
      { path: 'acme/bert-ner/README.md', text: tuned },
    ]);
    const ner = await source.getVersion('acme/bert-ner', 1);
    await source.setTag({ kind: 'version', id: ner.id }, 'team', 'nlp');
    const { fileName, text } = await exportModelCard(source, ner.id);
    expect(fileName).toBe('acme__bert-ner-v1.model-card.md');
    expect(text).toContain('base_model: google/bert-base\nbase_model_relation: finetune\n');
    expect(text).toContain(
      '- Fine-tuned from **google/bert-base v1** (`models:/google/bert-base/1`)',
    );
    expect(text).toContain('| team | nlp |');

    const card = readModelCard(text, fileName);
    expect(card).toMatchObject({
      id: 'acme/bert-ner',
      license: 'mit',
      library: 'transformers',
      pipelineTag: 'token-classification',
      tags: ['generated_from_trainer'],
      datasets: ['conll2003'],
      metricNames: ['f1', 'accuracy'],
      metrics: { f1: 0.91, accuracy: 0.98 },
      baseModels: ['google/bert-base'],
      baseModelRelation: 'finetune',
      description: 'Fine-tuned for NER.',
    });

    const target = await freshRegistry('cards-reimport');
    const report = await importModelCards(target, [{ path: fileName, text }]);
    expect(report.skipped).toEqual([]);
    const back = await target.getVersion('acme/bert-ner', 1);
    const cardTags = Object.fromEntries(Object.entries(ner.tags).filter(([k]) => k !== 'team'));
    expect(back.tags).toEqual(cardTags);
    expect(back.metrics).toEqual(ner.metrics);
    expect(back.description).toBe(ner.description);
    expect(await parentsOf(target, 'acme/bert-ner')).toEqual(
      await parentsOf(source, 'acme/bert-ner'),
    );

    const exportedAgain = await exportModelCard(target, back.id);
    expect(exportedAgain.text.replace(/\| Registered \| [^|]+\|/, '')).toBe(
      text
        .replace(/\| Registered \| [^|]+\|/, '')
        .replace('| team | nlp |', '')
        .replace(/## Tags\n\n\| Tag \| Value \|\n\| --- \| --- \|\n\n\n/, ''),
    );
  });
});
