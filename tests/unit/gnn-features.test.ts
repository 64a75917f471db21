import { describe, expect, it } from 'vitest';
import { fnv1a, nameTokens } from '../../src/lib/gnn/feature-tokens';
import {
  encodeModelFeatures,
  FEATURE_COUNT,
  FEATURE_LAYOUT,
  formatClass,
  precisionClass,
  type ModelNodeDescription,
} from '../../src/lib/gnn/features';
import { toDenseFeatures } from '../../src/lib/gnn/sparse-features';

const registry: ModelNodeDescription[] = [
  {
    name: 'meta-llama/Llama-3.1-8B-Instruct',
    format: 'safetensors',
    framework: 'transformers',
    architecture: 'LlamaForCausalLM',
    task: 'text-generation',
    parameterCount: 8.03e9,
    precision: 'bf16',
    metrics: { mmlu: 0.68 },
    tags: ['llama-3', 'conversational'],
    family: 'llama',
  },
  {
    name: 'TheBloke/Llama-3.1-8B-Instruct-GGUF',
    format: 'gguf',
    precision: 'Q4_K_M',
    metrics: { mmlu: 0.66 },
    family: 'llama',
  },
  { name: 'bert-base-uncased', task: 'fill-mask', metrics: { MMLU: 0.3, f1: 0.9 } },
  { name: 'untitled' },
];

function denseRow(nodes: ModelNodeDescription[], index: number): number[] {
  const { features } = encodeModelFeatures(nodes);
  const dense = toDenseFeatures(features);
  return Array.from(dense.subarray(index * FEATURE_COUNT, (index + 1) * FEATURE_COUNT));
}

describe('encodeModelFeatures', () => {
  it('gives identical features when run again on the same registry', () => {
    const first = encodeModelFeatures(registry).features;
    const second = encodeModelFeatures(structuredClone(registry)).features;
    expect(second).toEqual(first);
  });

  it('encodes a node the same wherever it sits in the input', () => {
    const reversed = [...registry].reverse();
    for (let i = 0; i < registry.length; i++) {
      expect(denseRow(reversed, registry.length - 1 - i)).toEqual(denseRow(registry, i));
    }
  });

  it('keeps hashed columns fixed across code versions (stored embeddings rely on it)', () => {
    // FNV-1a's published test vector, and a salted term checked with an independent script.
    expect(fnv1a('hello')).toBe(0x4f9f2cab);
    expect(fnv1a('llama', 'family')).toBe(2902101848);
    expect(nameTokens('meta-llama/Llama-3.1-8B-Instruct')).toEqual([
      'meta',
      'llama',
      'llama',
      '3',
      '1',
      '8b',
      'instruct',
    ]);
    expect(FEATURE_COUNT).toBe(561);
  });

  it('lays the blocks end to end, one column set per documented feature', () => {
    let offset = 0;
    for (const block of FEATURE_LAYOUT) {
      expect(block.offset).toBe(offset);
      expect(block.description.length).toBeGreaterThan(10);
      offset += block.width;
    }
    expect(offset).toBe(FEATURE_COUNT);
    expect(FEATURE_LAYOUT.map((block) => block.name)).toEqual([
      'format',
      'framework',
      'architecture',
      'task',
      'parameters',
      'precision',
      'metrics',
      'name-tokens',
      'tag-tokens',
      'family',
    ]);
  });

  it('sets exactly one column in each one-hot block, the unknown column when missing', () => {
    const rows = [0, 3].map((i) => denseRow(registry, i));
    for (const name of ['format', 'framework', 'architecture', 'task', 'precision', 'family']) {
      const { offset, width } = FEATURE_LAYOUT.find((block) => block.name === name)!;
      for (const row of rows) {
        expect(row.slice(offset, offset + width).filter((v) => v !== 0)).toEqual([1]);
      }
      expect(rows[1][offset + width - 1]).toBe(1);
    }
  });

  it('scales log parameter count and metrics into [0, 1.5], metric names case-blind', () => {
    const parameters = FEATURE_LAYOUT.find((block) => block.name === 'parameters')!;
    const llama = denseRow(registry, 0);
    expect(llama[parameters.offset]).toBeCloseTo(Math.log10(8.03e9) / 12, 5);
    expect(llama[parameters.offset + 1]).toBe(1);

    const metrics = FEATURE_LAYOUT.find((block) => block.name === 'metrics')!;
    const slot = metrics.offset + (fnv1a('mmlu', 'metrics') % metrics.width);
    expect(llama[slot]).toBeCloseTo(1, 5);
    expect(denseRow(registry, 1)[slot]).toBeCloseTo((0.66 - 0.3) / (0.68 - 0.3), 5);
  });

  it('gives name-token blocks unit length, so long names weigh no more than short ones', () => {
    const tokens = FEATURE_LAYOUT.find((block) => block.name === 'name-tokens')!;
    for (let i = 0; i < registry.length; i++) {
      const block = denseRow(registry, i).slice(tokens.offset, tokens.offset + tokens.width);
      expect(Math.hypot(...block)).toBeCloseTo(1, 5);
    }
  });
});

describe('formatClass and precisionClass', () => {
  it('map registry format ids and file labels onto their classes', () => {
    expect(formatClass('safetensors-index')).toBe('safetensors');
    expect(formatClass('pytorch-zip')).toBe('pytorch');
    expect(formatClass('keras-h5')).toBe('keras');
    expect(formatClass('mlflow-mlmodel')).toBe('mlflow');
    expect(formatClass('coreml')).toBe('other');
    expect(formatClass(null)).toBeNull();
  });

  it('map dtypes and quantisation labels onto their classes', () => {
    expect(precisionClass('bf16')).toBe('bfloat16');
    expect(precisionClass('F16')).toBe('float16');
    expect(precisionClass('Q4_K_M')).toBe('q4');
    expect(precisionClass('gptq-4bit')).toBe('q4');
    expect(precisionClass('Q8_0')).toBe('q8');
    expect(precisionClass('int8')).toBe('int8');
    expect(precisionClass('IQ2_XS')).toBe('q2');
    expect(precisionClass('float32')).toBe('float32');
    expect(precisionClass(undefined)).toBeNull();
  });
});
