import { describe, expect, it } from 'vitest';
import { InFlightTracker } from '../../src/routing/least-busy.js';

function sequence(...values: number[]): () => number {
  let next = 0;
  return () => {
    if (next >= values.length) throw new Error('random() called more often than expected');
    return values[next++];
  };
}

describe('InFlightTracker', () => {
  it('counts requests in flight per key', () => {
    const tracker = new InFlightTracker();
    const first = tracker.start('a');
    const second = tracker.start('a');
    tracker.start('b');
    expect(tracker.count('a')).toBe(2);
    expect(tracker.count('b')).toBe(1);
    expect(tracker.count('c')).toBe(0);
    first();
    expect(tracker.count('a')).toBe(1);
    second();
    expect(tracker.count('a')).toBe(0);
  });

  it('ends a request once, however often its end function is called', () => {
    const tracker = new InFlightTracker();
    const end = tracker.start('a');
    tracker.start('a');
    end();
    end();
    end();
    expect(tracker.count('a')).toBe(1);
  });

  it('picks the target with the fewest in flight, without calling random', () => {
    const tracker = new InFlightTracker();
    tracker.start('a');
    tracker.start('a');
    tracker.start('c');
    tracker.start('b');
    tracker.start('b');
    expect(tracker.pick(['a', 'b', 'c'], sequence())).toBe(2);
  });

  it('breaks ties uniformly at random among the tied targets only', () => {
    const tracker = new InFlightTracker();
    tracker.start('b');
    // a, c and d are tied at 0.
    expect(tracker.pick(['a', 'b', 'c', 'd'], sequence(0))).toBe(0);
    expect(tracker.pick(['a', 'b', 'c', 'd'], sequence(0.4))).toBe(2);
    expect(tracker.pick(['a', 'b', 'c', 'd'], sequence(0.9))).toBe(3);
  });

  it('spreads a burst evenly when every request stays in flight', () => {
    const tracker = new InFlightTracker();
    const keys = ['a', 'b', 'c'];
    for (let request = 0; request < 9; request += 1) tracker.start(keys[tracker.pick(keys, () => 0.5)]);
    expect(keys.map((key) => tracker.count(key))).toEqual([3, 3, 3]);
  });

  it('returns -1 for no targets', () => {
    expect(new InFlightTracker().pick([], sequence())).toBe(-1);
  });
});
