/**
 * The opened registry, shared by every page. The root layout opens it once; pages read
 * `registry` and re-run their queries whenever `revision` moves, which it does after every
 * change, made here or in another tab.
 */
import type { Registry } from '$lib/registry/api';
import type { ActorInfo } from '$lib/registry/types';
import { logger } from '$lib/logging/logger';
import { errorMessage } from './form-errors';

const log = logger('ui');

export class RegistryState {
  registry = $state.raw<Registry | null>(null);
  actor = $state.raw<ActorInfo | null>(null);
  /** Bumped on every change notification; read it to depend on "anything changed". */
  revision = $state(0);
  /** Why the registry could not be opened, shown instead of the app. */
  failure = $state<string | null>(null);
  #unsubscribe: (() => void) | null = null;

  /** Opens the registry with `open` unless it is already open. */
  async open(open: () => Promise<Registry>): Promise<void> {
    if (this.registry) return;

    try {
      const registry = await open();
      this.#unsubscribe = registry.subscribe(() => this.#changed());
      this.registry = registry;
      this.actor = { ...registry.actor };
      log.info('registry opened', { actor: registry.actor.id });
    } catch (error) {
      log.error('could not open the registry', error);
      this.failure = errorMessage(error);
    }
  }

  /** The registry, for event handlers that only run once the app has rendered. */
  get required(): Registry {
    if (!this.registry) throw new Error('The registry is not open yet; wait for the page to load.');
    return this.registry;
  }

  /** True until the user has chosen how teammates will see them. */
  get needsDisplayName(): boolean {
    return this.actor !== null && this.actor.displayName.trim() === '';
  }

  async setDisplayName(name: string): Promise<void> {
    await this.required.setDisplayName(name);
    this.actor = { ...this.required.actor, displayName: name };
  }

  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.registry?.close();
    this.registry = null;
  }

  #changed(): void {
    this.revision += 1;
    if (this.registry) this.actor = { ...this.registry.actor };
  }
}

export const stemma = new RegistryState();
