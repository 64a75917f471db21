/**
 * The registry's insights: trains the lineage GNN on this registry in a Web Worker, stores
 * the embeddings with the graph they were trained on, and answers the questions pages ask of
 * them. Suggestions and neighbours are in `insights-suggest.ts`.
 */
import { encodeModelFeatures } from '../gnn/features';
import { graphDrift } from '../gnn/graph-drift';
import { pca2d } from '../gnn/pca';
import { TrainingClient, type TrainingHooks, type WorkerLike } from '../gnn/training-client';
import type { LineageRegistry } from './api';
import { readRegistryGraph } from './insights-graph';
import { likelyParents, similarVersions } from './insights-suggest';
import type {
  EmbeddingsInfo,
  InsightsRegistry,
  InsightsStatus,
  InsightsTrainingJob,
  LinkQuality,
  RegistryMap,
  TrainOptions,
} from './insights-types';
import type { EmbeddingRow, WorkspaceDb } from '../store/schema';
import { logger } from '../logging/logger';

const log = logger('gnn');

/** The stored row of the lineage GNN's embeddings. */
export const LINEAGE_EMBEDDINGS_ID = 'lineage-gnn';

export class InsightsService implements InsightsRegistry {
  private client: TrainingClient | null = null;

  /** @param createWorker for tests: a worker served in-process */
  constructor(
    private readonly db: WorkspaceDb,
    private readonly lineage: Pick<LineageRegistry, 'lineageDescendants'>,
    private readonly createWorker?: () => WorkerLike,
  ) {}

  async status(): Promise<InsightsStatus> {
    const [graph, row] = await Promise.all([readRegistryGraph(this.db), this.stored()]);
    const drift = row
      ? graphDrift(row, { nodeIds: graph.nodes.map((node) => node.id), linkKeys: graph.linkKeys })
      : null;
    return {
      versions: graph.nodes.length,
      links: graph.linkKeys.length,
      embeddings: row ? infoOf(row) : null,
      drift,
      retrainSuggested: !row || (drift?.retrain ?? false),
    };
  }

  async train(options: TrainOptions = {}, hooks: TrainingHooks = {}): Promise<InsightsTrainingJob> {
    const graph = await readRegistryGraph(this.db);
    const { features } = encodeModelFeatures(graph.nodes.map((node) => node.description));
    this.client ??= new TrainingClient(this.createWorker);
    const settings: Record<string, number> = {};
    if (options.epochs !== undefined) settings.epochs = options.epochs;
    if (options.seed !== undefined) settings.seed = options.seed;
    const job = this.client.start(
      {
        nodeCount: graph.nodes.length,
        features,
        links: graph.links,
        names: graph.nodes.map((node) => node.modelName),
        settings,
        backends: options.backends,
      },
      hooks,
    );
    const result = job.result.then(async (trained) => {
      const row: EmbeddingRow = {
        id: LINEAGE_EMBEDDINGS_ID,
        trainedAt: Date.now(),
        nodeIds: graph.nodes.map((node) => node.id),
        linkKeys: graph.linkKeys,
        graphHash: graph.graphHash,
        dimension: trained.dimension,
        vectors: trained.embeddings,
        backend: trained.backend.backend,
        backendReason: trained.backend.reason,
        epochs: trained.epochs.map(({ epoch, loss, ms }) => ({ epoch, loss, ms })),
        msPerEpoch: trained.msPerEpoch,
        settings: { ...trained.settings },
        quality: trained.quality,
        qualityNote: trained.qualityNote,
      };
      // One put replaces the row whole: a reader sees the old embeddings or the new ones.
      await this.db.embeddings.put(row);
      log.info('stored embeddings', { versions: row.nodeIds.length, backend: row.backend });
      return infoOf(row);
    });
    return {
      pause: () => job.pause(),
      resume: () => job.resume(),
      cancel: () => job.cancel(),
      result,
    };
  }

  async map(): Promise<RegistryMap | null> {
    const [graph, row] = await Promise.all([readRegistryGraph(this.db), this.stored()]);
    if (!row) return null;
    const { x, y, explained } = pca2d(row.vectors, row.dimension);
    const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
    const points: RegistryMap['points'] = [];
    row.nodeIds.forEach((id, i) => {
      const node = nodes.get(id);
      if (!node) return;
      points.push({
        versionId: id,
        modelName: node.modelName,
        number: node.number,
        x: x[i],
        y: y[i],
        family: node.family,
        task: node.task,
        format: node.format,
      });
    });
    const embedded = new Set(row.nodeIds);
    const unplaced = graph.nodes.filter((node) => !embedded.has(node.id)).length;
    return { points, explained, unplaced };
  }

  async likelyParents(versionId: string, count = 5) {
    const [graph, row] = await Promise.all([readRegistryGraph(this.db), this.stored()]);
    return likelyParents(this.lineage, graph, row, versionId, count);
  }

  async similarVersions(versionId: string, count = 5) {
    const [graph, row] = await Promise.all([readRegistryGraph(this.db), this.stored()]);
    return similarVersions(graph, row, versionId, count);
  }

  async clear(): Promise<void> {
    await this.db.embeddings.delete(LINEAGE_EMBEDDINGS_ID);
  }

  /** Ends the training worker, if one was started. */
  dispose(): void {
    this.client?.dispose();
    this.client = null;
  }

  private async stored(): Promise<EmbeddingRow | null> {
    return (await this.db.embeddings.get(LINEAGE_EMBEDDINGS_ID)) ?? null;
  }
}

function infoOf(row: EmbeddingRow): EmbeddingsInfo {
  return {
    trainedAt: row.trainedAt,
    versions: row.nodeIds.length,
    links: row.linkKeys.length,
    dimension: row.dimension,
    backend: row.backend,
    backendReason: row.backendReason,
    epochs: row.epochs,
    msPerEpoch: row.msPerEpoch,
    quality: row.quality as LinkQuality | null,
    qualityNote: row.qualityNote,
  };
}
