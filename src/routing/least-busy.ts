/** Least-busy balancing: count the requests in flight per target and send the next one to the idlest. */
import { pickUniformIndex } from './weighted-pick.js';

export class InFlightTracker {
  private readonly counts = new Map<string, number>();

  /** Marks a request to `key` as started. Call the returned function when it ends; calling it again does nothing. */
  start(key: string): () => void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const remaining = (this.counts.get(key) ?? 1) - 1;
      if (remaining > 0) this.counts.set(key, remaining);
      else this.counts.delete(key);
    };
  }

  /** Requests to `key` in flight now. */
  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /**
   * The index of the target with the fewest requests in flight, or -1 when
   * `keys` is empty. A tie is broken uniformly at random (one random() call,
   * made only when two or more targets tie).
   */
  pick(keys: readonly string[], random: () => number): number {
    if (keys.length === 0) return -1;
    let fewest = Number.POSITIVE_INFINITY;
    let tied: number[] = [];
    for (const [index, key] of keys.entries()) {
      const count = this.count(key);
      if (count < fewest) {
        fewest = count;
        tied = [index];
      } else if (count === fewest) {
        tied.push(index);
      }
    }
    return tied.length === 1 ? tied[0] : tied[pickUniformIndex(tied.length, random) ?? 0];
  }
}
