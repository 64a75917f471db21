/** Errors of the registry's lineage commands and queries (the cycle error is `$lib/lineage`'s). */
import { StemmaError } from './errors';

/** An id that names neither a version nor a recorded dataset, run or code. */
export class UnknownLineageNodeError extends StemmaError {
  readonly id: string;

  constructor(id: string, role = 'node') {
    super(
      'unknown-lineage-node',
      `The lineage ${role} "${id}" is neither a model version nor a recorded dataset, run or ` +
        `code. Link versions by their id, and record datasets, runs and code before linking them.`,
    );
    this.id = id;
  }
}

/** An edge id this workspace has never seen. */
export class UnknownLineageEdgeError extends StemmaError {
  readonly edgeId: string;

  constructor(edgeId: string) {
    super(
      'unknown-lineage-edge',
      `There is no lineage link "${edgeId}" in this workspace. Open the lineage of the version ` +
        `to see its links and their ids.`,
    );
    this.edgeId = edgeId;
  }
}
