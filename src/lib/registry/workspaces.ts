/**
 * The workspaces this browser holds and which one is open. Each is its own IndexedDB
 * database; the personal one (`default`) always exists, and joining a team from an invite
 * link adds one named after the team's workspace id. The choice lives in localStorage, so
 * every tab opens the same workspace after a reload.
 *
 * @example const invite = await prepareJoin(location.href); location.assign('/');
 */
import { openWorkspaceLog } from './lineage-projection';
import { parseInvite, type Invite } from '../sync/invite';
import { logger } from '../logging/logger';

const log = logger('workspaces');

/** Where the open workspace's id is kept; `src/app.html` reads it before the app loads. */
export const ACTIVE_KEY = 'stemma.workspace';
const LIST_KEY = 'stemma.workspaces';
export const PERSONAL_WORKSPACE = 'default';
/** Where a shared workspace keeps its invite (id, password, owner) and connection settings. */
export const TEAM_META_KEY = 'team:invite';
export const TEAM_SETTINGS_KEY = 'team:settings';
export const TEAM_PAUSED_KEY = 'team:paused';

export interface WorkspaceEntry {
  id: string;
  label: string;
}

export interface StoredTeam extends Invite {
  /** y-webrtc signaling servers the invite named; the joiner starts with them. */
  signaling: string[];
  /** The relay the invite named, if any. */
  relayUrl?: string | null;
}

function storage(): Storage | null {
  return typeof localStorage === 'undefined' ? null : localStorage;
}

/** The workspace to open: the one chosen last in this browser, or the personal one. */
export function activeWorkspace(): string {
  return storage()?.getItem(ACTIVE_KEY) || PERSONAL_WORKSPACE;
}

/** Every workspace this browser knows, the personal one first. */
export function knownWorkspaces(): WorkspaceEntry[] {
  let stored: WorkspaceEntry[] = [];
  try {
    const raw = JSON.parse(storage()?.getItem(LIST_KEY) ?? '[]') as unknown;
    if (Array.isArray(raw)) {
      stored = raw.filter(
        (entry): entry is WorkspaceEntry =>
          typeof entry?.id === 'string' && typeof entry?.label === 'string',
      );
    }
  } catch {
    log.warn('the list of workspaces in localStorage is unreadable; starting a new one');
  }
  const others = stored.filter((entry) => entry.id !== PERSONAL_WORKSPACE);
  return [{ id: PERSONAL_WORKSPACE, label: 'Personal workspace' }, ...others];
}

/** Makes `id` the workspace the next page load opens, remembering it under `label`. */
export function chooseWorkspace(id: string, label?: string): void {
  const store = storage();
  if (!store) return;
  const list = knownWorkspaces();
  if (label && !list.some((entry) => entry.id === id)) list.push({ id, label });
  store.setItem(LIST_KEY, JSON.stringify(list));
  store.setItem(ACTIVE_KEY, id);
}

/** The local database name for a team joined from an invite. */
export function teamWorkspaceId(invite: Pick<Invite, 'workspaceId'>): string {
  return `team-${invite.workspaceId}`;
}

const WS_URL = /^wss?:\/\/[^\s]+$/;

/**
 * How an invite says to connect: signaling servers (`sig=`, repeated) and a relay
 * (`relay=`), each checked to be a ws(s) address; anything else is left out.
 */
export function inviteConnection(link: string): { signaling: string[]; relayUrl: string | null } {
  const hash = link.includes('#') ? link.slice(link.indexOf('#') + 1) : link;
  const params = new URLSearchParams(hash);
  const relay = params.get('relay') ?? '';
  return {
    signaling: params
      .getAll('sig')
      .filter((url) => WS_URL.test(url))
      .slice(0, 8),
    relayUrl: WS_URL.test(relay) ? relay : null,
  };
}

/**
 * Reads an invite link (throws `InviteLinkError` when it is unusable), stores the team's
 * secrets in the workspace it opens and makes that workspace the active one. Joining a
 * team already joined only switches to it.
 */
export async function prepareJoin(link: string): Promise<{ workspace: string; invite: Invite }> {
  const invite = parseInvite(link);
  const workspace = teamWorkspaceId(invite);
  const { log: eventLog } = openWorkspaceLog(workspace);
  try {
    await eventLog.db.open();
    const team: StoredTeam = { ...invite, ...inviteConnection(link) };
    const existing = (await eventLog.db.meta.get(TEAM_META_KEY))?.value as StoredTeam | undefined;
    if (!existing) await eventLog.db.meta.put({ key: TEAM_META_KEY, value: team });
  } finally {
    eventLog.close();
  }
  chooseWorkspace(workspace, `Team ${invite.workspaceId.slice(0, 8)}`);
  return { workspace, invite };
}
