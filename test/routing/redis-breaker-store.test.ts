import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/routing/circuit-breaker.js';
import { RedisBreakerStore } from '../../src/routing/redis-breaker-store.js';
import { redisGate } from '../helpers/services.js';

// Runs against the real Redis at REDIS_URL; skipped with a printed reason when it
// is unset, except under CI, where a missing or unreachable Redis fails the run.
const redis = redisGate();

/** Polls `read` until it returns `expected`, for up to `timeoutMs`; returns the milliseconds it took. */
async function eventually<T>(read: () => T, expected: T, timeoutMs = 200): Promise<number> {
  const started = performance.now();
  while (read() !== expected) {
    if (performance.now() - started > timeoutMs) throw new Error(`still ${String(read())} after ${timeoutMs} ms, expected ${String(expected)}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return performance.now() - started;
}

describe.skipIf(redis.skip)('RedisBreakerStore against a real Redis', () => {
  const url = redis.url!;
  const prefix = `sy:cb:test:${randomUUID()}`;
  const errors: string[] = [];
  const stores: RedisBreakerStore[] = [];
  let admin: Redis;

  function newStore(connectionName = 'switchyard-breaker-test'): RedisBreakerStore {
    const store = new RedisBreakerStore({
      url,
      prefix,
      redisOptions: { connectTimeout: 2000, maxRetriesPerRequest: 1, connectionName },
      onError: (error, operation) => errors.push(`${operation}: ${error.message}`),
    });
    stores.push(store);
    return store;
  }

  async function startedStore(connectionName?: string): Promise<RedisBreakerStore> {
    const store = newStore(connectionName);
    await store.start();
    return store;
  }

  beforeAll(async () => {
    admin = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 1, retryStrategy: () => null });
    try {
      await admin.connect();
      await admin.ping();
    } catch (error) {
      throw new Error(`Redis at ${url} is unreachable, so the RedisBreakerStore tests cannot run (REDIS_URL is set, so they fail rather than skip): ${String(error)}`);
    }
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.stop()));
    // The only errors these tests provoke on purpose are the unreadable messages.
    expect(errors.filter((line) => !line.startsWith('message: '))).toEqual([]);
    if (admin?.status === 'ready') {
      const keys = await admin.keys(`${prefix}:*`);
      if (keys.length > 0) await admin.del(...keys);
      await admin.quit();
    }
  });

  it('shows a key that instance A opens as open on instance B within 200 ms', async () => {
    const [first, second] = await Promise.all([startedStore(), startedStore()]);
    const changes: [string, number | undefined][] = [];
    second.onChange((key, until) => changes.push([key, until]));
    const until = Date.now() + 30_000;
    first.open('openai/gpt-4o', until);
    expect(first.isOpenUntil('openai/gpt-4o')).toBe(until); // local at once
    const elapsed = await eventually(() => second.isOpenUntil('openai/gpt-4o'), until);
    expect(elapsed).toBeLessThan(200);
    expect(changes).toEqual([['openai/gpt-4o', until]]);
    await first.flush();
    expect(await admin.get(`${prefix}:openai/gpt-4o`)).toBe(String(until));
    const ttl = await admin.pttl(`${prefix}:openai/gpt-4o`);
    expect(ttl).toBeGreaterThan(30_000);
    expect(ttl).toBeLessThanOrEqual(30_000 + 10 * 60_000);

    first.close('openai/gpt-4o');
    await eventually(() => second.isOpenUntil('openai/gpt-4o'), undefined);
    expect(changes.at(-1)).toEqual(['openai/gpt-4o', undefined]);
    await first.flush();
    expect(await admin.exists(`${prefix}:openai/gpt-4o`)).toBe(0);
  });

  it('loads the breakers already open when it starts', async () => {
    const first = await startedStore();
    const until = Date.now() + 60_000;
    first.open('anthropic/claude', until);
    await first.flush();
    const late = await startedStore();
    expect(late.isOpenUntil('anthropic/claude')).toBe(until);
    first.close('anthropic/claude');
    await first.flush();
  });

  it('makes a breaker tripped on one instance refuse requests on another', async () => {
    const [first, second] = await Promise.all([startedStore(), startedStore()]);
    const options = { consecutive_failures: 2, cooldown_ms: 60_000 };
    const breakerA = new CircuitBreaker(options, first);
    const breakerB = new CircuitBreaker(options, second);
    breakerA.recordFailure('groq/llama', false);
    breakerA.recordFailure('groq/llama', false);
    await eventually(() => breakerB.tryAcquire('groq/llama').allowed, false);
    expect(breakerB.state('groq/llama')).toBe('open');
    first.close('groq/llama');
    await eventually(() => breakerB.state('groq/llama'), 'closed');
    breakerA.dispose();
    breakerB.dispose();
  });

  it('reloads from Redis after reconnecting, since messages sent meanwhile are lost', async () => {
    const name = `switchyard-breaker-test-${randomUUID()}`;
    const store = await startedStore(name);
    const until = Date.now() + 60_000;
    // Changes written behind its back, with no message: only a reload can see them.
    await admin.set(`${prefix}:written-while-away`, String(until), 'PX', 60_000);
    store.open('deleted-while-away', until);
    await store.flush();
    await admin.del(`${prefix}:deleted-while-away`);
    const clients = (await admin.client('LIST')) as string;
    const ids = clients
      .split('\n')
      .filter((line) => line.includes(` name=${name} `))
      .map((line) => /\bid=(\d+)/.exec(line)![1]);
    expect(ids).toHaveLength(2);
    for (const id of ids) await admin.client('KILL', 'ID', id);
    await eventually(() => store.isOpenUntil('written-while-away'), until, 2000);
    await eventually(() => store.isOpenUntil('deleted-while-away'), undefined, 2000);
  });

  it('counts and reports an unreadable message instead of ignoring it', async () => {
    const store = await startedStore();
    const before = store.errors;
    await admin.publish(prefix, 'not json');
    await admin.publish(prefix, JSON.stringify({ key: 'x', until: 'soon' }));
    await eventually(() => store.errors, before + 2);
    expect(errors.filter((line) => line.startsWith('message: unreadable message')).length).toBeGreaterThanOrEqual(2);
    expect(store.isOpenUntil('x')).toBeUndefined();
  });
});

describe('RedisBreakerStore without a reachable Redis', () => {
  it('rejects start(), keeps working locally, and counts every error instead of throwing', async () => {
    const reported: string[] = [];
    const store = new RedisBreakerStore({
      url: 'redis://127.0.0.1:1',
      prefix: `sy:cb:test:${randomUUID()}`,
      redisOptions: { retryStrategy: () => null, connectTimeout: 500, maxRetriesPerRequest: 0 },
      onError: (error, operation) => reported.push(operation),
    });
    await expect(store.start()).rejects.toThrow();
    expect(() => store.open('k', Date.now() + 1000)).not.toThrow();
    expect(store.isOpenUntil('k')).toBeGreaterThan(Date.now());
    expect(() => store.close('k')).not.toThrow();
    expect(store.isOpenUntil('k')).toBeUndefined();
    await store.flush();
    expect(store.errors).toBe(reported.length);
    expect(reported).toContain('start');
    expect(reported).toContain('open');
    expect(reported).toContain('close');
    await store.stop();
  });

  it('forgets an entry locally once its retention is over', () => {
    const clock = { now: 1000 };
    const store = new RedisBreakerStore({ url: 'redis://127.0.0.1:1', retentionMs: 500, clock: () => clock.now, onError: () => undefined, redisOptions: { retryStrategy: () => null, maxRetriesPerRequest: 0 } });
    store.open('k', 2000);
    clock.now = 2499;
    expect(store.isOpenUntil('k')).toBe(2000);
    clock.now = 2500;
    expect(store.isOpenUntil('k')).toBeUndefined();
    return store.stop();
  });
});
