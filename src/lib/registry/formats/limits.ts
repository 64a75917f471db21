/**
 * Limits that keep a hostile or broken file from costing more than a glance: bytes read,
 * time, archive entries, expansion ratio, nesting depth, and how much is listed in results.
 */
import { InspectionAbortedError, InspectionTimeoutError, LimitExceededError } from './errors';
import { formatBytes } from './numbers';

export interface InspectLimits {
  /** Bytes a reader may read from one file, headers and inflated archive entries together. */
  maxBytesRead: number;
  /** Largest single header or text document parsed as a whole (safetensors JSON, model.json). */
  maxHeaderBytes: number;
  /** Wall-clock budget for one file. */
  timeoutMs: number;
  /** Entries an archive may declare. */
  maxZipEntries: number;
  /** Declared uncompressed size over compressed size, per entry. */
  maxCompressionRatio: number;
  /** Bytes one archive entry may inflate to. */
  maxInflatedBytes: number;
  /** Depth of nested messages, arrays, containers or groups. */
  maxNesting: number;
  /** Tensors, layers or keys listed in a result; counts and sums still cover all of them. */
  maxListed: number;
  /** Pickle opcodes executed symbolically per file. */
  maxPickleOps: number;
}

export const DEFAULT_LIMITS: Readonly<InspectLimits> = Object.freeze({
  maxBytesRead: 256 * 1024 * 1024,
  maxHeaderBytes: 100 * 1000 * 1000,
  timeoutMs: 15_000,
  maxZipEntries: 10_000,
  maxCompressionRatio: 100,
  maxInflatedBytes: 128 * 1024 * 1024,
  maxNesting: 64,
  maxListed: 4096,
  maxPickleOps: 20_000_000,
});

/** Fill unset limits from the defaults. */
export function resolveLimits(partial?: Partial<InspectLimits>): InspectLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}

/**
 * The running account of one file's inspection. Readers charge every byte they read and
 * call `checkpoint()` in loops, so a stall or a cancellation surfaces as a named error.
 */
export class ReadBudget {
  readonly limits: InspectLimits;
  bytesRead = 0;
  private readonly deadline: number;
  private readonly signal: AbortSignal | undefined;
  private ticks = 0;

  constructor(limits: InspectLimits, signal?: AbortSignal) {
    this.limits = limits;
    this.deadline = Date.now() + limits.timeoutMs;
    this.signal = signal;
  }

  /** Account for `bytes` about to be read. */
  charge(bytes: number): void {
    this.bytesRead += bytes;
    if (this.bytesRead > this.limits.maxBytesRead) {
      throw new LimitExceededError(
        formatBytes(this.limits.maxBytesRead),
        `reading this file's headers needed more than ${formatBytes(this.bytesRead - bytes)}`,
      );
    }
    this.checkpoint();
  }

  /** Throw when the time is up or the caller cancelled. Cheap enough for inner loops. */
  checkpoint(): void {
    this.ticks += 1;
    if ((this.ticks & 1023) !== 0 && this.ticks > 1) return;
    if (this.signal?.aborted) throw new InspectionAbortedError();
    if (Date.now() > this.deadline) throw new InspectionTimeoutError(this.limits.timeoutMs);
  }

  /** Throw when `depth` passes the nesting limit. */
  checkDepth(depth: number, what: string): void {
    if (depth > this.limits.maxNesting) {
      throw new LimitExceededError(
        `${this.limits.maxNesting} levels`,
        `${what} is nested more than ${this.limits.maxNesting} levels deep`,
      );
    }
  }
}
