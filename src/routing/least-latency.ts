/**
 * Least-latency balancing: an exponentially weighted moving average (EWMA) of
 * time to first byte per target, with a little exploration so a target that
 * was slow once gets measured again.
 */
import { pickUniformIndex } from './weighted-pick.js';

export interface LatencyTrackerOptions {
  /** Weight of the newest sample in the average, in (0, 1]. Default 0.3. */
  readonly alpha?: number;
  /** Share of picks that go to a uniformly random target, in [0, 1]. Default 0.1. */
  readonly explorationRate?: number;
  /** The average a failure sets at least, in ms. Default 5000. */
  readonly penaltyMs?: number;
  /** The ceiling for repeated failure penalties, in ms, so a recovered target is not shunned for ever. Default 60000. */
  readonly maxPenaltyMs?: number;
}

function checkedOption(name: string, value: number, valid: (value: number) => boolean): number {
  if (!valid(value)) throw new RangeError(`LatencyTracker: ${name} is out of range (${value})`);
  return value;
}

export class LatencyTracker {
  readonly alpha: number;
  readonly explorationRate: number;
  readonly penaltyMs: number;
  readonly maxPenaltyMs: number;
  private readonly averages = new Map<string, number>();

  constructor(options: LatencyTrackerOptions = {}) {
    this.alpha = checkedOption('alpha', options.alpha ?? 0.3, (value) => value > 0 && value <= 1);
    this.explorationRate = checkedOption('explorationRate', options.explorationRate ?? 0.1, (value) => value >= 0 && value <= 1);
    this.penaltyMs = checkedOption('penaltyMs', options.penaltyMs ?? 5000, (value) => Number.isFinite(value) && value > 0);
    this.maxPenaltyMs = checkedOption('maxPenaltyMs', options.maxPenaltyMs ?? 60_000, (value) => Number.isFinite(value) && value >= this.penaltyMs);
  }

  /** Folds one time-to-first-byte sample into the key's average. NaN and infinite samples are ignored; negative ones count as 0. */
  record(key: string, milliseconds: number): void {
    if (!Number.isFinite(milliseconds)) return;
    const sample = Math.max(0, milliseconds);
    const current = this.averages.get(key);
    this.averages.set(key, current === undefined ? sample : this.alpha * sample + (1 - this.alpha) * current);
  }

  /**
   * Counts a failure as a slow answer: the average rises to max(current × 2, penaltyMs),
   * but not past maxPenaltyMs (an average already above that is left as it is).
   */
  recordFailure(key: string): void {
    const current = this.averages.get(key) ?? 0;
    const raised = Math.min(Math.max(current * 2, this.penaltyMs), this.maxPenaltyMs);
    this.averages.set(key, Math.max(current, raised));
  }

  /** The key's current average in ms, or undefined if it was never measured. */
  average(key: string): number | undefined {
    return this.averages.get(key);
  }

  /**
   * The index of the target to try, or -1 when `keys` is empty.
   * - Targets never measured come first: one of them, uniformly (one random() call).
   * - Otherwise (if explorationRate > 0) one random() call decides exploration; when exploring, a second
   *   picks a target uniformly. If not exploring, the lowest average wins (the
   *   first one on a tie), with no further random() call.
   */
  pick(keys: readonly string[], random: () => number): number {
    if (keys.length === 0) return -1;
    const unmeasured: number[] = [];
    for (const [index, key] of keys.entries()) if (!this.averages.has(key)) unmeasured.push(index);
    if (unmeasured.length > 0) return unmeasured[pickUniformIndex(unmeasured.length, random) ?? 0];
    if (this.explorationRate > 0 && random() < this.explorationRate) return pickUniformIndex(keys.length, random) ?? 0;
    let best = 0;
    for (const [index, key] of keys.entries()) {
      if (this.averages.get(key)! < this.averages.get(keys[best])!) best = index;
    }
    return best;
  }
}
