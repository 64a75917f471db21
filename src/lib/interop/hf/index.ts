/** Hugging Face interop: model cards in and out, and the hub's lineage graph as a registry. */
export { importModelCards, cardTags, type CardSource } from './card-import';
export { exportModelCard, cardContent, cardFileName } from './card-export';
export { readModelCard, type HfModelCard } from './card-read';
export { writeModelCard } from './card-write';
export { importHfLineageGraph, readHfLineageGraph } from './lineage-graph';
export * from './errors';
export { importLineageTriples } from '../triples/import-triples';
export { reportLine, type ImportReport, type SkippedItem } from '../triples/report';
