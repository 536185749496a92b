/**
 * The one weighted pick. Every strategy that chooses among targets at random
 * (weighted load balancing, exploration, tie-breaking) goes through here, with
 * the random source injected so tests can drive it exactly.
 */

/** A weight that can win: finite and above zero. Anything else counts as zero. */
function usableWeight(weight: number): number {
  return Number.isFinite(weight) && weight > 0 ? weight : 0;
}

/**
 * The index picked with probability proportional to its weight, or undefined
 * when no weight is positive. Weights that are zero, negative, NaN or infinite
 * are never picked (config validation rejects the invalid ones before this).
 * Calls `random` (expected in [0, 1)) exactly once when some weight is positive.
 */
export function pickWeightedIndex(weights: readonly number[], random: () => number): number | undefined {
  let total = 0;
  let lastPositive = -1;
  for (const [index, weight] of weights.entries()) {
    const usable = usableWeight(weight);
    if (usable === 0) continue;
    total += usable;
    lastPositive = index;
  }
  if (lastPositive < 0) return undefined;
  let remaining = random() * total;
  for (const [index, weight] of weights.entries()) {
    const usable = usableWeight(weight);
    if (usable === 0) continue;
    if (remaining < usable) return index;
    remaining -= usable;
  }
  // Rounding (or a random() that returned 1) can leave a sliver past the end.
  return lastPositive;
}

/** An item picked with probability proportional to `weightOf(item)`; undefined when no weight is positive. */
export function pickWeighted<T>(items: readonly T[], weightOf: (item: T) => number, random: () => number): T | undefined {
  const index = pickWeightedIndex(items.map(weightOf), random);
  return index === undefined ? undefined : items[index];
}

/** A uniformly random index in [0, count), or undefined when count is 0. Calls `random` once when count > 0. */
export function pickUniformIndex(count: number, random: () => number): number | undefined {
  if (count <= 0) return undefined;
  return Math.min(count - 1, Math.floor(random() * count));
}
