/**
 * Who may do what, and therefore which events count. Every peer runs these rules over the
 * same set of events and so reaches the same verdicts; nothing depends on arrival order.
 *
 * Rules (all positions are the fold order `(hlc, id)` of `compareEvents`):
 * - The root owner, named by the invite link (the workspace's creator), is an owner from the
 *   beginning of time and no event can change that, so a team can never lose its last owner.
 * - Membership is the chain of `member.role.set` events. One counts when its signer is an owner
 *   at the event's position (counting only the membership events before it) and its target is
 *   not the root owner. A member's role at a position is the last counted change before it.
 * - Concurrent membership changes resolve by fold order, like every other field: of two owners'
 *   changes to one member, the later stamp wins; when owner A removes owner B while B, apart,
 *   adds C, B's change counts only if it sorts before A's removal. A late change therefore
 *   can take rights away from events stamped after it: they stop counting on every peer.
 *   A member can still stamp an event before its own removal (clocks are not proof); the
 *   audit shows the stamp and author of every event.
 * - `actor.named` counts for any member, owner to viewer, naming themselves only. Every other
 *   store event needs a maintainer or an owner.
 * - An owner protects an alias with `alias.protection.set`. A move (`alias.set` or
 *   `alias.removed`) of a protected alias by a non-owner is held, not folded, until a different
 *   member who is a maintainer or owner at the approval's position signs `alias.move.approved`
 *   for that very event. The approved move then counts at its own stamp, so a move stamped
 *   later still wins. Request and approval both stay in the log.
 * - Events that fail these rules are kept in the document and listed with the reason; they
 *   count again by themselves if a missing grant arrives later (it sorts before them).
 */
import type { TeamEvent } from './team-events';
import type { Role } from './team-events';
import { compareEvents, type StemmaEvent } from '../store/event';

export type VerdictStatus = 'counted' | 'rejected' | 'held';

export interface Verdict {
  status: VerdictStatus;
  /** Why it does not count, for the user; empty when counted. */
  reason: string;
}

export interface Member {
  actor: string;
  role: Role;
  name: string;
  /** The counted event that gave the current role; null for the root owner. */
  since: string | null;
  grantedBy: string | null;
}

interface Change<T> {
  hlc: string;
  id: string;
  value: T;
}

const COUNTED: Verdict = { status: 'counted', reason: '' };

/** The last change sorting strictly before `at`, by binary search over sorted changes. */
function valueAt<T>(changes: Change<T>[] | undefined, at: { hlc: string; id: string }) {
  if (!changes) return undefined;
  let lo = 0;
  let hi = changes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareEvents(changes[mid], at) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : changes[lo - 1].value;
}

function push<T>(map: Map<string, Change<T>[]>, key: string, change: Change<T>) {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(change);
}

const aliasKey = (modelId: string, alias: string) => `${modelId}\u0000${alias}`;
const canWrite = (role: Role | undefined) => role === 'owner' || role === 'maintainer';

export class Authority {
  private readonly roles = new Map<string, Change<Role | null>[]>();
  private readonly names = new Map<string, string>();
  private readonly protections = new Map<string, Change<boolean>[]>();
  /** Held event id -> the actors whose counted approvals name it. */
  private readonly approvals = new Map<string, Set<string>>();
  /** Verdicts of the team events themselves. */
  readonly teamVerdicts = new Map<string, Verdict>();
  private readonly granted = new Map<string, { id: string; by: string }>();

  /** @param teamEvents every verified team event of the workspace, in any order */
  constructor(
    readonly rootOwner: string,
    teamEvents: Iterable<TeamEvent>,
  ) {
    const sorted = [...teamEvents].sort(compareEvents);
    for (const event of sorted) this.teamVerdicts.set(event.id, this.applyTeam(event));
  }

  /** The role of `actor` just before position `at`; undefined for a non-member. */
  roleAt(actor: string, at: { hlc: string; id: string }): Role | undefined {
    if (actor === this.rootOwner) return 'owner';
    return valueAt(this.roles.get(actor), at) ?? undefined;
  }

  private applyTeam(event: TeamEvent): Verdict {
    const role = this.roleAt(event.actor, event);
    switch (event.type) {
      case 'member.role.set': {
        if (role !== 'owner') return reject('only an owner can change membership');
        if (event.entity === this.rootOwner) {
          return reject("the workspace creator's ownership cannot be changed");
        }
        const { role: next, name } = (event as TeamEvent<'member.role.set'>).payload;
        push(this.roles, event.entity, {
          hlc: event.hlc,
          id: event.id,
          value: next === 'removed' ? null : next,
        });
        if (name) this.names.set(event.entity, name);
        this.granted.set(event.entity, { id: event.id, by: event.actor });
        return COUNTED;
      }
      case 'alias.protection.set': {
        if (role !== 'owner') return reject('only an owner can protect an alias');
        const payload = (event as TeamEvent<'alias.protection.set'>).payload;
        push(this.protections, aliasKey(event.entity, payload.alias), {
          hlc: event.hlc,
          id: event.id,
          value: payload.protected,
        });
        return COUNTED;
      }
      case 'alias.move.approved': {
        if (!canWrite(role)) return reject('only a maintainer or an owner can approve a move');
        let set = this.approvals.get(event.entity);
        if (!set) this.approvals.set(event.entity, (set = new Set()));
        set.add(event.actor);
        return COUNTED;
      }
    }
    return reject('unknown team event');
  }

  /** True when the alias is protected just before position `at`. */
  isProtected(modelId: string, alias: string, at: { hlc: string; id: string }): boolean {
    return valueAt(this.protections.get(aliasKey(modelId, alias)), at) ?? false;
  }

  /** Whether a store event counts, is held for approval, or is rejected. */
  verdict(event: StemmaEvent): Verdict {
    const role = this.roleAt(event.actor, event);
    if (!role) return reject('its author is not a member of this workspace at its time');
    if (event.type === 'actor.named') {
      return event.entity === event.actor ? COUNTED : reject('a member can only name themself');
    }
    if (!canWrite(role)) return reject(`a ${role} cannot make changes (${event.type})`);
    if (event.type === 'alias.set' || event.type === 'alias.removed') {
      const alias = (event.payload as { alias: string }).alias;
      if (role !== 'owner' && this.isProtected(event.entity, alias, event)) {
        const approvers = this.approvals.get(event.id);
        const approved = approvers && [...approvers].some((actor) => actor !== event.actor);
        if (!approved) {
          return {
            status: 'held',
            reason: `@${alias} is protected: the move waits for an owner or another maintainer`,
          };
        }
      }
    }
    return COUNTED;
  }

  /** Current members (after every counted membership event), root owner first. */
  members(): Member[] {
    const out: Member[] = [
      {
        actor: this.rootOwner,
        role: 'owner',
        name: this.names.get(this.rootOwner) ?? '',
        since: null,
        grantedBy: null,
      },
    ];
    for (const [actor, changes] of this.roles) {
      const role = changes[changes.length - 1].value;
      const grant = this.granted.get(actor)!;
      if (role) {
        out.push({
          actor,
          role,
          name: this.names.get(actor) ?? '',
          since: grant.id,
          grantedBy: grant.by,
        });
      }
    }
    return out;
  }

  /** Protected aliases now, as `[modelId, alias]`. */
  protectedAliases(): [string, string][] {
    return [...this.protections]
      .filter(([, changes]) => changes[changes.length - 1].value)
      .map(([key]) => key.split('\u0000') as [string, string]);
  }
}

function reject(reason: string): Verdict {
  return { status: 'rejected', reason };
}
