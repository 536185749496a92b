import { describe, expect, it } from 'vitest';
import { LatencyTracker } from '../../src/routing/least-latency.js';

function sequence(...values: number[]): () => number {
  let next = 0;
  return () => {
    if (next >= values.length) throw new Error('random() called more often than expected');
    return values[next++];
  };
}

describe('LatencyTracker', () => {
  it('keeps an EWMA with the configured alpha (the first sample seeds it)', () => {
    const tracker = new LatencyTracker({ alpha: 0.5 });
    tracker.record('a', 100);
    expect(tracker.average('a')).toBe(100);
    tracker.record('a', 200);
    expect(tracker.average('a')).toBe(150);
    tracker.record('a', 50);
    expect(tracker.average('a')).toBe(100);
  });

  it('defaults to alpha 0.3 and exploration 0.1', () => {
    const tracker = new LatencyTracker();
    expect(tracker.alpha).toBe(0.3);
    expect(tracker.explorationRate).toBe(0.1);
    tracker.record('a', 100);
    tracker.record('a', 200);
    expect(tracker.average('a')).toBeCloseTo(130, 10);
  });

  it('ignores NaN and infinite samples and counts negative ones as 0', () => {
    const tracker = new LatencyTracker({ alpha: 0.5 });
    tracker.record('a', Number.NaN);
    tracker.record('a', Number.POSITIVE_INFINITY);
    expect(tracker.average('a')).toBeUndefined();
    tracker.record('a', -10);
    expect(tracker.average('a')).toBe(0);
  });

  it('rejects options out of range', () => {
    expect(() => new LatencyTracker({ alpha: 0 })).toThrow(RangeError);
    expect(() => new LatencyTracker({ alpha: 1.5 })).toThrow(RangeError);
    expect(() => new LatencyTracker({ explorationRate: -0.1 })).toThrow(RangeError);
    expect(() => new LatencyTracker({ penaltyMs: 0 })).toThrow(RangeError);
    expect(() => new LatencyTracker({ penaltyMs: 100, maxPenaltyMs: 50 })).toThrow(RangeError);
  });

  it('tries every unmeasured target first, uniformly among them', () => {
    const tracker = new LatencyTracker();
    tracker.record('b', 10);
    // a and c are unmeasured: one random() picks between them.
    expect(tracker.pick(['a', 'b', 'c'], sequence(0.2))).toBe(0);
    expect(tracker.pick(['a', 'b', 'c'], sequence(0.7))).toBe(2);
  });

  it('picks the lowest average when not exploring, with one random() call', () => {
    const tracker = new LatencyTracker({ explorationRate: 0.1 });
    tracker.record('a', 300);
    tracker.record('b', 80);
    tracker.record('c', 120);
    expect(tracker.pick(['a', 'b', 'c'], sequence(0.1))).toBe(1);
    expect(tracker.pick(['a', 'b', 'c'], sequence(0.99))).toBe(1);
  });

  it('explores a uniformly random target with probability explorationRate', () => {
    const tracker = new LatencyTracker({ explorationRate: 0.1 });
    tracker.record('a', 300);
    tracker.record('b', 80);
    tracker.record('c', 120);
    // 0.05 < 0.1: explore; the second draw picks uniformly among three.
    expect(tracker.pick(['a', 'b', 'c'], sequence(0.05, 0))).toBe(0);
    expect(tracker.pick(['a', 'b', 'c'], sequence(0.05, 0.5))).toBe(1);
    expect(tracker.pick(['a', 'b', 'c'], sequence(0.0999, 0.9))).toBe(2);
  });

  it('never calls random when exploration is off and every target is measured', () => {
    const tracker = new LatencyTracker({ explorationRate: 0 });
    tracker.record('a', 5);
    tracker.record('b', 4);
    expect(tracker.pick(['a', 'b'], sequence())).toBe(1);
  });

  it('breaks a tie of averages by the first target', () => {
    const tracker = new LatencyTracker({ explorationRate: 0 });
    tracker.record('a', 50);
    tracker.record('b', 50);
    expect(tracker.pick(['a', 'b'], sequence())).toBe(0);
  });

  it('returns -1 for no targets', () => {
    expect(new LatencyTracker().pick([], sequence())).toBe(-1);
  });

  it('penalises failures: max(current × 2, penaltyMs), capped at maxPenaltyMs', () => {
    const tracker = new LatencyTracker({ penaltyMs: 1000, maxPenaltyMs: 5000, explorationRate: 0 });
    tracker.recordFailure('never-measured');
    expect(tracker.average('never-measured')).toBe(1000);
    tracker.record('fast', 100);
    tracker.recordFailure('fast');
    expect(tracker.average('fast')).toBe(1000);
    tracker.recordFailure('fast');
    expect(tracker.average('fast')).toBe(2000);
    tracker.recordFailure('fast');
    tracker.recordFailure('fast');
    expect(tracker.average('fast')).toBe(5000);
    tracker.record('slow', 9000);
    tracker.recordFailure('slow');
    expect(tracker.average('slow')).toBe(9000);
  });

  it('moves traffic away from a failing target and back once it recovers', () => {
    const tracker = new LatencyTracker({ alpha: 0.5, penaltyMs: 1000, explorationRate: 0 });
    tracker.record('a', 100);
    tracker.record('b', 200);
    expect(tracker.pick(['a', 'b'], sequence())).toBe(0);
    tracker.recordFailure('a');
    expect(tracker.pick(['a', 'b'], sequence())).toBe(1);
    for (let sample = 0; sample < 5; sample += 1) tracker.record('a', 100);
    // 1000 → 550 → 325 → 212.5 → 156.25 → 128.125
    expect(tracker.average('a')).toBe(128.125);
    expect(tracker.pick(['a', 'b'], sequence())).toBe(0);
  });
});
