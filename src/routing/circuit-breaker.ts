/**
 * A circuit breaker per target key.
 *
 * closed ──(N consecutive failures, or error rate ≥ threshold over the window
 *           with at least minimum_requests in it)──▶ open
 * open ──(cooldown over)──▶ half-open: one probe request is let through, and
 *           everyone else is refused while it is out
 * half-open ──probe succeeds──▶ closed      half-open ──probe fails──▶ open again
 *
 * Failure counts live in memory, per instance, in a bucketed sliding window
 * (bounded memory). The open state lives in a `BreakerStore`, which may be
 * shared between instances (see RedisBreakerStore), so one instance tripping a
 * breaker makes every instance skip the target. Probe arbitration is local:
 * each instance may send its own probe once the cooldown is over.
 */
import { z } from 'zod';

export const circuitBreakerOptionsSchema = z.object({
  /** Open after this many failures in a row. */
  consecutive_failures: z.number().int().positive().default(5),
  /** Open when failures / requests over the window reach this share... */
  error_rate: z.number().gt(0).max(1).default(0.5),
  window_ms: z.number().int().positive().default(60_000),
  /** ...and the window holds at least this many requests. */
  minimum_requests: z.number().int().positive().default(20),
  /** How long an open breaker refuses requests before it lets a probe through. */
  cooldown_ms: z.number().int().positive().default(30_000),
});
export type CircuitBreakerOptionsInput = z.input<typeof circuitBreakerOptionsSchema>;
export type CircuitBreakerOptions = z.output<typeof circuitBreakerOptionsSchema>;

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerDecision {
  readonly allowed: boolean;
  readonly state: BreakerState;
  /** This request is the half-open probe: report its outcome with `wasProbe` = true. */
  readonly probe: boolean;
}

/** Told when a key opens (with its end of cooldown) or closes (undefined). */
export type BreakerChangeListener = (key: string, openUntil: number | undefined) => void;

/** Where open breakers are kept. Reads are synchronous and local; writes may propagate in the background. */
export interface BreakerStore {
  /** When the key's cooldown ends (epoch ms) if it is open or half-open; undefined if closed. */
  isOpenUntil(key: string): number | undefined;
  open(key: string, untilEpochMs: number): void;
  close(key: string): void;
  /** Subscribes to changes, including those made by other instances. Returns an unsubscribe function. */
  onChange?(listener: BreakerChangeListener): () => void;
}

/** Open breakers in this process only. */
export class MemoryBreakerStore implements BreakerStore {
  private readonly openUntil = new Map<string, number>();
  private readonly listeners = new Set<BreakerChangeListener>();

  isOpenUntil(key: string): number | undefined {
    return this.openUntil.get(key);
  }

  open(key: string, untilEpochMs: number): void {
    if (this.openUntil.get(key) === untilEpochMs) return;
    this.openUntil.set(key, untilEpochMs);
    for (const listener of this.listeners) listener(key, untilEpochMs);
  }

  close(key: string): void {
    if (!this.openUntil.delete(key)) return;
    for (const listener of this.listeners) listener(key, undefined);
  }

  onChange(listener: BreakerChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const bucketsPerWindow = 10;

/** Requests and failures over the last window, in a ring of time buckets. */
class SlidingWindow {
  private readonly bucketIds: number[] = new Array<number>(bucketsPerWindow).fill(Number.NEGATIVE_INFINITY);
  private readonly requests: number[] = new Array<number>(bucketsPerWindow).fill(0);
  private readonly failures: number[] = new Array<number>(bucketsPerWindow).fill(0);

  constructor(private readonly bucketMs: number) {}

  add(now: number, failed: boolean): void {
    const bucketId = Math.floor(now / this.bucketMs);
    const slot = ((bucketId % bucketsPerWindow) + bucketsPerWindow) % bucketsPerWindow;
    if (this.bucketIds[slot] !== bucketId) {
      this.bucketIds[slot] = bucketId;
      this.requests[slot] = 0;
      this.failures[slot] = 0;
    }
    this.requests[slot] += 1;
    if (failed) this.failures[slot] += 1;
  }

  totals(now: number): { requests: number; failures: number } {
    const oldest = Math.floor(now / this.bucketMs) - bucketsPerWindow + 1;
    let requests = 0;
    let failures = 0;
    for (let slot = 0; slot < bucketsPerWindow; slot += 1) {
      if (this.bucketIds[slot] < oldest) continue;
      requests += this.requests[slot];
      failures += this.failures[slot];
    }
    return { requests, failures };
  }

  clear(): void {
    this.bucketIds.fill(Number.NEGATIVE_INFINITY);
  }
}

interface KeyHealth {
  consecutiveFailures: number;
  readonly window: SlidingWindow;
  /** When the outstanding half-open probe was let through, if one is out. */
  probeStartedAt: number | undefined;
}

export interface BreakerSnapshot {
  readonly state: BreakerState;
  readonly consecutiveFailures: number;
  readonly requests: number;
  readonly failures: number;
}

export class CircuitBreaker {
  readonly options: CircuitBreakerOptions;
  private readonly health = new Map<string, KeyHealth>();
  private readonly unsubscribe: (() => void) | undefined;

  /** `options` is parsed with `circuitBreakerOptionsSchema` (defaults filled in; other fields ignored). */
  constructor(
    options: CircuitBreakerOptionsInput,
    private readonly store: BreakerStore,
    private readonly clock: () => number = Date.now,
  ) {
    this.options = circuitBreakerOptionsSchema.parse(options);
    // Whenever a key opens or closes (here or on another instance), counts gathered before are stale.
    this.unsubscribe = store.onChange?.((key) => {
      const health = this.health.get(key);
      if (health) this.reset(health);
    });
  }

  /**
   * Asks to send a request to `key`. Refused while open, and in half-open while
   * the probe is out. A probe that never reports back frees its slot after
   * another cooldown, so a lost probe cannot wedge the breaker.
   */
  tryAcquire(key: string): BreakerDecision {
    const now = this.clock();
    const until = this.store.isOpenUntil(key);
    if (until === undefined) return { allowed: true, state: 'closed', probe: false };
    if (now < until) return { allowed: false, state: 'open', probe: false };
    const health = this.healthOf(key);
    if (health.probeStartedAt !== undefined && now - health.probeStartedAt < this.options.cooldown_ms) {
      return { allowed: false, state: 'half-open', probe: false };
    }
    health.probeStartedAt = now;
    return { allowed: true, state: 'half-open', probe: true };
  }

  recordSuccess(key: string, wasProbe: boolean): void {
    const health = this.healthOf(key);
    if (wasProbe) {
      this.reset(health);
      this.store.close(key);
      return;
    }
    // A request that began before the breaker opened changes nothing now.
    if (this.store.isOpenUntil(key) !== undefined) return;
    health.consecutiveFailures = 0;
    health.window.add(this.clock(), false);
  }

  recordFailure(key: string, wasProbe: boolean): void {
    const now = this.clock();
    const health = this.healthOf(key);
    if (wasProbe) {
      this.trip(key, health, now);
      return;
    }
    if (this.store.isOpenUntil(key) !== undefined) return;
    health.consecutiveFailures += 1;
    health.window.add(now, true);
    if (this.shouldTrip(health, now)) this.trip(key, health, now);
  }

  /** A request ended with no verdict (the client went away): frees the probe slot without counting anything. */
  release(key: string, wasProbe: boolean): void {
    if (wasProbe) {
      const health = this.health.get(key);
      if (health) health.probeStartedAt = undefined;
    }
  }

  state(key: string): BreakerState {
    const until = this.store.isOpenUntil(key);
    if (until === undefined) return 'closed';
    return this.clock() < until ? 'open' : 'half-open';
  }

  snapshot(key: string): BreakerSnapshot {
    const health = this.health.get(key);
    const totals = health ? health.window.totals(this.clock()) : { requests: 0, failures: 0 };
    return { state: this.state(key), consecutiveFailures: health?.consecutiveFailures ?? 0, ...totals };
  }

  /** Stops listening to the store. */
  dispose(): void {
    this.unsubscribe?.();
  }

  private shouldTrip(health: KeyHealth, now: number): boolean {
    if (health.consecutiveFailures >= this.options.consecutive_failures) return true;
    const { requests, failures } = health.window.totals(now);
    return requests >= this.options.minimum_requests && failures / requests >= this.options.error_rate;
  }

  private trip(key: string, health: KeyHealth, now: number): void {
    this.reset(health);
    this.store.open(key, now + this.options.cooldown_ms);
  }

  private reset(health: KeyHealth): void {
    health.consecutiveFailures = 0;
    health.window.clear();
    health.probeStartedAt = undefined;
  }

  private healthOf(key: string): KeyHealth {
    let health = this.health.get(key);
    if (!health) {
      health = { consecutiveFailures: 0, window: new SlidingWindow(this.options.window_ms / bucketsPerWindow), probeStartedAt: undefined };
      this.health.set(key, health);
    }
    return health;
  }
}
