/**
 * Files for the change-detection tests, made as a version records them: real bytes (built
 * here or copied from the fixtures), inspected, summarised and hashed by the registry's own
 * code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { hashFile } from '$lib/registry/file-hash';
import type { DiffableFile } from '$lib/registry/formats/diff-types';
import { inspectFile } from '$lib/registry/formats/inspect';
import type { InspectLimits } from '$lib/registry/formats/limits';
import { summarizeInspection } from '$lib/registry/formats/summary';
import { concat, text, u64 } from './formats-builders';
import { seededRandom } from './support/random';

export const FIXTURES = join(process.cwd(), 'tests/fixtures/models');
export const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));

export type Tensor = [name: string, dtype: string, shape: number[]];

const BYTES_PER_ELEMENT: Record<string, number> = { F64: 8, F32: 4, I32: 4, F16: 2, BF16: 2 };

/** A complete safetensors file whose tensor bodies are seeded random bytes. */
export function safetensorsFile(tensors: Tensor[], seed = 1): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, dtype, shape] of tensors) {
    const bytes = shape.reduce((n, d) => n * d, 1) * BYTES_PER_ELEMENT[dtype];
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = text(JSON.stringify(header));
  const random = seededRandom(seed);
  const body = Uint8Array.from({ length: offset }, () => random.int(256));
  return concat([u64(json.length), json, body]);
}

/** A file as a version records it: name, size, SHA-256 and the stored summary. */
export async function versionFile(
  name: string,
  bytes: Uint8Array,
  limits?: Partial<InspectLimits>,
): Promise<DiffableFile> {
  const file = new File([bytes as BlobPart], name);
  const inspection = await inspectFile({ blob: file, name }, { limits });
  expect(inspection.error).toBeNull();
  return { ...(await hashFile(file)), summary: summarizeInspection(inspection) };
}

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

/** A small transformer block in F32: 320 parameters under Hugging Face style names. */
export const LAYER: Tensor[] = [
  ['model.embed.weight', 'F32', [16, 8]],
  ['model.layers.0.self_attn.q_proj.weight', 'F32', [8, 8]],
  ['model.layers.0.self_attn.v_proj.weight', 'F32', [8, 8]],
  ['model.layers.0.mlp.weight', 'F32', [8, 8]],
];
export const asDtype = (tensors: Tensor[], dtype: string): Tensor[] =>
  tensors.map(([name, , shape]) => [name, dtype, shape]);
