/**
 * The team snapshot of the open registry, kept current: components read `team.snapshot` and
 * re-render when peers come and go, roles change or events are refused. Create it while a
 * component initialises.
 */
import type { TeamSnapshot } from '$lib/registry';
import { stemma } from './registry-state.svelte';

export class TeamState {
  snapshot = $state.raw<TeamSnapshot | null>(null);

  constructor() {
    $effect(() => {
      const registry = stemma.registry;
      if (!registry) return;
      this.snapshot = registry.team.snapshot();
      return registry.team.subscribe(() => (this.snapshot = registry.team.snapshot()));
    });
  }

  /** True when this member may change roles and protect aliases. */
  get isOwner(): boolean {
    return this.snapshot?.me.role === 'owner';
  }

  /** A display name for an actor key: the member's or teammate's name, else its stub. */
  nameOf(actor: string): string {
    const snapshot = this.snapshot;
    if (!snapshot) return actor.slice(0, 8);
    if (actor === snapshot.me.actor) return 'you';
    const named =
      snapshot.members.find((member) => member.actor === actor)?.name ||
      snapshot.teammates.find((mate) => mate.actor === actor)?.name;
    return named || `member ${actor.slice(0, 8)}`;
  }
}
