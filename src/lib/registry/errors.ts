/**
 * The catalogue of errors the registry raises. Each says what was wrong and what to do, and
 * keeps the underlying cause. Pages show `message` as is.
 */
export class StemmaError extends Error {
  /** A stable code pages and tests can switch on. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export class InvalidInputError extends StemmaError {
  /** The form field the problem is in, when there is one. */
  readonly field: string | null;

  constructor(message: string, field: string | null = null, options?: { cause?: unknown }) {
    super('invalid-input', message, options);
    this.field = field;
  }
}

export class DuplicateModelError extends StemmaError {
  constructor(name: string) {
    super(
      'duplicate-model',
      `A model named "${name}" already exists. Pick another name, or register a new version ` +
        `of "${name}" instead.`,
    );
  }
}

export class UnknownModelError extends StemmaError {
  constructor(model: string) {
    super(
      'unknown-model',
      `There is no model "${model}". Check the spelling, or create the model first.`,
    );
  }
}

export class UnknownVersionError extends StemmaError {
  constructor(model: string, version: string | number) {
    super(
      'unknown-version',
      `Model "${model}" has no version ${version}. Open the model to see its versions.`,
    );
  }
}

export class UnknownAliasError extends StemmaError {
  constructor(model: string, alias: string) {
    super('unknown-alias', `Model "${model}" has no alias @${alias}. Set it on a version first.`);
  }
}

export class ArchivedError extends StemmaError {
  constructor(what: string, action: string) {
    super('archived', `${what} is archived, so it cannot ${action}. Restore it first.`);
  }
}

/** A filter that does not parse. `position` is the 0-based offset of the problem. */
export class FilterSyntaxError extends StemmaError {
  readonly position: number;
  readonly query: string;

  constructor(query: string, position: number, problem: string) {
    super(
      'invalid-filter',
      `${problem} at position ${position + 1}: ${query.slice(0, position)}⟨here⟩` +
        `${query.slice(position)}`,
    );
    this.position = position;
    this.query = query;
  }
}

export class InvalidUriError extends StemmaError {
  constructor(uri: string) {
    super(
      'invalid-uri',
      `"${uri}" is not a model URI. Use models:/<name>/<version> or models:/<name>@<alias>.`,
    );
  }
}

export class DescriptionTooLargeError extends StemmaError {
  constructor(bytes: number, limit: number) {
    super(
      'description-too-large',
      `The description is ${(bytes / 1e6).toFixed(2)} MB; the limit is ${limit / 1e6} MB. ` +
        `Shorten it, or attach the long text as a file.`,
    );
  }
}

export class FileReadError extends StemmaError {
  constructor(fileName: string, cause: unknown) {
    super(
      'file-unreadable',
      `Could not read "${fileName}". It may have been moved or deleted since it was chosen; ` +
        `choose it again.`,
      { cause },
    );
  }
}

export class QuotaError extends StemmaError {
  constructor(cause: unknown) {
    super(
      'quota-exceeded',
      'The browser refused to store more data (storage quota exceeded). Nothing was saved. ' +
        'Free space in Settings (export, then archive), or allow this site more storage.',
      { cause },
    );
  }
}

export class InvalidEventError extends StemmaError {
  constructor(eventId: string, problem: string) {
    super('invalid-event', `Event ${eventId.slice(0, 12)}… was rejected: ${problem}.`);
  }
}

export class ImportFormatError extends StemmaError {
  constructor(problem: string, options?: { cause?: unknown }) {
    super(
      'invalid-import',
      `This file is not a Stemma workspace export: ${problem}. Choose a file made by ` +
        `Settings → Export workspace.`,
      options,
    );
  }
}
