/**
 * Errors of the Hugging Face and lineage imports. Each names the file and, where it can, the
 * line, so a user can open the file and fix it; the import goes on with the other files.
 */
import { StemmaError } from '../../registry/errors';

/** A model card whose front matter cannot be read. */
export class InvalidModelCardError extends StemmaError {
  readonly file: string;
  /** 1-based line in the file, or null when the problem is not about one line. */
  readonly line: number | null;

  constructor(file: string, line: number | null, problem: string, options?: { cause?: unknown }) {
    const where = line === null ? file : `${file}, line ${line}`;
    super(
      'invalid-model-card',
      `Could not read the model card ${where}: ${problem}. Fix the YAML between the --- lines ` +
        `and import the card again; the other cards were imported.`,
      options,
    );
    this.file = file;
    this.line = line;
  }
}

/** A card that does not say which model it describes. */
export class UnnamedModelCardError extends StemmaError {
  readonly file: string;

  constructor(file: string) {
    super(
      'unnamed-model-card',
      `The card ${file} does not say which model it belongs to. Put it in a folder named ` +
        `after the model (org/name/README.md), name the file after it (name.md), or give ` +
        `model-index a name.`,
    );
    this.file = file;
  }
}

/** A line of the Hugging Face lineage graph files that is not a JSON object of the kind. */
export class InvalidLineageGraphLineError extends StemmaError {
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, problem: string) {
    super(
      'invalid-lineage-graph-line',
      `${file}, line ${line}: ${problem}. The line was skipped; the rest was imported.`,
    );
    this.file = file;
    this.line = line;
  }
}
