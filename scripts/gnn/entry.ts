// What the Node GNN scripts load, in one module graph: TensorFlow.js with its CPU backend and
// the GNN modules, so that all of them share one engine and one gradient registry.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export { tf };
export * from '../../src/lib/gnn/dot-kernel';
export * from '../../src/lib/gnn/features';
export * from '../../src/lib/gnn/link-eval';
export * from '../../src/lib/gnn/link-train';
export * from '../../src/lib/gnn/name-similarity';
export * from '../../src/lib/gnn/planetoid';
export * from '../../src/lib/gnn/random';
export * from '../../src/lib/gnn/train';
