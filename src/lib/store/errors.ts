/** Errors the store raises beyond the registry's catalogue. */
import { StemmaError } from '../registry/errors';

/**
 * An event whose scope needs a `ScopeFold` reached a log opened without one. Folding it some
 * other way, or skipping it, would leave this browser's state different from its peers'.
 */
export class MissingScopeFoldError extends StemmaError {
  readonly scope: string;

  constructor(scope: string, eventType: string) {
    super(
      'missing-scope-fold',
      `This workspace log cannot fold "${eventType}" events (scope "${scope}"): it was ` +
        `opened without their fold, so nothing was stored. Open the log with ` +
        `openWorkspaceLog() or openRegistry(), which register every fold.`,
    );
    this.scope = scope;
  }
}
