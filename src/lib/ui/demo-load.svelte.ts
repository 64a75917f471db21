/**
 * The demo load in progress, shared by the button that starts it and the banner: the empty
 * page (and the button on it) goes away as soon as the first demo model exists, while the
 * load still has most of its links to add.
 */
import { loadDemoWorkspace, type DemoSummary } from '$lib/demo';
import type { Registry } from '$lib/registry/api';

class DemoLoad {
  /** Share done, 0 to 1, while a load runs; null otherwise. */
  progress = $state<number | null>(null);

  async run(registry: Registry): Promise<DemoSummary> {
    this.progress = 0;
    try {
      return await loadDemoWorkspace(registry, {
        onProgress: (fraction) => (this.progress = fraction),
      });
    } finally {
      this.progress = null;
    }
  }
}

export const demoLoad = new DemoLoad();
