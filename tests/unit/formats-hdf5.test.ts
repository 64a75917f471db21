/**
 * Legacy Keras HDF5 files (and a .keras name on one): versions, backend from the global
 * heap, model config with layers, parameters from the datasets under model_weights, and
 * the Lambda warning. The file is built from the HDF5 specification in the test.
 */
import { describe, expect, test } from 'vitest';
import type { KerasMetadata } from '$lib/registry/formats/types';
import { inspectBytes } from './formats-builders';
import { kerasH5 } from './formats-hdf5-builder';

const config = {
  class_name: 'Sequential',
  config: {
    name: 'seq',
    layers: [
      { class_name: 'Dense', config: { name: 'dense', units: 4, batch_input_shape: [null, 3] } },
    ],
  },
};

describe('Keras HDF5', () => {
  test('reads versions, backend, layers and parameters, even when named .keras', async () => {
    const result = await inspectBytes(kerasH5(config, 'tensorflow'), 'model.keras');
    expect(result.error).toBeNull();
    expect(result.format).toBe('keras-h5');
    expect(result.metadata).toMatchObject({
      kerasVersion: '2.15.0',
      backend: 'tensorflow',
      modelClass: 'Sequential',
      layers: [{ name: 'dense', className: 'Dense', module: null, outputShape: [null, 4] }],
      parameterCount: 16,
      weightValueCount: 16,
    } satisfies Partial<KerasMetadata>);
    expect(result.safety?.verdict).toBe('safe');
  });

  test('a Lambda layer in the config makes the file dangerous', async () => {
    const lambda = {
      class_name: 'Sequential',
      config: {
        layers: [
          { class_name: 'Lambda', config: { name: 'l', function: ['4wEAAA==', null, null] } },
        ],
      },
    };
    const result = await inspectBytes(kerasH5(lambda), 'model.h5');
    expect(result.safety?.verdict).toBe('dangerous');
    expect((result.metadata as KerasMetadata).lambdaLayers).toEqual(['l']);
  });

  test('a truncated file says it ends early', async () => {
    const result = await inspectBytes(kerasH5(config).subarray(0, 3000), 'model.h5');
    expect(result.error?.name).toBe('TruncatedFileError');
    expect(result.safety?.verdict).toBe('unknown');
  });
});
