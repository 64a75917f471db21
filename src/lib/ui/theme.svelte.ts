/**
 * Light or dark. "System" follows `prefers-color-scheme`; a pinned choice is kept in
 * localStorage and applied as `data-theme` on the root element, which theme.css reads.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

const storageKey = 'stemma.theme';

function readChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(storageKey);
    if (stored === 'light' || stored === 'dark') return stored;
  } catch {
    // Blocked storage (private windows, sandboxed frames) just means "follow the system".
  }
  return 'system';
}

export class ThemeState {
  choice = $state<ThemeChoice>('system');
  systemDark = $state(false);
  /** The theme on screen now, for code that paints with it (charts). */
  resolved = $derived<'light' | 'dark'>(
    this.choice === 'system' ? (this.systemDark ? 'dark' : 'light') : this.choice,
  );

  /** Reads the saved choice and starts following the system; returns a stop function. */
  start(): () => void {
    this.choice = readChoice();
    this.#apply();

    const media = matchMedia('(prefers-color-scheme: dark)');
    this.systemDark = media.matches;
    const follow = (event: MediaQueryListEvent) => (this.systemDark = event.matches);
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    try {
      if (choice === 'system') localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, choice);
    } catch {
      // The choice still applies to this visit.
    }
    this.#apply();
  }

  #apply(): void {
    const root = document.documentElement;
    if (this.choice === 'system') delete root.dataset.theme;
    else root.dataset.theme = this.choice;
  }
}

export const theme = new ThemeState();
