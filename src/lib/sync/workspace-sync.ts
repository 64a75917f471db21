/**
 * One workspace's events in one Yjs document: a grow-only set, a `Y.Map` from event id to the
 * signed event. Local events (from any command, found through a Dexie hook on the event
 * table) are published into it in small transactions; events that arrive from peers are
 * verified, judged by the `Authority` (roles, protected aliases) and the counted ones are
 * appended to the `EventLog`, the same fold local commands use. Events that do not count stay
 * in the document and are listed with their reason.
 *
 * All work runs in one serial pump. Each round verifies the new entries (signatures are async,
 * so before the transaction), then in one transaction extends the audit chain, appends the
 * counted events, takes out any that stopped counting (a late membership change) with a
 * rebuild of the projections, and stores the Yjs update that carried them. What is stored is
 * therefore always what was folded, and starting needs no replay (see `doc-store.ts`).
 *
 * @example const sync = await WorkspaceSync.open(registry, { rootOwner: registry.actor.id });
 */
import type { Transaction } from 'dexie';
import * as Y from 'yjs';
import { auditWorkspace, type AuditReport } from './audit';
import { Authority, type Verdict } from './authority';
export type { RefusedEvent } from './refused';
import { Chain, HEAD_KEY, type ChainHead } from './chain';
import { compactDoc, loadDoc, STORAGE_ORIGIN, storeUpdates } from './doc-store';
import { NotAllowedError } from './errors';
import { sortEntries, strip } from './entries';
import { listRefused, type RefusedEvent } from './refused';
import {
  isTeamEvent,
  type Role,
  type RoleChange,
  sealTeamEvent,
  type SyncEvent,
  type TeamEvent,
  type TeamEventType,
  type TeamPayloads,
} from './team-events';
import { type StemmaEvent } from '../store/event';
import { HybridClock } from '../store/hlc';
import { type Identity, loadIdentity } from '../store/identity';
import type { EventLog } from '../store/log';
import type { EventRow } from '../store/schema';
import { logger } from '../logging/logger';

const log = logger('sync');

/** What sync needs from the registry it serves (`EventRegistry` fits). */
export interface SyncHost {
  readonly log: EventLog;
  /** Called after peers' events changed the log: move the clock past `latest`, refresh views. */
  absorbed(latest: string | null): void;
  /** Lets sync refuse, before anything is stored, local writes the member's role forbids. */
  setCommitGuard?(guard: ((events: StemmaEvent[]) => void) | null): void;
}

export interface WorkspaceSyncOptions {
  /** The workspace creator's actor id, from the invite link; an owner forever. */
  rootOwner: string;
  /** Where this browser's signing identity lives (tests give each peer its own). */
  identityDb?: string;
  /** Stored update rows are merged into one past this count. */
  compactAfter?: number;
  /** Most events per Yjs transaction when publishing, so that each update stays small. */
  publishBatch?: number;
}

/** The origin of updates this browser makes itself. */
export const LOCAL_ORIGIN = Symbol('stemma-local');
const INVALID_KEY = 'sync:invalid';

export class WorkspaceSync {
  readonly doc = new Y.Doc();
  readonly events: Y.Map<unknown> = this.doc.getMap('events');
  private authority: Authority;
  private readonly team = new Map<string, TeamEvent>();
  private readonly invalid = new Map<string, string>();
  private readonly clock = new HybridClock();
  private pendingKeys = new Set<string>();
  private pendingUpdates: Uint8Array[] = [];
  private readonly pendingLocal = new Map<string, StemmaEvent>();
  private running: Promise<void> | null = null;
  private rounds = 0;
  private closed = false;
  private readonly listeners = new Set<() => void>();
  /** The last failure of the pump, shown in Settings; cleared by the next good round. */
  lastError: unknown = null;

  private constructor(
    private readonly host: SyncHost,
    private readonly identity: Identity,
    private readonly chain: Chain,
    readonly options: Required<WorkspaceSyncOptions>,
  ) {
    this.authority = new Authority(options.rootOwner, []);
  }

  static async open(host: SyncHost, options: WorkspaceSyncOptions): Promise<WorkspaceSync> {
    const full: Required<WorkspaceSyncOptions> = {
      identityDb: 'stemma-identity',
      compactAfter: 64,
      publishBatch: 200,
      ...options,
    };
    const identity = await loadIdentity(full.identityDb);
    const chain = await Chain.open(host.log.db, host.log.workspaceId);
    const sync = new WorkspaceSync(host, identity, chain, full);
    await sync.start();
    return sync;
  }

  get actor(): string {
    return this.identity.actor;
  }

  private get db() {
    return this.host.log.db;
  }

  private async start(): Promise<void> {
    const rows = await loadDoc(this.db, this.doc);
    const invalid = (await this.db.meta.get(INVALID_KEY))?.value as [string, string][] | undefined;
    for (const [id, reason] of invalid ?? []) this.invalid.set(id, reason);
    // What was stored was verified before it was stored; the audit checks it again.
    for (const [key, value] of this.events) {
      if (this.invalid.has(key) || !isTeamEvent(value as { type: string })) continue;
      this.team.set(key, value as TeamEvent);
    }
    this.authority = new Authority(this.options.rootOwner, this.team.values());
    this.observeLatestStamps();

    this.events.observe((event) => {
      for (const key of event.keysChanged) this.pendingKeys.add(key);
      this.schedule();
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === STORAGE_ORIGIN) return;
      this.pendingUpdates.push(update);
      this.schedule();
    });
    this.db.events.hook('creating', this.onCreating);
    this.host.setCommitGuard?.((events) => this.guard(events));

    // Events made while sync was not running (or before the workspace was shared).
    const ids = (await this.db.events.toCollection().primaryKeys()) as string[];
    const missing = ids.filter((id) => !this.events.has(id));
    if (missing.length) {
      for (const row of await this.db.events.bulkGet(missing)) {
        if (row) this.pendingLocal.set(row.id, strip(row) as StemmaEvent);
      }
    }
    log.debug('sync started', {
      storedRows: rows,
      entries: this.events.size,
      unpublished: missing,
    });
    this.schedule();
    await this.settled();
  }

  private observeLatestStamps() {
    let latest = '';
    for (const value of this.events.values()) {
      const hlc = (value as { hlc?: unknown }).hlc;
      if (typeof hlc === 'string' && hlc > latest) latest = hlc;
    }
    if (latest) this.clock.observe(latest);
  }

  /** Resolves once every pending entry and update has been processed. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Called after each round that changed something (members, refusals, the log). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private hasWork() {
    return this.pendingKeys.size > 0 || this.pendingUpdates.length > 0 || this.pendingLocal.size;
  }

  private schedule(): void {
    if (this.running || this.closed || !this.hasWork()) return;
    this.running = (async () => {
      // Start on a later tick, so `running` is set before the body can clear it.
      await Promise.resolve();
      try {
        while (this.hasWork() && !this.closed) await this.round();
        this.lastError = null;
      } catch (error) {
        this.lastError = error;
        log.error('sync round failed; the entries stay in the document for the next round', error);
      } finally {
        this.running = null;
      }
    })();
  }

  /** Puts events into the document, a bounded number per Yjs transaction. */
  private publish(events: SyncEvent[]): void {
    const size = this.options.publishBatch;
    for (let start = 0; start < events.length; start += size) {
      this.doc.transact(() => {
        for (const event of events.slice(start, start + size)) this.events.set(event.id, event);
      }, LOCAL_ORIGIN);
    }
  }

  private async round(): Promise<void> {
    if (this.pendingLocal.size) {
      const local = [...this.pendingLocal.values()].filter((event) => !this.events.has(event.id));
      this.pendingLocal.clear();
      this.publish(local);
    }
    const keys = [...this.pendingKeys];
    this.pendingKeys = new Set();
    const updates = this.pendingUpdates;
    this.pendingUpdates = [];

    const { fresh, restore, invalidChanged } = await sortEntries(keys, {
      events: this.events,
      team: this.team,
      db: this.db,
      invalid: this.invalid,
    });
    if (restore.length) this.publish(restore);

    const newTeam = fresh.filter(isTeamEvent).filter((event) => !this.team.has(event.id));
    for (const event of newTeam) this.team.set(event.id, event);
    if (newTeam.length) this.authority = new Authority(this.options.rootOwner, this.team.values());
    const stored = fresh.filter((event): event is StemmaEvent => !isTeamEvent(event));
    for (const event of fresh) this.clock.observe(event.hlc);

    const db = this.db;
    let changedLog = false;
    let grew = false;
    await db.transaction('rw', db.tables, async () => {
      const chained = await this.chain.extend(fresh.map((event) => event.id));
      const { add, remove } = newTeam.length
        ? await this.reconcileAll()
        : await this.reconcile(stored);
      if (remove.length) {
        await db.events.bulkDelete(remove);
        if (add.length) await this.host.log.append(add);
        await this.host.log.rebuildProjections();
        log.info('events stopped counting after a membership change', { count: remove.length });
      } else if (add.length) {
        const result = await this.host.log.append(add);
        changedLog = result.added.length > 0;
      }
      changedLog ||= remove.length > 0;
      await storeUpdates(db, updates);
      if (invalidChanged) await db.meta.put({ key: INVALID_KEY, value: [...this.invalid] });
      grew = chained.length > 0;
    });
    if (grew) await this.signHead();
    if (changedLog) {
      const latest = fresh.reduce((top, event) => (event.hlc > top ? event.hlc : top), '');
      this.host.absorbed(latest || null);
    }
    if (++this.rounds % 16 === 0) await compactDoc(db, this.options.compactAfter);
    for (const listener of this.listeners) listener();
  }

  /** Verdicts for new store events only: team rules did not change. */
  private async reconcile(events: StemmaEvent[]) {
    const add = events.filter((event) => this.authority.verdict(event).status === 'counted');
    const refused = events.filter((event) => !add.includes(event)).map((event) => event.id);
    const present = refused.length ? await this.db.events.bulkGet(refused) : [];
    return { add, remove: refused.filter((_, index) => present[index]) };
  }

  /** Team rules changed: judge every store event of the document again. */
  private async reconcileAll() {
    const counted = new Map<string, StemmaEvent>();
    // Entries that arrived during this round are not verified yet: the next round judges them.
    const unverified = this.pendingKeys;
    for (const [key, value] of this.events) {
      const event = value as StemmaEvent;
      if (this.invalid.has(key) || unverified.has(key) || isTeamEvent(event)) continue;
      if (this.authority.verdict(event).status === 'counted') {
        counted.set(key, strip(event) as StemmaEvent);
      }
    }
    const inLog = new Set((await this.db.events.toCollection().primaryKeys()) as string[]);
    // Local events not yet published are judged when they are.
    const remove = [...inLog].filter(
      (id) => this.events.has(id) && !unverified.has(id) && !counted.has(id),
    );
    const add = [...counted.values()].filter((event) => !inLog.has(event.id));
    return { add, remove };
  }

  /** Signs the chain's last record, so that a rewritten chain is caught (see chain.ts). */
  private async signHead(): Promise<void> {
    const last = await this.db.syncChain.orderBy('seq').last();
    if (!last) return;
    const sig = await this.identity.sign(`${last.seq}:${last.hash}`);
    const head: ChainHead = { seq: last.seq, hash: last.hash, actor: this.identity.actor, sig };
    await this.db.meta.put({ key: HEAD_KEY, value: head });
  }

  // Team commands: sealed, checked against the rules as they stand here, then published.

  private async teamCommand<T extends TeamEventType>(
    type: T,
    entity: string,
    payload: TeamPayloads[T],
  ): Promise<TeamEvent<T>> {
    const event = await sealTeamEvent(
      { hlc: this.clock.now(), actor: this.identity.actor, type, entity, payload },
      this.identity,
    );
    const trial = new Authority(this.options.rootOwner, [...this.team.values(), event]);
    const verdict = trial.teamVerdicts.get(event.id)!;
    if (verdict.status !== 'counted') throw new NotAllowedError(verdict.reason);
    this.publish([event]);
    await this.settled();
    return event;
  }

  /** Gives `member` a role, or removes them. Owners only. */
  setRole(member: string, role: RoleChange, name?: string) {
    return this.teamCommand('member.role.set', member, name ? { role, name } : { role });
  }

  /** Protects an alias of a model (or lifts the protection). Owners only. */
  protectAlias(modelId: string, alias: string, on = true) {
    return this.teamCommand('alias.protection.set', modelId, { alias, protected: on });
  }

  /** Approves a held move of a protected alias. Maintainers and owners, not its author. */
  async approveAliasMove(eventId: string) {
    const held = this.events.get(eventId) as StemmaEvent<'alias.set'> | undefined;
    if (!held || (held.type !== 'alias.set' && held.type !== 'alias.removed')) {
      throw new NotAllowedError(`there is no alias move ${eventId.slice(0, 12)}… to approve`);
    }
    if (held.actor === this.identity.actor) {
      throw new NotAllowedError('another member has to approve your own move');
    }
    const { alias } = held.payload;
    return this.teamCommand('alias.move.approved', eventId, { modelId: held.entity, alias });
  }

  members() {
    return this.authority.members();
  }

  roleOf(actor: string): Role | undefined {
    return this.members().find((member) => member.actor === actor)?.role;
  }

  protectedAliases() {
    return this.authority.protectedAliases();
  }

  /** The verdict of one entry of the document, for the audit view. */
  verdictOf(id: string): Verdict | null {
    if (this.invalid.has(id)) return { status: 'rejected', reason: this.invalid.get(id)! };
    const team = this.authority.teamVerdicts.get(id);
    if (team) return team;
    const value = this.events.get(id) as StemmaEvent | undefined;
    return value ? this.authority.verdict(value) : null;
  }

  /** Every entry that does not count: forged, not allowed, or held for approval. */
  refused(): RefusedEvent[] {
    return listRefused(this.events, (id) => this.verdictOf(id), this.invalid);
  }

  /** Every verified event of the document (team and store), for audits and tests. */
  teamEvents(): TeamEvent[] {
    return [...this.team.values()];
  }

  /** Verifies the whole stored history; see `audit.ts`. */
  async audit(): Promise<AuditReport> {
    await this.settled();
    return auditWorkspace({
      db: this.db,
      workspaceId: this.host.log.workspaceId,
      events: this.events,
      actor: this.identity.actor,
      verdictOf: (id) => this.verdictOf(id),
    });
  }

  async close(): Promise<void> {
    await this.settled();
    this.closed = true;
    this.db.events.hook('creating').unsubscribe(this.onCreating);
    this.host.setCommitGuard?.(null);
    this.doc.destroy();
  }

  /** Refuses local events that would be rejected here (held alias moves may go ahead). */
  private guard(events: StemmaEvent[]): void {
    for (const event of events) {
      const verdict = this.authority.verdict(event);
      if (verdict.status === 'rejected') throw new NotAllowedError(verdict.reason);
    }
  }

  /** Dexie hook: every event stored by any command of this database instance. */
  private readonly onCreating = (_key: unknown, row: EventRow, transaction: Transaction) => {
    if (this.closed || this.events.has(row.id)) return;
    this.pendingLocal.set(row.id, strip(row) as StemmaEvent);
    transaction.on('complete', () => this.schedule());
  };
}
