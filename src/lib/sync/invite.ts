/**
 * Invite links. The fragment (after `#`), which browsers never send to a server, carries the
 * workspace id (128 random bits), the room password (192 random bits) and the root owner's
 * public key, which every member needs to judge membership events (see `authority.ts`).
 *
 * @example inviteLink('https://stemma.example/join', secrets) // …/join#ws=…&key=…&owner=…
 */
import { InviteLinkError } from './errors';
import { toBase64Url, toHex } from '../store/bytes';

export interface Invite {
  workspaceId: string;
  password: string;
  owner: string;
}

const WORKSPACE_ID = /^[0-9a-f]{32,64}$/;
const TOKEN = /^[A-Za-z0-9_-]{16,200}$/;

/** A fresh workspace id and password for a new team workspace. */
export function newTeamSecrets(): { workspaceId: string; password: string } {
  return {
    workspaceId: toHex(crypto.getRandomValues(new Uint8Array(16))),
    password: toBase64Url(crypto.getRandomValues(new Uint8Array(24))),
  };
}

export function inviteLink(base: string, invite: Invite): string {
  const url = new URL(base);
  const fragment = new URLSearchParams({
    ws: invite.workspaceId,
    key: invite.password,
    owner: invite.owner,
  });
  url.hash = fragment.toString();
  return url.toString();
}

/** Reads an invite from a full link or its fragment; throws `InviteLinkError`. */
export function parseInvite(linkOrFragment: string): Invite {
  const text = String(linkOrFragment ?? '').trim();
  const hash = text.includes('#') ? text.slice(text.indexOf('#') + 1) : text;
  const params = new URLSearchParams(hash);
  const workspaceId = params.get('ws') ?? '';
  const password = params.get('key') ?? '';
  const owner = params.get('owner') ?? '';
  if (!WORKSPACE_ID.test(workspaceId)) {
    throw new InviteLinkError('its workspace id is missing or shorter than 128 bits');
  }
  if (!TOKEN.test(password)) throw new InviteLinkError('its room password is missing');
  if (!/^[A-Za-z0-9_-]{40,200}$/.test(owner)) {
    throw new InviteLinkError("its owner's key is missing");
  }
  return { workspaceId, password, owner };
}
