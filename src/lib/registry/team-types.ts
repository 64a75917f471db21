/**
 * Team sharing as pages see it: one object, `registry.team`, that says who is connected,
 * who holds which role and what was refused, and takes the commands an owner or a
 * maintainer gives. The machinery (Yjs document, providers, rules) is in `src/lib/sync`.
 */
import type { AuditReport } from '../sync/audit';
import type { Member } from '../sync/authority';
import type { ResolvedConflict } from '../sync/conflicts';
import type { PresenceEntry } from '../sync/presence';
import type { RefusedEvent } from '../sync/refused';
import type { Role, RoleChange } from '../sync/team-events';
import type { TransportState } from '../sync/states';
import type { TransportSettings } from '../sync/transport';
import type { FileRef } from './types';

export type {
  AuditReport,
  Member,
  PresenceEntry,
  RefusedEvent,
  ResolvedConflict,
  Role,
  RoleChange,
  TransportSettings,
  TransportState,
};
export type { AuditEntry, AuditProblem } from '../sync/audit';

/** How this browser reaches teammates; saved per workspace. */
export type ConnectionSettings = Omit<TransportSettings, 'joinTimeoutMs'>;

/** A held move of a protected alias, waiting for an approval. */
export interface HeldAliasMove {
  eventId: string;
  modelName: string;
  alias: string;
  /** The version number it would point to; null for a removal. */
  versionNumber: number | null;
  actor: string;
  actorName: string;
  /** True when this browser's member may approve it (not its author, can write). */
  canApprove: boolean;
}

/** Everything the team page shows, read at once. */
export interface TeamSnapshot {
  /** False until the stored team state has been read after opening. */
  ready: boolean;
  /** False until this workspace is shared (or was joined from an invite). */
  shared: boolean;
  /** The invite link to hand to teammates; null when not shared. */
  inviteLink: string | null;
  /** This browser's member. */
  me: { actor: string; role: Role | null };
  /** The workspace creator, an owner forever. */
  owner: string | null;
  connection: { state: TransportState; text: string; peers: number };
  /** Teammates connected directly (WebRTC), who could send a file. */
  fileSources: number;
  /** True while the user has paused sync to work apart; changes wait in this browser. */
  paused: boolean;
  /** Teammates' events received and kept here, not yet merged into the registry's lists. */
  merging: number;
  teammates: PresenceEntry[];
  members: Member[];
  protectedAliases: { modelId: string; modelName: string; alias: string }[];
  /** Entries of the document that do not count: forged, not allowed, held. */
  refused: RefusedEvent[];
  settings: ConnectionSettings;
  /** The last sync failure, in words; null when the last round went well. */
  problem: string | null;
}

export interface TeamRegistry {
  /** The current state; cheap, read it again after every `subscribe` callback. */
  snapshot(): TeamSnapshot;
  /** Called whenever the team state changes (peers, roles, refusals, connection). */
  subscribe(listener: () => void): () => void;
  /** Starts syncing when this workspace is shared; the app calls it once after opening. */
  resume(): Promise<void>;
  /**
   * Makes this workspace a team workspace with this member as its owner and starts sharing.
   * `base` is the address invite links open (this app's `/join`). Returns the invite link.
   */
  share(base: string): Promise<string>;
  /** Owners: gives a member a role, or takes it away (`removed`). */
  setRole(actor: string, role: RoleChange, name?: string): Promise<void>;
  /** Owners: protects (or frees) an alias of a model, named by the model's name. */
  protectAlias(modelName: string, alias: string, on: boolean): Promise<void>;
  /** Moves of protected aliases waiting for an approval. */
  heldMoves(): Promise<HeldAliasMove[]>;
  /** Maintainers and owners other than its author: lets a held move count. */
  approveAliasMove(eventId: string): Promise<void>;
  /** Conflicts the fold resolved (versions renumbered, simultaneous alias moves). */
  conflicts(): Promise<ResolvedConflict[]>;
  /** Verifies the whole stored history and names the first event that was tampered with. */
  audit(): Promise<AuditReport>;
  /** Saves how to connect and reconnects with it. */
  saveSettings(settings: ConnectionSettings): Promise<void>;
  /** Pauses sync (work apart) or resumes it; what was done meanwhile merges on resuming. */
  setPaused(paused: boolean): Promise<void>;
  /**
   * Fetches a file's bytes from a connected teammate who keeps them, in chunks, with progress;
   * verified against its SHA-256 and size, then kept here. Throws `FileUnavailableError` when
   * no connected teammate has it, `FileCorruptError` when what arrived does not match.
   */
  fetchFile(file: FileRef, onProgress?: (fraction: number) => void): Promise<Blob>;
  /** Tells teammates which page this member is on. */
  setPage(path: string): void;
}
