/**
 * One workspace's events in one Yjs document: a grow-only set, a `Y.Map` from event id to the
 * signed event. Local events (from any command, found through a Dexie hook on the event
 * table) are published into it in small transactions; events that arrive from peers are
 * verified, judged by the `Authority` (roles, protected aliases) and the counted ones are
 * appended to the `EventLog`, the same fold local commands use. Events that do not count stay
 * in the document and are listed with their reason.
 *
 * Every update the document takes in is stored at once, on its own (see `doc-store.ts`). All
 * other work runs in one pump. Each round verifies a batch of new entries (signatures are
 * async, so before the transaction), then in one transaction extends the audit chain, appends
 * the counted events, and takes out any that stopped counting (a late membership change) with
 * a rebuild of the projections. Starting replays nothing: it takes in again only the stored
 * entries the log does not hold yet. The rounds are written one after another, but the next
 * batch is verified while a round is being written: the signatures are checked on CPU the
 * write leaves idle (see `intake.ts`).
 *
 * @example const sync = await WorkspaceSync.open(registry, { rootOwner: registry.actor.id });
 */
import type { Transaction } from 'dexie';
import * as Y from 'yjs';
import { auditWorkspace, type AuditReport } from './audit';
import { Authority, type Verdict } from './authority';
export type { RefusedEvent } from './refused';
import { Chain, signHead } from './chain';
import { loadDoc, STORAGE_ORIGIN, UpdateWriter } from './doc-store';
import { NotAllowedError } from './errors';
import { type SortedEntries, sortEntries, strip } from './entries';
import { Intake, type Prepared } from './intake';
import { applyChange, judgeAll, judgeNew } from './reconcile';
import { aliasApproval, sealTeamCommand } from './team-commands';
import { listRefused, type RefusedEvent } from './refused';
import {
  INVALID_KEY,
  latestStamp,
  readStoredState,
  unfoldedEntries,
  unpublishedEvents,
} from './resume';
import type { SyncHost, WorkspaceSyncOptions } from './types';
export type { SyncHost, WorkspaceSyncOptions } from './types';
import {
  isTeamEvent,
  type Role,
  type RoleChange,
  type SyncEvent,
  type TeamEvent,
  type TeamEventType,
  type TeamPayloads,
} from './team-events';
import { type StemmaEvent } from '../store/event';
import { HybridClock } from '../store/hlc';
import { type Identity, loadIdentity } from '../store/identity';
import type { EventRow } from '../store/schema';
import { logger } from '../logging/logger';

const log = logger('sync');

/** The origin of updates this browser makes itself. */
export const LOCAL_ORIGIN = Symbol('stemma-local');

export class WorkspaceSync {
  readonly doc = new Y.Doc();
  readonly events: Y.Map<unknown> = this.doc.getMap('events');
  private authority: Authority;
  private readonly team = new Map<string, TeamEvent>();
  private readonly invalid = new Map<string, string>();
  private readonly clock = new HybridClock();
  private readonly intake: Intake;
  private readonly writer: UpdateWriter;
  /** The batch verified while a round is written; its entries are not judged yet. */
  private ahead: Prepared | null = null;
  /** The batch being verified or written now. */
  private inRound: Prepared | null = null;
  private readonly pendingLocal = new Map<string, StemmaEvent>();
  private running: Promise<void> | null = null;
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
    this.intake = new Intake(options.roundEntries);
    this.writer = new UpdateWriter(host.log.db, options.compactAfter);
  }

  static async open(host: SyncHost, options: WorkspaceSyncOptions): Promise<WorkspaceSync> {
    const full: Required<WorkspaceSyncOptions> = {
      identityDb: 'stemma-identity',
      compactAfter: 64,
      publishBatch: 200,
      roundEntries: 2_000,
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

  /** The last failure to store the document's updates; null when the last write went well. */
  get storeError(): unknown {
    return this.writer.lastError;
  }

  /** Entries received (and stored) that the pump has not judged and folded yet. */
  get merging(): number {
    const batches = [this.inRound, this.ahead].filter((batch) => batch !== null);
    return this.intake.size + batches.reduce((sum, batch) => sum + batch.keys.size, 0);
  }

  private get db() {
    return this.host.log.db;
  }

  private async start(): Promise<void> {
    const rows = await loadDoc(this.db, this.doc);
    const known = await readStoredState(this.db, this.events);
    for (const [id, reason] of known.invalid) this.invalid.set(id, reason);
    for (const [id, event] of known.team) this.team.set(id, event);
    this.authority = new Authority(this.options.rootOwner, this.team.values());
    const latest = latestStamp(this.events);
    if (latest) this.clock.observe(latest);

    this.events.observe((event) => {
      this.intake.addKeys(event.keysChanged);
      this.schedule();
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== STORAGE_ORIGIN) this.writer.add(update);
    });
    this.db.events.hook('creating', this.onCreating);
    this.host.setCommitGuard?.((events) => this.guard(events));

    const { inLog, unpublished } = await unpublishedEvents(this.db, this.events);
    for (const event of unpublished) this.pendingLocal.set(event.id, event);
    this.schedule();
    await this.settled();
    // Folded in the background: a backlog of thousands must not hold up connecting.
    const unfolded = unfoldedEntries(this.events, inLog, known);
    this.intake.addKeys(unfolded);
    this.schedule();
    log.debug('sync started', {
      storedRows: rows,
      entries: this.events.size,
      unpublished: unpublished.length,
      unfolded: unfolded.length,
    });
  }

  /** Resolves once every pending entry and update has been processed. */
  async settled(): Promise<void> {
    // A local event's commit schedules the pump when it completes, which can be just after
    // the command's caller resumes: start it here rather than return with the event pending.
    if (!this.running) this.schedule();
    while (this.running || this.writer.busy) {
      await this.running;
      await this.writer.settled();
    }
  }

  /** Resolves once every update the document took in so far is stored (see `doc-store.ts`). */
  stored(): Promise<void> {
    return this.writer.stored();
  }

  /** Called after each round that changed something (members, refusals, the log). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify() {
    for (const listener of this.listeners) listener();
  }

  private hasWork() {
    return !this.intake.empty || this.pendingLocal.size > 0;
  }

  private schedule(): void {
    if (this.running || this.closed || !this.hasWork()) return;
    this.running = (async () => {
      // Start on a later tick, so `running` is set before the body can clear it.
      await Promise.resolve();
      let grew = false;
      // A large backlog (a teammate's offline work) takes seconds: say so before the first round.
      if (this.intake.size > this.options.roundEntries) this.notify();
      try {
        let next = this.prepareIfWork();
        while (next) {
          this.inRound = next;
          const waited = performance.now();
          const entries = await next.sorted;
          this.ahead = next = this.prepareIfWork();
          const written = performance.now();
          grew = (await this.round(entries)) || grew;
          log.debug('sync round', {
            entries: entries.fresh.length,
            verifyWaitMs: Math.round(written - waited),
            writeMs: Math.round(performance.now() - written),
            waiting: this.intake.size,
          });
          // Entries that arrived while the round was written, with no batch ahead.
          next ??= this.prepareIfWork();
        }
        this.lastError = null;
      } catch (error) {
        this.lastError = error;
        log.error('sync round failed; the entries stay in the document for the next round', error);
        // Taken but never written: the next pump takes these entries again.
        if (this.ahead) this.intake.giveBack(this.ahead.batch);
      }
      try {
        // Once per pump, not per round: records past the signed head are still linked to it.
        if (grew) await signHead(this.db, this.identity);
      } catch (error) {
        this.lastError = error;
        log.error('sync could not sign the audit chain head; the next pump signs it', error);
      } finally {
        this.ahead = this.inRound = null;
        this.running = null;
      }
      // Work that arrived while the head was signed. Not after a failure: it would only fail
      // again; the next change to the document starts the pump anew.
      if (!this.lastError) this.schedule();
      if (!this.running) this.writer.compactIfDue();
    })();
  }

  /** Publishes local events, takes the next batch and starts sorting it; null when idle. */
  private prepareIfWork(): Prepared | null {
    if (!this.hasWork() || this.closed) return null;
    if (this.pendingLocal.size) {
      const local = [...this.pendingLocal.values()].filter((event) => !this.events.has(event.id));
      this.pendingLocal.clear();
      this.publish(local);
    }
    const batch = this.intake.take();
    const sorted = sortEntries(batch.keys, { events: this.events, team: this.team, db: this.db });
    // The pump awaits it later; until then a failure must not be reported as unhandled.
    sorted.catch(() => {});
    return { batch, sorted, keys: new Set(batch.keys) };
  }

  /** Entries not judged yet: waiting in the intake, or being verified for the next round. */
  private readonly unverified = (key: string) =>
    this.intake.has(key) || (this.ahead?.keys.has(key) ?? false);

  /** Puts events into the document, a bounded number per Yjs transaction. */
  private publish(events: SyncEvent[]): void {
    const size = this.options.publishBatch;
    for (let start = 0; start < events.length; start += size) {
      this.doc.transact(() => {
        for (const event of events.slice(start, start + size)) this.events.set(event.id, event);
      }, LOCAL_ORIGIN);
    }
  }

  /** Writes one sorted batch; true when it extended the audit chain. */
  private async round(sorted: SortedEntries): Promise<boolean> {
    const { fresh, restore, rejected } = sorted;
    if (restore.length) this.publish(restore);
    let invalidChanged = rejected.size > 0;
    for (const event of fresh) invalidChanged = this.invalid.delete(event.id) || invalidChanged;
    for (const [key, reason] of rejected) this.invalid.set(key, reason);

    const newTeam = fresh.filter(isTeamEvent).filter((event) => !this.team.has(event.id));
    for (const event of newTeam) this.team.set(event.id, event);
    if (newTeam.length) this.authority = new Authority(this.options.rootOwner, this.team.values());
    const stored = fresh.filter((event): event is StemmaEvent => !isTeamEvent(event));
    for (const event of fresh) this.clock.observe(event.hlc);

    const db = this.db;
    let changedLog = false;
    let grew = false;
    // Every table but the stored updates, whose writes need not wait for a round.
    const tables = db.tables.filter((table) => table.name !== db.syncUpdates.name);
    await db.transaction('rw', tables, async () => {
      const chained = await this.chain.extend(fresh.map((event) => event.id));
      const change = newTeam.length
        ? await judgeAll(this.authority, db, {
            events: this.events,
            invalid: this.invalid,
            unverified: this.unverified,
          })
        : await judgeNew(this.authority, db, stored);
      changedLog = await applyChange(this.host.log, change);
      if (invalidChanged) await db.meta.put({ key: INVALID_KEY, value: [...this.invalid] });
      grew = chained.length > 0;
    });
    if (changedLog) {
      const latest = fresh.reduce((top, event) => (event.hlc > top ? event.hlc : top), '');
      this.host.absorbed(latest || null);
    }
    this.inRound = null;
    this.notify();
    return grew;
  }

  // Team commands: sealed, checked against the rules as they stand here, then published.

  private async teamCommand<T extends TeamEventType>(
    type: T,
    entity: string,
    payload: TeamPayloads[T],
  ): Promise<TeamEvent<T>> {
    const { identity, team } = this;
    const context = { hlc: this.clock.now(), identity, rootOwner: this.options.rootOwner };
    const event = await sealTeamCommand(type, entity, payload, { ...context, team: team.values() });
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
    const approval = aliasApproval(this.events, eventId, this.identity.actor);
    return this.teamCommand('alias.move.approved', eventId, approval);
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
