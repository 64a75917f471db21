import { describe, expect, it } from 'vitest';
import {
  hfCardsToLineage,
  hfEdgeId,
  normaliseHfModelId,
  type HfCardLineage,
} from '../../src/lib/lineage/hf-card-lineage';

const relationOf = (card: HfCardLineage) =>
  hfCardsToLineage([card]).edges.map((edge) => edge.relation);

describe('lineage from Hugging Face model cards', () => {
  it("maps each base_model_relation to Stemma's relation, parent -> child", () => {
    const base = 'meta-llama/Llama-3.1-8B';
    expect(relationOf({ id: 'me/ft', base_model: base, base_model_relation: 'finetune' })).toEqual([
      'fine-tuned-from',
    ]);
    expect(relationOf({ id: 'me/lora', base_model: base, base_model_relation: 'adapter' })).toEqual(
      ['adapter-of'],
    );
    expect(relationOf({ id: 'me/q4', base_model: base, base_model_relation: 'quantized' })).toEqual(
      ['quantized-from'],
    );
    const { edges } = hfCardsToLineage([
      { id: 'me/soup', base_model: [base, 'me/ft'], base_model_relation: 'merge' },
    ]);
    expect(edges).toEqual([
      { id: hfEdgeId(base, 'me/soup'), from: base, to: 'me/soup', relation: 'merged-from' },
      { id: hfEdgeId('me/ft', 'me/soup'), from: 'me/ft', to: 'me/soup', relation: 'merged-from' },
    ]);
  });

  it('records derived-from for one unlabelled parent and merged-from for several', () => {
    expect(relationOf({ id: 'x/one', base_model: 'a/b' })).toEqual(['derived-from']);
    expect(relationOf({ id: 'x/two', base_model: ['a/b', 'c/d'] })).toEqual([
      'merged-from',
      'merged-from',
    ]);
  });

  it('cleans up ids the way cards write them and collapses repeated parents', () => {
    expect(normaliseHfModelId(' https://huggingface.co/Babelscape/mrebel-large/ ')).toBe(
      'Babelscape/mrebel-large',
    );
    const card = {
      id: 'mlabonne/Meta-Llama-3-120B-Instruct',
      base_model: Array(7).fill('meta-llama/Meta-Llama-3-70B-Instruct/'),
      base_model_relation: 'merge',
    };
    const { edges, models } = hfCardsToLineage([card]);
    expect(edges).toHaveLength(1);
    expect(edges[0].from).toBe('meta-llama/Meta-Llama-3-70B-Instruct');
    expect(models).toEqual([
      'mlabonne/Meta-Llama-3-120B-Instruct',
      'meta-llama/Meta-Llama-3-70B-Instruct',
    ]);
  });

  it('skips self-references and reports unknown relations', () => {
    const result = hfCardsToLineage([
      { id: 'a/self', base_model: 'a/self/' },
      { id: 'a/odd', base_model: 'a/base', base_model_relation: 'distill' },
      { id: 'a/none' },
    ]);
    expect(result.edges.map((edge) => [edge.from, edge.to, edge.relation])).toEqual([
      ['a/base', 'a/odd', 'derived-from'],
    ]);
    expect(result.skipped).toEqual([
      { card: 'a/self', message: 'base_model names the model itself' },
      { card: 'a/odd', message: 'unknown base_model_relation "distill"; recorded as derived-from' },
    ]);
    expect(result.models).toContain('a/none');
  });

  it('gives the same edge the same id on a second import', () => {
    const card = { id: 'me/ft', base_model: 'a/b', base_model_relation: 'finetune' };
    expect(hfCardsToLineage([card]).edges).toEqual(hfCardsToLineage([card]).edges);
  });
});
