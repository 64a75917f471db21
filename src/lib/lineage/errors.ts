/**
 * Errors the lineage module raises. They extend the registry's `StemmaError` so pages can
 * treat every error the same way (show `message`, switch on `code`).
 */
import { StemmaError } from '../registry/errors';

/** An edge that would make the lineage graph cyclic. */
export class LineageCycleError extends StemmaError {
  /** The cycle as display labels, first and last equal: `['v3', 'v5', 'v2', 'v3']`. */
  readonly cycle: string[];
  /** The same cycle as node ids. */
  readonly cycleIds: string[];

  constructor(cycle: string[], cycleIds: string[]) {
    super(
      'lineage-cycle',
      `This link would make a cycle: ${cycle.join(' -> ')}. A model cannot descend from ` +
        `itself; remove one of these links first, or link to a different parent.`,
    );
    this.cycle = cycle;
    this.cycleIds = cycleIds;
  }
}

/** An edge id reused for a different parent, child or relation. */
export class LineageEdgeConflictError extends StemmaError {
  readonly edgeId: string;

  constructor(edgeId: string) {
    super(
      'lineage-edge-conflict',
      `Lineage edge ${edgeId} already links other entities. An edge's ends and relation ` +
        `cannot change: remove it and add a new edge instead.`,
    );
    this.edgeId = edgeId;
  }
}

/** One bad row or element of an imported lineage file. */
export interface LineageImportProblem {
  /** 1-based line of a CSV file, or 1-based item number of a JSON list. */
  line: number;
  /** The column or field the problem is in, when it is about one. */
  column: string | null;
  message: string;
}

/** A lineage file that could not be imported; lists every bad row, not only the first. */
export class LineageImportError extends StemmaError {
  readonly problems: LineageImportProblem[];

  /**
   * @param source what was imported, e.g. `the CSV file`
   * @param unit what `line` counts: CSV lines or JSON list items
   */
  constructor(
    source: string,
    unit: 'line' | 'item',
    problems: LineageImportProblem[],
    options?: { cause?: unknown },
  ) {
    const first = problems[0];
    const where = first ? `${source}, ${unit} ${first.line}` : source;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : '';
    super(
      'lineage-import',
      `Could not import ${where}: ${first?.message ?? 'it is unreadable'}${more}. Fix the ` +
        `listed rows and import the file again.`,
      options,
    );
    this.problems = problems;
  }
}
