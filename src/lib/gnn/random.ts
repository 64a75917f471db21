/**
 * A small seeded random number generator. Weight initialisation, dropout masks and negative
 * samples all draw from it, so two runs with the same seed train the same model on the same
 * backend. `Math.random` cannot be seeded, hence this.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // Mixing the seed first keeps small neighbouring seeds (0, 1, 2...) far apart.
    this.state = mix32(seed >>> 0) || 0x9e3779b9;
  }

  /** A float in [0, 1), mulberry32. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, bound). */
  int(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** A 31-bit integer, e.g. a seed for a TensorFlow.js op that takes one. */
  seed(): number {
    return Math.floor(this.next() * 0x7fffffff);
  }

  /** A standard normal sample (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

/** A 32-bit integer hash (murmur3 finaliser): spreads nearby inputs over the whole range. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
