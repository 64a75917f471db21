import { chromium, type BrowserContext, type LaunchOptions, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How to launch the browser for a profile; the fixtures fill it from the Playwright config. */
export interface ProfileLaunch {
  launchOptions: LaunchOptions;
  headless: boolean;
  baseURL: string | undefined;
  viewport: { width: number; height: number } | null;
}

/**
 * One Chromium user profile on disk, like one person's browser. IndexedDB, the service worker
 * and its caches live in the profile folder, so they survive `page.reload()` and `restart()`.
 * Two profiles share nothing, like two teammates' machines.
 */
export class BrowserProfile {
  private constructor(
    /** The profile folder: a fresh temporary directory, removed by `dispose()`. */
    readonly dir: string,
    private readonly launch: ProfileLaunch,
    private current: BrowserContext,
  ) {}

  /** Creates a fresh, empty profile and starts a browser on it. */
  static async open(launch: ProfileLaunch): Promise<BrowserProfile> {
    const dir = await mkdtemp(join(tmpdir(), 'stemma-profile-'));
    return new BrowserProfile(dir, launch, await BrowserProfile.start(dir, launch));
  }

  private static start(dir: string, launch: ProfileLaunch): Promise<BrowserContext> {
    return chromium.launchPersistentContext(dir, {
      ...launch.launchOptions,
      headless: launch.headless,
      baseURL: launch.baseURL,
      viewport: launch.viewport,
    });
  }

  /** The running browser. After `restart()` this is a new context. */
  get context(): BrowserContext {
    return this.current;
  }

  /** The browser's first tab (a persistent context always opens one). */
  get page(): Page {
    return this.current.pages()[0];
  }

  /**
   * Quits the browser and starts it again on the same profile, as a user closing and reopening
   * Chromium would. Returns the new first tab, which starts blank: navigate it.
   */
  async restart(): Promise<Page> {
    await this.current.close();
    this.current = await BrowserProfile.start(this.dir, this.launch);
    return this.page;
  }

  /** Quits the browser and deletes the profile folder. */
  async dispose(): Promise<void> {
    await this.current.close();
    await rm(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
