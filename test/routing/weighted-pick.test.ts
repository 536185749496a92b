import { describe, expect, it, vi } from 'vitest';
import { pickUniformIndex, pickWeighted, pickWeightedIndex } from '../../src/routing/weighted-pick.js';

/** A random source that returns the given values in order, and fails if asked for more. */
function sequence(...values: number[]): () => number {
  let next = 0;
  return () => {
    if (next >= values.length) throw new Error('random() called more often than expected');
    return values[next++];
  };
}

interface Target {
  name: string;
  weight: number;
}

const targets: Target[] = [
  { name: 'a', weight: 1 },
  { name: 'b', weight: 2 },
  { name: 'c', weight: 7 },
];
const weightOf = (target: Target): number => target.weight;

describe('pickWeighted with an injected random sequence', () => {
  it('maps [0, 1) onto the cumulative weights', () => {
    // Total 10: a owns [0, 0.1), b owns [0.1, 0.3), c owns [0.3, 1).
    const picks = [0, 0.0999, 0.1, 0.2999, 0.3, 0.9999].map((value) => pickWeighted(targets, weightOf, sequence(value))?.name);
    expect(picks).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
  });

  it('calls random exactly once', () => {
    const random = vi.fn(() => 0.5);
    pickWeighted(targets, weightOf, random);
    expect(random).toHaveBeenCalledTimes(1);
  });

  it('never picks a zero weight, even at the edges', () => {
    const items: Target[] = [
      { name: 'zero-first', weight: 0 },
      { name: 'only', weight: 3 },
      { name: 'zero-last', weight: 0 },
    ];
    for (const value of [0, 0.5, 0.999999, 1]) expect(pickWeighted(items, weightOf, sequence(value))?.name).toBe('only');
  });

  it('treats negative, NaN and infinite weights as zero', () => {
    const items: Target[] = [
      { name: 'negative', weight: -5 },
      { name: 'nan', weight: Number.NaN },
      { name: 'infinite', weight: Number.POSITIVE_INFINITY },
      { name: 'real', weight: 1 },
    ];
    for (const value of [0, 0.5, 0.99]) expect(pickWeighted(items, weightOf, sequence(value))?.name).toBe('real');
  });

  it('returns undefined without calling random when no weight is positive', () => {
    const random = vi.fn(() => 0.5);
    expect(pickWeighted([{ name: 'x', weight: 0 }], weightOf, random)).toBeUndefined();
    expect(pickWeighted([], weightOf, random)).toBeUndefined();
    expect(random).not.toHaveBeenCalled();
  });

  it('falls back to the last positive weight when random() misbehaves and returns 1', () => {
    expect(pickWeighted(targets, weightOf, sequence(1))?.name).toBe('c');
  });

  it('works on fractional weights', () => {
    const items: Target[] = [
      { name: 'x', weight: 0.1 },
      { name: 'y', weight: 0.2 },
    ];
    // Total 0.3 (in floating point, 0.30000000000000004): x owns the first third.
    expect(pickWeighted(items, weightOf, sequence(0.33))?.name).toBe('x');
    expect(pickWeighted(items, weightOf, sequence(0.34))?.name).toBe('y');
  });

  it('pickWeightedIndex returns the index', () => {
    expect(pickWeightedIndex([0, 5, 5], sequence(0.75))).toBe(2);
    expect(pickWeightedIndex([0, 0], sequence())).toBeUndefined();
  });
});

describe('pickUniformIndex', () => {
  it('splits [0, 1) evenly and never returns count', () => {
    expect([0, 0.2499, 0.25, 0.5, 0.99, 1].map((value) => pickUniformIndex(4, sequence(value)))).toEqual([0, 0, 1, 2, 3, 3]);
    expect(pickUniformIndex(0, sequence())).toBeUndefined();
  });
});

describe('pickWeighted statistically, with Math.random', () => {
  it('follows weights 1:2:7 (and never picks a zero weight)', () => {
    // Each target's count over N draws is Binomial(N, p), with mean N·p and
    // standard deviation σ = sqrt(N·p·(1−p)). With N = 100 000 the smallest
    // N·p is 10 000, so the normal approximation is very good, and
    // P(|count − N·p| > 5.5σ) = P(|Z| > 5.5) ≈ 3.8e-8 per target. Checking the
    // three weighted targets, the union bound gives a false failure with
    // probability below 3 × 3.8e-8 ≈ 1.2e-7: rarer than 1 in 10^6.
    // (The zero-weight target is checked exactly: its count must be 0.)
    // With these numbers the tolerances are ±522 (p = 0.1), ±696 (p = 0.2)
    // and ±797 (p = 0.7), i.e. well under 1 percentage point.
    const draws = 100_000;
    const zScore = 5.5;
    const items: Target[] = [...targets, { name: 'never', weight: 0 }];
    const counts = new Map<string, number>();
    for (let draw = 0; draw < draws; draw += 1) {
      const name = pickWeighted(items, weightOf, Math.random)!.name;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    expect(counts.get('never')).toBeUndefined();
    for (const target of targets) {
      const probability = target.weight / 10;
      const expected = draws * probability;
      const tolerance = zScore * Math.sqrt(draws * probability * (1 - probability));
      const observed = counts.get(target.name) ?? 0;
      expect(Math.abs(observed - expected), `${target.name}: observed ${observed}, expected ${expected} ± ${tolerance.toFixed(0)}`).toBeLessThanOrEqual(tolerance);
    }
  });
});
