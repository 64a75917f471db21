/**
 * A registry query that stays current: it runs when the registry opens, again whenever the
 * reactive values it reads before its first `await` change (route params, search params), and
 * again after any change to the registry. Create it while a component initialises.
 */
import type { Registry } from '$lib/registry/api';
import { stemma } from './registry-state.svelte';

export class LiveQuery<T> {
  current = $state.raw<T | undefined>(undefined);
  error = $state.raw<unknown>(null);
  loading = $state(true);
  #ticket = 0;

  constructor(run: (registry: Registry) => Promise<T>) {
    $effect(() => {
      const registry = stemma.registry;
      void stemma.revision;
      if (!registry) return;

      const ticket = ++this.#ticket;
      this.loading = true;
      // A slower, older answer must not overwrite a newer one.
      const settle = (apply: () => void) => {
        if (ticket !== this.#ticket) return;
        apply();
        this.loading = false;
      };

      let pending: Promise<T>;
      try {
        pending = run(registry);
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (value) =>
          settle(() => {
            this.current = value;
            this.error = null;
          }),
        (error: unknown) =>
          settle(() => {
            this.current = undefined;
            this.error = error;
          }),
      );
    });
  }
}
