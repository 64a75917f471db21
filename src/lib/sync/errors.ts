/** Errors of team sharing. Each says what happened and what the user can do. */
import { StemmaError } from '../registry/errors';

/** The signed-in member's role does not allow this change. */
export class NotAllowedError extends StemmaError {
  constructor(reason: string) {
    super(
      'not-allowed',
      `That change was not made: ${reason}. Ask an owner of this workspace for the role.`,
    );
  }
}

/** An invite link that cannot be used. */
export class InviteLinkError extends StemmaError {
  constructor(problem: string) {
    super(
      'invalid-invite',
      `This invite link cannot be used: ${problem}. Ask the sender to copy the link again ` +
        `from Settings → Team.`,
    );
  }
}
