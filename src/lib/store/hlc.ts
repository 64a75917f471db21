/**
 * A hybrid logical clock. Stamps are strings that sort in causal order: wall-clock
 * milliseconds (15 digits) then a counter (6 digits). A stamp issued after observing another
 * is always greater, even when this machine's clock is behind, so an event that depends on
 * another (an alias set on a version just received) sorts after it on every peer.
 *
 * @example const clock = new HybridClock(); const stamp = clock.now(); clock.observe(remote);
 */
const WALL_DIGITS = 15;
const COUNTER_DIGITS = 6;
const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;

export interface HlcParts {
  wall: number;
  counter: number;
}

export function formatHlc({ wall, counter }: HlcParts): string {
  return `${String(wall).padStart(WALL_DIGITS, '0')}:${String(counter).padStart(COUNTER_DIGITS, '0')}`;
}

const HLC_PATTERN = new RegExp(`^(\\d{${WALL_DIGITS}}):(\\d{${COUNTER_DIGITS}})$`);

/** Splits a stamp; returns null for anything that is not one. */
export function parseHlc(stamp: string): HlcParts | null {
  const match = HLC_PATTERN.exec(stamp);
  if (!match) return null;
  return { wall: Number(match[1]), counter: Number(match[2]) };
}

/** Milliseconds since the epoch of a stamp (0 for a malformed one). */
export function hlcTime(stamp: string): number {
  return parseHlc(stamp)?.wall ?? 0;
}

export class HybridClock {
  private last: HlcParts = { wall: 0, counter: 0 };

  constructor(private readonly wallClock: () => number = Date.now) {}

  /** A fresh stamp, greater than every stamp issued or observed so far. */
  now(): string {
    const wall = this.wallClock();
    if (wall > this.last.wall) this.last = { wall, counter: 0 };
    else this.bump();
    return formatHlc(this.last);
  }

  /** Moves the clock past a stamp seen on another peer. */
  observe(stamp: string): void {
    const remote = parseHlc(stamp);
    if (!remote) return;
    if (
      remote.wall > this.last.wall ||
      (remote.wall === this.last.wall && remote.counter > this.last.counter)
    ) {
      this.last = { ...remote };
    }
  }

  private bump(): void {
    if (this.last.counter < MAX_COUNTER)
      this.last = { ...this.last, counter: this.last.counter + 1 };
    else this.last = { wall: this.last.wall + 1, counter: 0 };
  }
}
