/**
 * Lineage suggestions drawn from version diffs: each relation pinned to the change that
 * should produce it ("quantized from", "adapter of", "fine-tuned from"), and each near miss
 * to none.
 */
import { describe, expect, test } from 'vitest';
import { diffVersions } from '$lib/registry/formats/diff';
import type { DiffableFile } from '$lib/registry/formats/diff-types';
import { gguf, ggufString, u32 } from './formats-builders';
import { LAYER, asDtype, safetensorsFile, versionFile, type Tensor } from './formats-diff-files';

describe('lineage suggestions', () => {
  test('the same tensors in F16 after F32 suggest "quantized from"', async () => {
    const full = await versionFile('model.safetensors', safetensorsFile(LAYER));
    const half = await versionFile('model.safetensors', safetensorsFile(asDtype(LAYER, 'F16')));

    const diff = diffVersions([full], [half]);

    expect(diff.suggestion).toMatchObject({
      relation: 'quantized-from',
      child: 'after',
      confidence: 0.95,
    });
    expect(diff.suggestion?.reason).toContain('F32 → F16 ×4');
    expect(diff.files[0].tensors?.retyped).toHaveLength(4);
    expect(diff.files[0].tensors?.reshaped).toEqual([]);
    expect(diff.files[0].parameters.delta).toBe(0);
    expect(diff.totals.size.delta).toBe(half.size - full.size);
    expect(diff.totals.size.delta).toBeLessThan(0);
  });

  test('the wider version registered later is read as the source of the older one', async () => {
    const half = await versionFile('model.safetensors', safetensorsFile(asDtype(LAYER, 'BF16')));
    const full = await versionFile('model.safetensors', safetensorsFile(LAYER));

    const diff = diffVersions([half], [full]);

    expect(diff.suggestion).toMatchObject({ relation: 'quantized-from', child: 'before' });
  });

  test('dtypes narrowed and widened in the same diff suggest nothing', async () => {
    const mixed = (a: string, b: string): Tensor[] =>
      LAYER.map(([name, , shape], i) => [name, i < 3 ? a : b, shape]);
    const older = await versionFile('model.safetensors', safetensorsFile(mixed('F32', 'F16')));
    const newer = await versionFile('model.safetensors', safetensorsFile(mixed('F16', 'F32')));

    const diff = diffVersions([older], [newer]);

    expect(diff.files[0].tensors?.retyped).toHaveLength(4);
    expect(diff.suggestion).toBeNull();
  });

  test('GGUF tensors going from F16 to Q4_0 under the same names are quantisation', async () => {
    const ggufModel = (weightType: number, fileType: number) => {
      const weightBytes = weightType === 1 ? 64 * 64 * 2 : (64 * 64 * 18) / 32;
      return gguf({
        kvs: [
          ['general.architecture', 8, ggufString('llama')],
          ['general.file_type', 4, u32(fileType)],
        ],
        tensors: [
          { name: 'output_norm.weight', dims: [64n], type: 0, offset: 0n },
          { name: 'blk.0.attn_q.weight', dims: [64n, 64n], type: weightType, offset: 256n },
          {
            name: 'blk.0.attn_k.weight',
            dims: [64n, 64n],
            type: weightType,
            offset: BigInt(256 + weightBytes),
          },
        ],
        dataBytes: 256 + 2 * weightBytes,
      });
    };
    const f16 = await versionFile('tiny.gguf', ggufModel(1, 1));
    const q4 = await versionFile('tiny.gguf', ggufModel(2, 2));

    const diff = diffVersions([f16], [q4]);

    expect(diff.files[0].metadata).toContainEqual({
      field: 'quantization',
      before: 'MOSTLY_F16',
      after: 'MOSTLY_Q4_0',
    });
    expect(diff.suggestion).toMatchObject({ relation: 'quantized-from', child: 'after' });
    expect(diff.suggestion?.reason).toContain('F16 → Q4_0 ×2');
  });

  test('a GGUF conversion of a safetensors checkpoint is read by its parameters', async () => {
    const checkpoint = await versionFile(
      'model.safetensors',
      safetensorsFile(
        ['model.embed.weight', 'q_proj.weight', 'v_proj.weight', 'mlp.weight'].map(
          (name, i): Tensor => [name, 'F32', [i === 0 ? 4 : 2, 32]],
        ),
      ),
    );
    const q8 = 8;
    const converted = await versionFile(
      'model-q8_0.gguf',
      gguf({
        tensors: [
          { name: 'token_embd.weight', dims: [32n, 4n], type: q8, offset: 0n },
          { name: 'blk.0.attn_q.weight', dims: [32n, 2n], type: q8, offset: 160n },
          { name: 'blk.0.attn_v.weight', dims: [32n, 2n], type: q8, offset: 256n },
          { name: 'blk.0.ffn.weight', dims: [32n, 2n], type: q8, offset: 352n },
        ],
        dataBytes: 352 + 68,
      }),
    );

    const diff = diffVersions([checkpoint], [converted]);

    expect(diff.files[0]).toMatchObject({
      pairing: 'only-model',
      parameters: { before: 320, after: 320, delta: 0 },
    });
    expect(diff.files[0].tensors).toMatchObject({ compared: 0, added: { length: 4 } });
    expect(diff.suggestion).toEqual({
      relation: 'quantized-from',
      child: 'after',
      confidence: 0.6,
      reason:
        'model-q8_0.gguf stores about the same number of parameters in 8.5 bits on average ' +
        'instead of 32.0.',
    });
  });

  test('a PEFT adapter file beside its base model suggests "adapter of"', async () => {
    const base = await versionFile('model.safetensors', safetensorsFile(LAYER));
    const lora: Tensor[] = ['q_proj', 'v_proj'].flatMap((m): Tensor[] => [
      [`base_model.model.model.layers.0.self_attn.${m}.lora_A.weight`, 'F32', [2, 8]],
      [`base_model.model.model.layers.0.self_attn.${m}.lora_B.weight`, 'F32', [8, 2]],
    ]);
    const adapter = await versionFile('adapter_model.safetensors', safetensorsFile(lora));

    const diff = diffVersions([base], [adapter]);

    expect(diff.files[0]).toMatchObject({
      pairing: 'format',
      before: 'model.safetensors',
      after: 'adapter_model.safetensors',
    });
    expect(diff.suggestion).toMatchObject({
      relation: 'adapter-of',
      child: 'after',
      confidence: 0.95,
    });
    expect(diff.suggestion?.reason).toBe(
      'adapter_model.safetensors holds 4 LoRA tensors (lora_A, lora_B) on 2 modules; ' +
        "2 of those modules are in the older version's tensors.",
    );
  });

  test.each([
    ['diffusers', 'unet.mid.attn.to_q.lora.down.weight', 'unet.mid.attn.to_q.lora.up.weight'],
    ['kohya', 'lora_unet_mid_attn_to_q.lora_down.weight', 'lora_unet_mid_attn_to_q.lora_up.weight'],
  ])('%s LoRA names are recognised as an adapter', async (_style, down, up) => {
    const base = await versionFile('unet.safetensors', safetensorsFile(LAYER));
    const adapter = await versionFile(
      'pytorch_lora_weights.safetensors',
      safetensorsFile([
        [down, 'F16', [4, 8]],
        [up, 'F16', [8, 4]],
      ]),
    );

    const diff = diffVersions([base], [adapter]);

    expect(diff.suggestion).toMatchObject({ relation: 'adapter-of', child: 'after' });
    expect(diff.suggestion?.confidence).toBeLessThan(0.95);
  });

  test('the same tensors with new values suggest "fine-tuned from"', async () => {
    const pretrained = await versionFile('model.safetensors', safetensorsFile(LAYER, 1));
    const tuned = await versionFile('model.safetensors', safetensorsFile(LAYER, 2));

    const diff = diffVersions([pretrained], [tuned]);

    expect(diff.files[0]).toMatchObject({ identical: false, changed: true });
    expect(diff.files[0].tensors).toMatchObject({ compared: 4, unchanged: 4 });
    expect(diff.suggestion).toEqual({
      relation: 'fine-tuned-from',
      child: 'after',
      confidence: 0.8,
      reason:
        'All 4 tensors in model.safetensors keep their names, dtypes and shapes, but the ' +
        'bytes differ: the same architecture with new weights.',
    });
  });

  test('retraining an adapter is a fine-tune, not a new adapter', async () => {
    const lora: Tensor[] = [
      ['base_model.model.q_proj.lora_A.weight', 'F32', [2, 8]],
      ['base_model.model.q_proj.lora_B.weight', 'F32', [8, 2]],
    ];
    const first = await versionFile('adapter_model.safetensors', safetensorsFile(lora, 1));
    const second = await versionFile('adapter_model.safetensors', safetensorsFile(lora, 2));

    const diff = diffVersions([first], [second]);

    expect(diff.suggestion?.relation).toBe('fine-tuned-from');
  });

  test('identical bytes change nothing and suggest nothing', async () => {
    const one = await versionFile('model.safetensors', safetensorsFile(LAYER, 7));
    const two = await versionFile('model.safetensors', safetensorsFile(LAYER, 7));

    const diff = diffVersions([one], [two]);

    expect(diff.files[0]).toMatchObject({ identical: true, changed: false });
    expect(diff.counts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 1 });
    expect(diff.suggestion).toBeNull();
  });

  test('without hashes, equal tensors are never taken for new values', async () => {
    const strip = ({ name, size, summary }: DiffableFile): DiffableFile => ({
      name,
      size,
      summary,
    });
    const one = strip(await versionFile('model.safetensors', safetensorsFile(LAYER, 1)));
    const two = strip(await versionFile('model.safetensors', safetensorsFile(LAYER, 2)));

    const diff = diffVersions([one], [two]);

    expect(diff.files[0]).toMatchObject({ identical: null, changed: false });
    expect(diff.suggestion).toBeNull();
  });
});
