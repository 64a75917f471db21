/**
 * What can be wrong with an MLflow store handed to the importer. Each names the file and,
 * where it is known, the line, and says what to do. The importer records them as issues and
 * goes on with the rest; only a store it cannot read at all is thrown to the caller.
 */
import { StemmaError } from '$lib/registry/errors';
import type { ImportIssue } from './types';

export class MlflowImportError extends StemmaError {
  readonly file: string | null;
  readonly line: number | null;

  constructor(
    code: string,
    message: string,
    file: string | null,
    line: number | null = null,
    options?: { cause?: unknown },
  ) {
    const where = file ? ` (${file}${line ? `, line ${line}` : ''})` : '';
    super(code, `${message}${where}`, options);
    this.file = file;
    this.line = line;
  }

  /** The issue the summary lists for this error. */
  toIssue(severity: ImportIssue['severity'] = 'skipped'): ImportIssue {
    return { error: this.name, message: this.message, file: this.file, line: this.line, severity };
  }
}

/** A `meta.yaml` that does not parse, or lacks a field the store format requires. */
export class MalformedMetaError extends MlflowImportError {
  constructor(file: string, problem: string, line: number | null = null, cause?: unknown) {
    super(
      'mlflow-malformed-meta',
      `The MLflow metadata file is malformed: ${problem}. Its part of the store was skipped; ` +
        `fix or remove the file and import again`,
      file,
      line,
      { cause },
    );
  }
}

/** A metric history line that is not `<timestamp> <value> [<step>]`. */
export class MetricLineError extends MlflowImportError {
  constructor(file: string, line: number, text: string) {
    super(
      'mlflow-bad-metric-line',
      `Metric line "${text.slice(0, 60)}" is not "<timestamp> <value> <step>"; that point was ` +
        `skipped and the rest of the history kept`,
      file,
      line,
    );
  }
}

/** An MLmodel or database written by an MLflow version this importer does not know. */
export class UnknownMlflowVersionError extends MlflowImportError {
  constructor(file: string, version: string, line: number | null = null) {
    super(
      'mlflow-unknown-version',
      `MLflow version "${version}" is not one this importer knows (1.x to 3.x), so its ` +
        `fields cannot be trusted; that part was skipped. Export it with MLflow 3 or older`,
      file,
      line,
    );
  }
}

/** A path in a zip or a file list that climbs out of the store (`../`, absolute, encoded). */
export class UnsafeImportPathError extends MlflowImportError {
  constructor(path: string, reason: string) {
    super(
      'mlflow-unsafe-path',
      `The entry "${path.slice(0, 120)}" was not read: ${reason}. Archives for import hold ` +
        `only paths inside the store`,
      path,
    );
  }
}

/** Something the store names that is not in it (a run's experiment, a version's run). */
export class MissingPartError extends MlflowImportError {
  constructor(file: string | null, problem: string) {
    super('mlflow-missing-part', problem, file);
  }
}

/** A value Stemma refuses (too long, not finite): imported changed, or left out. */
export class UnsupportedValueError extends MlflowImportError {
  constructor(file: string | null, problem: string) {
    super('mlflow-unsupported-value', problem, file);
  }
}

/** A database that is not an MLflow tracking database, or cannot be opened. */
export class MlflowDatabaseError extends MlflowImportError {
  constructor(file: string, problem: string, cause?: unknown) {
    super(
      'mlflow-bad-database',
      `This is not an MLflow database Stemma can read: ${problem}. Choose the mlflow.db ` +
        `that MLflow's --backend-store-uri sqlite:/// points at`,
      file,
      null,
      { cause },
    );
  }
}

/** The input holds no MLflow store at all: nothing to import. */
export class NoMlflowStoreError extends MlflowImportError {
  constructor(what: string) {
    super(
      'mlflow-no-store',
      `No MLflow store was found in ${what}. Choose the mlruns folder itself (it holds ` +
        `numbered experiment folders and models/), a zip of it, or an mlflow.db file`,
      null,
    );
  }
}

/** Turns anything thrown while reading one part into an issue. */
export function issueOf(error: unknown, file: string | null): ImportIssue {
  if (error instanceof MlflowImportError) return error.toIssue();
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return { error: name, message, file, line: null, severity: 'skipped' };
}
