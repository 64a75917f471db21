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

/** No connected teammate could send a file's bytes. */
export class FileUnavailableError extends StemmaError {
  constructor(name: string, peers: number) {
    super(
      'file-unavailable',
      peers === 0
        ? `Cannot fetch ${name}: no teammate is connected. Fetch it when someone who keeps ` +
            'the file has Stemma open with this workspace.'
        : `Cannot fetch ${name}: none of the ${peers} connected teammate(s) keeps its bytes. ` +
            'Ask whoever registered it to open Stemma; files are kept where they were added.',
    );
  }
}

/** A file arrived with other bytes than the registry recorded; it was not kept. */
export class FileCorruptError extends StemmaError {
  constructor(name: string, received: number, expected: number) {
    super(
      'file-corrupt',
      `${name} arrived damaged (${received} of ${expected} bytes, or a different SHA-256), so ` +
        'it was not kept. Try again; if it happens again, the sender’s copy is not the file ' +
        'that was registered.',
    );
  }
}

/** This page already holds the workspace's room; y-webrtc allows one member of a room each. */
export class RoomInUseError extends StemmaError {
  constructor() {
    super(
      'room-in-use',
      'This workspace is already connected to its teammates from this page. Stop sharing ' +
        'in the other registry open here (Settings → Team → Pause) before connecting again.',
    );
  }
}
