/**
 * `registry.team`: turns a workspace into a team workspace and keeps it in sync. It owns the
 * workspace's `WorkspaceSync` (the signed event set and its rules) and the `SyncTransport`
 * (y-webrtc, other tabs, an optional relay), and condenses both into one `TeamSnapshot` for
 * the pages, recomputed after every change so that reading it costs nothing.
 */
import { InvalidInputError, UnknownModelError } from './errors';
import type { ConnectionSettings, HeldAliasMove, TeamRegistry, TeamSnapshot } from './team-types';
import type { ActorInfo, FileRef } from './types';
import { TEAM_META_KEY, TEAM_PAUSED_KEY, TEAM_SETTINGS_KEY, type StoredTeam } from './workspaces';
import { resolvedConflicts } from '../sync/conflicts';
import { NotAllowedError } from '../sync/errors';
import { FileTransfers, type BlobStore } from '../sync/file-transfer';
import { inviteLink, newTeamSecrets } from '../sync/invite';
import { STATE_TEXT } from '../sync/states';
import type { SyncTransport } from '../sync/transport';
import type { SyncHost, WorkspaceSync } from '../sync/workspace-sync';
import type { StemmaEvent } from '../store/event';
import { logger } from '../logging/logger';

const log = logger('team');

/** Loaded once a workspace is shared (see `sync/engine.ts`). */
const syncEngine = () => import('../sync/engine');

/** What the team service needs of the registry that owns it. */
export interface TeamHost extends SyncHost {
  readonly actor: ActorInfo;
}

const NO_SETTINGS: ConnectionSettings = { signaling: [], iceServers: [], relayUrl: null };

/** Checks settings typed into the form; throws `InvalidInputError` naming the bad entry. */
export function checkSettings(raw: ConnectionSettings): ConnectionSettings {
  const signaling = raw.signaling.map((url) => url.trim()).filter(Boolean);
  for (const url of signaling) {
    if (!/^wss?:\/\/\S+$/.test(url)) {
      throw new InvalidInputError(
        `"${url}" is not a signaling server address: use ws:// or wss://, one per line.`,
        'signaling',
      );
    }
  }
  const relayUrl = raw.relayUrl?.trim() || null;
  if (relayUrl && !/^wss?:\/\/\S+$/.test(relayUrl)) {
    throw new InvalidInputError(
      `"${relayUrl}" is not a relay address: a Yjs WebSocket relay starts with ws:// or wss://.`,
      'relayUrl',
    );
  }
  for (const server of raw.iceServers) {
    const urls = Array.isArray(server.urls) ? server.urls : [server.urls];
    if (!urls.length || urls.some((url) => !/^(stun|turns?):\S+$/.test(String(url)))) {
      throw new InvalidInputError(
        'ICE servers are stun:, turn: or turns: addresses, e.g. stun:stun.example.org:3478.',
        'iceServers',
      );
    }
  }
  return { signaling, iceServers: raw.iceServers, relayUrl };
}

function joinBase(): string {
  const origin = typeof location === 'undefined' ? 'http://localhost' : location.origin;
  return `${origin}/join`;
}

export class TeamService implements TeamRegistry {
  private sync: WorkspaceSync | null = null;
  private transport: SyncTransport | null = null;
  private team: StoredTeam | null = null;
  private settings: ConnectionSettings = NO_SETTINGS;
  private page = '/';
  private starting: Promise<void> | null = null;
  private stopped = false;
  private paused = false;
  private ready = false;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private names = new Map<string, string>();
  private modelNames = new Map<string, string>();
  private current: TeamSnapshot;
  private readonly transfers: FileTransfers;

  constructor(
    private readonly host: TeamHost,
    private readonly identityDb: string,
    blobs: BlobStore,
  ) {
    this.transfers = new FileTransfers(blobs);
    this.current = this.compute();
  }

  private get db() {
    return this.host.log.db;
  }

  snapshot(): TeamSnapshot {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  resume(): Promise<void> {
    this.starting ??= (async () => {
      const team = (await this.db.meta.get(TEAM_META_KEY))?.value as StoredTeam | undefined;
      if (team) await this.start(team);
      this.ready = true;
      await this.refresh();
    })();
    return this.starting;
  }

  private async start(team: StoredTeam): Promise<void> {
    this.team = team;
    const saved = (await this.db.meta.get(TEAM_SETTINGS_KEY))?.value as
      ConnectionSettings | undefined;
    this.settings = saved ?? {
      ...NO_SETTINGS,
      signaling: team.signaling,
      relayUrl: team.relayUrl ?? null,
    };
    this.paused = (await this.db.meta.get(TEAM_PAUSED_KEY))?.value === true;
    const { WorkspaceSync } = await syncEngine();
    this.sync = await WorkspaceSync.open(this.host, {
      rootOwner: team.owner,
      identityDb: this.identityDb,
    });
    this.unsubscribe.push(this.sync.subscribe(() => this.changed()));
    await this.connect();
    log.info('team workspace open', { workspace: team.workspaceId.slice(0, 8) });
  }

  private async connect(): Promise<void> {
    const { SyncTransport } = await syncEngine();
    if (!this.sync || !this.team || this.stopped) return;
    this.transport?.stop();
    this.transport = null;
    this.transfers.detachAll();
    if (this.paused) return;
    const transport = await SyncTransport.start(
      this.sync,
      this.team,
      this.settings,
      this.host.actor.displayName,
      this.transfers,
    );
    this.transport = transport;
    transport.presence.setPage(this.page);
    this.unsubscribe.push(
      transport.subscribe(() => this.changed()),
      transport.presence.subscribe(() => this.changed()),
    );
    this.changed();
  }

  async share(base = joinBase()): Promise<string> {
    await this.resume();
    if (!this.team) {
      const team: StoredTeam = { ...newTeamSecrets(), owner: this.host.actor.id, signaling: [] };
      await this.db.meta.put({ key: TEAM_META_KEY, value: team });
      await this.start(team);
      await this.refresh();
    }
    return this.link(base) ?? '';
  }

  private link(base = joinBase()): string | null {
    if (!this.team) return null;
    const url = new URL(inviteLink(base, this.team));
    const fragment = new URLSearchParams(url.hash.slice(1));
    for (const server of this.settings.signaling) fragment.append('sig', server);
    if (this.settings.relayUrl) fragment.set('relay', this.settings.relayUrl);
    url.hash = fragment.toString();
    return url.toString();
  }

  private required(): WorkspaceSync {
    if (!this.sync) {
      throw new NotAllowedError('this workspace is not shared yet; share it on the Team page');
    }
    return this.sync;
  }

  async setRole(actor: string, role: Parameters<WorkspaceSync['setRole']>[1], name?: string) {
    if (typeof actor !== 'string' || !/^[A-Za-z0-9_-]{40,200}$/.test(actor.trim())) {
      throw new InvalidInputError(
        "That is not a member's key: copy it from the teammate list or their Settings page.",
        'actor',
      );
    }
    await this.required().setRole(actor.trim(), role, name || this.names.get(actor) || undefined);
    await this.refresh();
  }

  private async modelIdOf(modelName: string): Promise<string> {
    const model = await this.db.models.where('name').equals(modelName).first();
    if (!model) throw new UnknownModelError(modelName);
    return model.id;
  }

  async protectAlias(modelName: string, alias: string, on: boolean) {
    const cleaned = alias.trim().replace(/^@/, '');
    if (!cleaned) throw new InvalidInputError('Name the alias to protect, e.g. champion.', 'alias');
    await this.required().protectAlias(await this.modelIdOf(modelName), cleaned, on);
    await this.refresh();
  }

  async heldMoves(): Promise<HeldAliasMove[]> {
    const sync = this.sync;
    if (!sync) return [];
    const me = this.host.actor.id;
    const myRole = sync.roleOf(me);
    const out: HeldAliasMove[] = [];
    for (const entry of sync.refused().filter((refused) => refused.status === 'held')) {
      const event = sync.events.get(entry.id) as StemmaEvent<'alias.set'> | undefined;
      if (!event) continue;
      const model = await this.db.models.get(event.entity);
      const version = event.payload.versionId
        ? await this.db.versions.get(event.payload.versionId)
        : undefined;
      out.push({
        eventId: entry.id,
        modelName: model?.name ?? event.entity,
        alias: event.payload.alias,
        versionNumber: version?.number ?? null,
        actor: event.actor,
        actorName: this.names.get(event.actor) ?? '',
        canApprove: event.actor !== me && (myRole === 'owner' || myRole === 'maintainer'),
      });
    }
    return out;
  }

  async approveAliasMove(eventId: string) {
    await this.required().approveAliasMove(eventId);
    await this.refresh();
  }

  conflicts() {
    return resolvedConflicts(this.host.log);
  }

  audit() {
    return this.required().audit();
  }

  async saveSettings(raw: ConnectionSettings): Promise<void> {
    const settings = checkSettings(raw);
    await this.db.meta.put({ key: TEAM_SETTINGS_KEY, value: settings });
    this.settings = settings;
    await this.connect();
    await this.refresh();
  }

  async setPaused(paused: boolean): Promise<void> {
    // Kept across reloads: working apart lasts until the user resumes.
    await this.db.meta.put({ key: TEAM_PAUSED_KEY, value: paused });
    this.paused = paused;
    await this.connect();
    await this.refresh();
  }

  async fetchFile(file: FileRef, onProgress?: (fraction: number) => void): Promise<Blob> {
    const wanted = { sha256: file.sha256, size: file.size, name: file.name };
    const blob = await this.transfers.fetch(wanted, onProgress);
    this.host.absorbed(null);
    return blob;
  }

  setPage(path: string): void {
    this.page = path;
    this.transport?.presence.setPage(path);
  }

  /** Recomputes the snapshot in the background and tells the listeners. */
  private changed(): void {
    void this.refresh();
  }

  /** Reads the names the snapshot shows, recomputes it and tells the listeners. */
  private async refresh(): Promise<void> {
    try {
      const rows = await this.db.actors.toArray();
      const names = new Map(rows.map((row) => [row.id, row.displayName]));
      for (const member of this.sync?.members() ?? []) {
        if (member.name && !names.get(member.actor)) names.set(member.actor, member.name);
      }
      for (const mate of this.transport?.presence.teammates() ?? []) {
        if (mate.name && !names.get(mate.actor)) names.set(mate.actor, mate.name);
      }
      this.names = names;
      const guarded = (this.sync?.protectedAliases() ?? []).map(([modelId]) => modelId);
      for (const model of await this.db.models.bulkGet(guarded)) {
        if (model) this.modelNames.set(model.id, model.name);
      }
    } catch (error) {
      log.warn('could not read member names', error);
    }
    if (this.stopped) return;
    this.current = this.compute();
    for (const listener of this.listeners) listener();
  }

  private compute(): TeamSnapshot {
    const sync = this.sync;
    const transport = this.transport;
    const me = this.host.actor.id;
    const state = transport?.state ?? 'stopped';
    const problem = sync?.lastError ?? sync?.storeError;
    return {
      ready: this.ready,
      shared: this.team !== null,
      inviteLink: this.link(),
      me: { actor: me, role: sync?.roleOf(me) ?? null },
      owner: this.team?.owner ?? null,
      connection: { state, text: STATE_TEXT[state], peers: transport?.peerCount() ?? 0 },
      paused: this.paused,
      merging: sync?.merging ?? 0,
      fileSources: this.transfers.reachable(),
      teammates: transport?.presence.teammates() ?? [],
      members: (sync?.members() ?? []).map((member) => ({
        ...member,
        name: this.names.get(member.actor) || member.name,
      })),
      protectedAliases: (sync?.protectedAliases() ?? []).map(([modelId, alias]) => ({
        modelId,
        modelName: this.modelNames.get(modelId) ?? modelId,
        alias,
      })),
      refused: sync?.refused() ?? [],
      settings: this.settings,
      problem: problem ? (problem instanceof Error ? problem.message : String(problem)) : null,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.unsubscribe.splice(0)) off();
    this.transport?.stop();
    this.transport = null;
    this.transfers.detachAll();
    await this.sync?.close();
    this.sync = null;
  }
}
