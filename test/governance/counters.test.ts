/**
 * The counters' arithmetic, the same cases on the in-memory store and on Redis:
 * sliding windows admit exactly the limit in any window (no double burst at an
 * edge), reservations hold the worst case and settle to the actual cost, and
 * leases reclaim what a crashed instance held.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionPlan, CounterStore } from '../../src/governance/counters/counter-types.js';
import { MemoryCounters } from '../../src/governance/counters/memory-counters.js';
import { RedisCounters } from '../../src/governance/counters/redis-counters.js';
import { redisGate } from '../helpers/services.js';

const redis = redisGate();
const t0 = 1_750_000_000_000;

function plan(id: string, parts: Partial<AdmissionPlan>): AdmissionPlan {
  return { id, windows: [], concurrency: [], budgets: [], leaseMs: 60_000, ...parts };
}

function suite(name: string, make: () => Promise<CounterStore>, cleanup: () => Promise<void> = async () => {}) {
  describe(name, () => {
    let counters: CounterStore;
    beforeAll(async () => {
      counters = await make();
    });
    afterAll(async () => {
      await counters.stop();
      await cleanup();
    });
    // Each test uses its own key names through a fresh prefix of ids.
    const key = (base: string) => `${base}:${randomUUID().slice(0, 8)}`;

    it('a sliding window admits exactly the limit in any 60 s, with no burst at a window edge', async () => {
      const windows = [{ key: key('rl:rpm'), kind: 'requests' as const, limit: 5, windowMs: 60_000, weight: 1 }];
      const outcomes: boolean[] = [];
      // 5 at the end of one minute, 5 at the start of the next: a fixed bucket would admit all 10.
      for (let index = 0; index < 5; index += 1) outcomes.push((await counters.admit(plan(`a${index}`, { windows }), t0 + 59_000)).admitted);
      for (let index = 0; index < 5; index += 1) outcomes.push((await counters.admit(plan(`b${index}`, { windows }), t0 + 61_000)).admitted);
      expect(outcomes).toEqual([true, true, true, true, true, false, false, false, false, false]);
      const refused = await counters.admit(plan('c', { windows }), t0 + 61_000);
      expect(refused).toMatchObject({ admitted: false, refusal: { kind: 'window', index: 0, retryAfterMs: 58_000, state: { remaining: 0, limit: 5 } } });
      // The five leave together, exactly 60 s after they entered.
      expect((await counters.admit(plan('d', { windows }), t0 + 118_999)).admitted).toBe(false);
      for (let index = 0; index < 5; index += 1) expect((await counters.admit(plan(`e${index}`, { windows }), t0 + 119_000)).admitted).toBe(true);
      expect((await counters.admit(plan('f', { windows }), t0 + 119_000)).admitted).toBe(false);
    });

    it('reports remaining and reset for headers', async () => {
      const windows = [{ key: key('rl:rpm'), kind: 'requests' as const, limit: 3, windowMs: 60_000, weight: 1 }];
      await counters.admit(plan('x1', { windows }), t0);
      const second = await counters.admit(plan('x2', { windows }), t0 + 10_000);
      expect(second).toEqual({ admitted: true, windows: [{ kind: 'requests', limit: 3, remaining: 1, resetMs: 50_000 }], budgets: [] });
    });

    it('a token window counts weights, corrects them at settlement, and knows a request that can never fit', async () => {
      const name = key('rl:tpm');
      const tokens = (weight: number) => [{ key: name, kind: 'tokens' as const, limit: 1000, windowMs: 60_000, weight }];
      expect((await counters.admit(plan('t1', { windows: tokens(600) }), t0)).admitted).toBe(true);
      expect((await counters.admit(plan('t2', { windows: tokens(600) }), t0 + 1000)).admitted).toBe(false);
      await counters.settle({ id: 't1', windows: [{ key: name, weight: 300, remove: false }], concurrency: [], budgets: [] }, t0 + 2000);
      const admitted = await counters.admit(plan('t3', { windows: tokens(600) }), t0 + 3000);
      expect(admitted).toMatchObject({ admitted: true, windows: [{ remaining: 100 }] });
      expect(await counters.admit(plan('t4', { windows: tokens(2000) }), t0 + 3000)).toMatchObject({ admitted: false, refusal: { retryAfterMs: null } });
      // Enough leaves when t1 (300) and t3 (600) are out: t3 arrived at t0+3000.
      expect(await counters.admit(plan('t5', { windows: tokens(950) }), t0 + 4000)).toMatchObject({ admitted: false, refusal: { retryAfterMs: 59_000 } });
    });

    it('a cache hit that is not counted leaves the window', async () => {
      const name = key('rl:rpm');
      const windows = [{ key: name, kind: 'requests' as const, limit: 1, windowMs: 60_000, weight: 1 }];
      expect((await counters.admit(plan('h1', { windows }), t0)).admitted).toBe(true);
      await counters.settle({ id: 'h1', windows: [{ key: name, weight: 0, remove: true }], concurrency: [], budgets: [] }, t0 + 1);
      expect((await counters.admit(plan('h2', { windows }), t0 + 2)).admitted).toBe(true);
    });

    it('concurrency slots are freed at settlement, and reclaimed when their lease ends', async () => {
      const concurrency = [{ key: key('cc'), limit: 2 }];
      expect((await counters.admit(plan('s1', { concurrency }), t0)).admitted).toBe(true);
      expect((await counters.admit(plan('s2', { concurrency }), t0)).admitted).toBe(true);
      expect(await counters.admit(plan('s3', { concurrency }), t0)).toMatchObject({ admitted: false, refusal: { kind: 'concurrency', index: 0 } });
      await counters.settle({ id: 's1', windows: [], concurrency: [concurrency[0]!.key], budgets: [] }, t0 + 1);
      expect((await counters.admit(plan('s4', { concurrency }), t0 + 2)).admitted).toBe(true);
      // s2 and s4 never settle (a crashed instance): their lease (60 s) ends.
      expect((await counters.admit(plan('s5', { concurrency }), t0 + 60_001)).admitted).toBe(true);
      expect((await counters.admit(plan('s6', { concurrency }), t0 + 60_001)).admitted).toBe(false);
      expect((await counters.admit(plan('s7', { concurrency }), t0 + 60_003)).admitted).toBe(true);
    });

    it('reserves the worst case, refuses what would pass the budget, and settles to the actual cost', async () => {
      const name = key('b');
      let seeded = 0;
      const budget = (amountNano: number) => [{ key: name, limitNano: 1_000, amountNano, periodEnd: t0 + 3_600_000, seed: async () => ((seeded += 1), 100) }];
      // Seeded from the ledger: 100 already spent.
      expect(await counters.admit(plan('r1', { budgets: budget(500) }), t0)).toEqual({ admitted: true, windows: [], budgets: [{ spentNano: 100, reservedNano: 500 }] });
      expect(seeded).toBe(1);
      // 100 spent + 500 reserved + 401 > 1000
      expect(await counters.admit(plan('r2', { budgets: budget(401) }), t0)).toMatchObject({ admitted: false, refusal: { kind: 'budget', retryAfterMs: 3_600_000, state: { spentNano: 100, reservedNano: 500 } } });
      expect(await counters.admit(plan('r3', { budgets: budget(400) }), t0)).toMatchObject({ admitted: true, budgets: [{ spentNano: 100, reservedNano: 900 }] });
      // r1 cost 120 of its 500: spent 220, reserved 400.
      expect(await counters.settle({ id: 'r1', windows: [], concurrency: [], budgets: [{ key: name, actualNano: 120, periodEnd: t0 + 3_600_000 }] }, t0 + 1)).toEqual({ applied: true, spentNano: [220] });
      expect(await counters.budgetState(name, t0 + 1)).toEqual({ spentNano: 220, reservedNano: 400 });
      expect((await counters.admit(plan('r4', { budgets: budget(380) }), t0 + 2)).admitted).toBe(true);
      expect((await counters.admit(plan('r5', { budgets: budget(1) }), t0 + 2)).admitted).toBe(false);
      // r3 fails before any output: its reservation is released.
      await counters.settle({ id: 'r3', windows: [], concurrency: [], budgets: [{ key: name, actualNano: 0, periodEnd: t0 + 3_600_000 }] }, t0 + 3);
      expect(await counters.budgetState(name, t0 + 3)).toEqual({ spentNano: 220, reservedNano: 380 });
      // r4 is never settled: its lease ends and the reservation is reclaimed.
      expect(await counters.admit(plan('r6', { budgets: budget(700) }), t0 + 60_003)).toMatchObject({ admitted: true, budgets: [{ spentNano: 220, reservedNano: 700 }] });
      expect(seeded).toBe(1);
    });

    it('refuses every request once the budget is spent, even a free one', async () => {
      const name = key('b');
      const budget = (amountNano: number) => [{ key: name, limitNano: 100, amountNano, periodEnd: null, seed: async () => 100 }];
      expect(await counters.admit(plan('z1', { budgets: budget(0) }), t0)).toMatchObject({ admitted: false, refusal: { kind: 'budget', retryAfterMs: null } });
    });

    it('checks everything before changing anything', async () => {
      const windows = [{ key: key('rl:rpm'), kind: 'requests' as const, limit: 10, windowMs: 60_000, weight: 1 }];
      const budgetKey = key('b');
      const budgets = [{ key: budgetKey, limitNano: 10, amountNano: 50, periodEnd: null, seed: async () => 0 }];
      expect((await counters.admit(plan('q1', { windows, budgets }), t0)).admitted).toBe(false);
      expect(await counters.admit(plan('q2', { windows }), t0)).toMatchObject({ admitted: true, windows: [{ remaining: 9 }] });
    });

    it('a settlement counts once', async () => {
      const name = key('b');
      const budgets = [{ key: name, limitNano: 1_000, amountNano: 100, periodEnd: null, seed: async () => 0 }];
      await counters.admit(plan('d1', { budgets }), t0);
      const settlement = { id: 'd1', windows: [], concurrency: [], budgets: [{ key: name, actualNano: 70, periodEnd: null }] };
      await counters.settle(settlement, t0 + 1);
      if (counters.kind === 'redis') expect(await counters.settle(settlement, t0 + 2)).toEqual({ applied: false, spentNano: [-1] });
      expect(await counters.budgetState(name, t0 + 3)).toEqual({ spentNano: 70, reservedNano: 0 });
    });
  });
}

suite('memory counters', async () => new MemoryCounters());

const prefix = `sy-test-${randomUUID().slice(0, 8)}`;
describe.skipIf(redis.skip)('on Redis', () => {
  it('a budget counter whose ledger cannot be read starts at zero for a minute, and the failure is reported', async () => {
    const failures: string[] = [];
    const counters = new RedisCounters({ url: redis.url!, prefix, commandTimeoutMs: 2000, onSeedError: (_error, key) => void failures.push(key) });
    await counters.start();
    try {
      const budgets = [{ key: 'b:unreadable', limitNano: 1_000, amountNano: 600, periodEnd: null, seed: () => Promise.reject(new Error('ledger down')) }];
      expect(await counters.admit(plan('u1', { budgets }), t0)).toMatchObject({ admitted: true, budgets: [{ spentNano: 0, reservedNano: 600 }] });
      expect(failures).toEqual(['b:unreadable']);
      expect(await counters.client.pttl(`${prefix}:b:unreadable:spent`)).toBeGreaterThan(55_000);
      expect((await counters.admit(plan('u2', { budgets }), t0)).admitted).toBe(false);
    } finally {
      await counters.stop();
    }
  });

  suite(
    'Redis counters',
    async () => {
      const counters = new RedisCounters({ url: redis.url!, prefix, commandTimeoutMs: 2000 });
      await counters.start();
      return counters;
    },
    async () => {
      const client = new Redis(redis.url!);
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length > 0) await client.del(...keys);
      client.disconnect();
    },
  );
});

