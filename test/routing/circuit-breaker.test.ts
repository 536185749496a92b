import { describe, expect, it } from 'vitest';
import { CircuitBreaker, MemoryBreakerStore, circuitBreakerOptionsSchema, type CircuitBreakerOptionsInput } from '../../src/routing/circuit-breaker.js';

const key = 'openai/gpt-4o@https://api.openai.com/v1';

function setup(options: CircuitBreakerOptionsInput = {}) {
  const clock = { now: 1_000_000 };
  const store = new MemoryBreakerStore();
  const breaker = new CircuitBreaker(options, store, () => clock.now);
  const fail = (times: number): void => {
    for (let count = 0; count < times; count += 1) breaker.recordFailure(key, false);
  };
  const succeed = (times: number): void => {
    for (let count = 0; count < times; count += 1) breaker.recordSuccess(key, false);
  };
  return { clock, store, breaker, fail, succeed };
}

describe('circuitBreakerOptionsSchema', () => {
  it('fills in the defaults and ignores unrelated fields', () => {
    expect(circuitBreakerOptionsSchema.parse({})).toEqual({ consecutive_failures: 5, error_rate: 0.5, window_ms: 60_000, minimum_requests: 20, cooldown_ms: 30_000 });
    expect(new CircuitBreaker({ enabled: true, cooldown_ms: 10 } as CircuitBreakerOptionsInput, new MemoryBreakerStore()).options.cooldown_ms).toBe(10);
  });

  it('rejects values out of range', () => {
    expect(circuitBreakerOptionsSchema.safeParse({ error_rate: 0 }).success).toBe(false);
    expect(circuitBreakerOptionsSchema.safeParse({ error_rate: 1.1 }).success).toBe(false);
    expect(circuitBreakerOptionsSchema.safeParse({ consecutive_failures: 0 }).success).toBe(false);
  });
});

describe('CircuitBreaker', () => {
  it('starts closed and lets requests through', () => {
    const { breaker } = setup();
    expect(breaker.tryAcquire(key)).toEqual({ allowed: true, state: 'closed', probe: false });
    expect(breaker.state(key)).toBe('closed');
  });

  it('opens after N consecutive failures, and not before', () => {
    const { breaker, fail, store, clock } = setup({ consecutive_failures: 3, cooldown_ms: 1000 });
    fail(2);
    expect(breaker.state(key)).toBe('closed');
    fail(1);
    expect(breaker.state(key)).toBe('open');
    expect(store.isOpenUntil(key)).toBe(clock.now + 1000);
    expect(breaker.tryAcquire(key)).toEqual({ allowed: false, state: 'open', probe: false });
  });

  it('resets the consecutive count on a success', () => {
    const { breaker, fail, succeed } = setup({ consecutive_failures: 3 });
    fail(2);
    succeed(1);
    fail(2);
    expect(breaker.state(key)).toBe('closed');
    expect(breaker.snapshot(key)).toMatchObject({ consecutiveFailures: 2, requests: 5, failures: 4 });
  });

  it('opens on the error rate only once the window holds minimum_requests', () => {
    const { breaker, fail, succeed } = setup({ consecutive_failures: 100, error_rate: 0.5, minimum_requests: 10 });
    // Alternate so the consecutive rule never fires: 9 requests, 5 failures (55%).
    for (let round = 0; round < 4; round += 1) {
      fail(1);
      succeed(1);
    }
    fail(1);
    expect(breaker.snapshot(key)).toMatchObject({ state: 'closed', requests: 9, failures: 5 });
    fail(1); // 10 requests, 6 failures: 60% ≥ 50% with the minimum volume
    expect(breaker.state(key)).toBe('open');
  });

  it('stays closed while the error rate is under the threshold', () => {
    const { breaker, fail, succeed } = setup({ consecutive_failures: 100, error_rate: 0.5, minimum_requests: 10 });
    // Successes first, so the rate seen at each failure never exceeds 40%.
    for (let round = 0; round < 20; round += 1) {
      succeed(3);
      fail(2);
    }
    expect(breaker.snapshot(key)).toMatchObject({ state: 'closed', requests: 100, failures: 40 });
  });

  it('forgets failures that slid out of the window', () => {
    const { breaker, fail, clock } = setup({ consecutive_failures: 100, error_rate: 0.5, minimum_requests: 10, window_ms: 10_000 });
    fail(9);
    clock.now += 10_000; // every bucket of the 9 failures is now older than the window
    expect(breaker.snapshot(key)).toMatchObject({ requests: 0, failures: 0 });
    fail(9);
    expect(breaker.state(key)).toBe('closed');
    fail(1);
    expect(breaker.state(key)).toBe('open');
  });

  it('keeps the window in buckets: part of it expires at a time', () => {
    const { breaker, fail, clock } = setup({ consecutive_failures: 100, minimum_requests: 100, window_ms: 10_000 });
    clock.now = 0;
    fail(4); // bucket [0, 1000)
    clock.now = 5_000;
    fail(3); // bucket [5000, 6000)
    clock.now = 9_999;
    expect(breaker.snapshot(key).requests).toBe(7);
    clock.now = 10_000; // the first bucket leaves the window
    expect(breaker.snapshot(key).requests).toBe(3);
    clock.now = 15_000;
    expect(breaker.snapshot(key).requests).toBe(0);
  });

  it('turns half-open after the cooldown and lets exactly one probe through', () => {
    const { breaker, fail, clock } = setup({ consecutive_failures: 1, cooldown_ms: 1000 });
    fail(1);
    clock.now += 999;
    expect(breaker.tryAcquire(key).allowed).toBe(false);
    clock.now += 1;
    expect(breaker.state(key)).toBe('half-open');
    expect(breaker.tryAcquire(key)).toEqual({ allowed: true, state: 'half-open', probe: true });
    // Everyone else is refused while the probe is out.
    expect(breaker.tryAcquire(key)).toEqual({ allowed: false, state: 'half-open', probe: false });
    expect(breaker.tryAcquire(key)).toEqual({ allowed: false, state: 'half-open', probe: false });
  });

  it('closes when the probe succeeds, with fresh counts', () => {
    const { breaker, fail, clock, store } = setup({ consecutive_failures: 2, cooldown_ms: 1000 });
    fail(2);
    clock.now += 1000;
    const probe = breaker.tryAcquire(key);
    breaker.recordSuccess(key, probe.probe);
    expect(breaker.state(key)).toBe('closed');
    expect(store.isOpenUntil(key)).toBeUndefined();
    expect(breaker.tryAcquire(key)).toEqual({ allowed: true, state: 'closed', probe: false });
    fail(1);
    expect(breaker.state(key)).toBe('closed');
  });

  it('opens again for another cooldown when the probe fails', () => {
    const { breaker, fail, clock, store } = setup({ consecutive_failures: 2, cooldown_ms: 1000 });
    fail(2);
    clock.now += 1500;
    const probe = breaker.tryAcquire(key);
    expect(probe.probe).toBe(true);
    breaker.recordFailure(key, true);
    expect(breaker.state(key)).toBe('open');
    expect(store.isOpenUntil(key)).toBe(clock.now + 1000);
    clock.now += 1000;
    expect(breaker.tryAcquire(key)).toEqual({ allowed: true, state: 'half-open', probe: true });
  });

  it('lets a new probe through if the last one never reported back within a cooldown', () => {
    const { breaker, fail, clock } = setup({ consecutive_failures: 1, cooldown_ms: 1000 });
    fail(1);
    clock.now += 1000;
    expect(breaker.tryAcquire(key).probe).toBe(true);
    clock.now += 999;
    expect(breaker.tryAcquire(key).allowed).toBe(false);
    clock.now += 1;
    expect(breaker.tryAcquire(key).probe).toBe(true);
  });

  it('frees the probe slot on release, without counting', () => {
    const { breaker, fail, clock } = setup({ consecutive_failures: 1, cooldown_ms: 1000 });
    fail(1);
    clock.now += 1000;
    expect(breaker.tryAcquire(key).probe).toBe(true);
    breaker.release(key, true);
    expect(breaker.state(key)).toBe('half-open');
    expect(breaker.tryAcquire(key).probe).toBe(true);
  });

  it('ignores late outcomes of requests sent before it opened', () => {
    const { breaker, fail, clock, store } = setup({ consecutive_failures: 2, cooldown_ms: 1000 });
    fail(2);
    const until = store.isOpenUntil(key);
    clock.now += 500;
    breaker.recordFailure(key, false);
    breaker.recordSuccess(key, false);
    expect(store.isOpenUntil(key)).toBe(until);
    expect(breaker.state(key)).toBe('open');
  });

  it('keeps keys apart', () => {
    const { breaker } = setup({ consecutive_failures: 1 });
    breaker.recordFailure('a', false);
    expect(breaker.state('a')).toBe('open');
    expect(breaker.state('b')).toBe('closed');
  });

  it('shares the open state through the store, and drops stale counts when it changes', () => {
    const store = new MemoryBreakerStore();
    const clock = { now: 0 };
    const first = new CircuitBreaker({ consecutive_failures: 2, cooldown_ms: 1000 }, store, () => clock.now);
    const second = new CircuitBreaker({ consecutive_failures: 2, cooldown_ms: 1000 }, store, () => clock.now);
    second.recordFailure(key, false);
    first.recordFailure(key, false);
    first.recordFailure(key, false);
    expect(second.tryAcquire(key)).toEqual({ allowed: false, state: 'open', probe: false });
    expect(second.snapshot(key).consecutiveFailures).toBe(0);
    // Each instance may send its own probe.
    clock.now = 1000;
    expect(first.tryAcquire(key).probe).toBe(true);
    expect(second.tryAcquire(key).probe).toBe(true);
    second.recordSuccess(key, true);
    expect(first.state(key)).toBe('closed');
    first.dispose();
  });
});
