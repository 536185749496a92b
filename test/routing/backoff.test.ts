import { afterEach, describe, expect, it, vi } from 'vitest';
import { RetryBudget, backoffDelay, explicitRetryAfter, parseResetDuration, retryAfterFromHeaders, retryDelay } from '../../src/routing/backoff.js';

const now = Date.UTC(2025, 0, 15, 12, 0, 0);
const options = { baseMs: 100, maxMs: 5000 };

describe('backoffDelay: exponential with full jitter', () => {
  it('scales random() by min(maxMs, baseMs × 2^attempt)', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((attempt) => backoffDelay(attempt, options, () => 1))).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
    expect(backoffDelay(3, options, () => 0.5)).toBe(400);
    expect(backoffDelay(3, options, () => 0)).toBe(0);
  });

  it('survives huge and negative attempts', () => {
    expect(backoffDelay(5000, options, () => 0.5)).toBe(2500);
    expect(backoffDelay(-3, options, () => 0.5)).toBe(50);
  });
});

describe('parseResetDuration', () => {
  it.each([
    ['1s', 1000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['0.5s', 500],
    ['2m', 120_000],
    ['30', 30_000],
    ['1.5', 1500],
    ['0s', 0],
  ])('%s → %d ms', (text, milliseconds) => {
    expect(parseResetDuration(text)).toBe(milliseconds);
  });

  it.each(['', 'soon', '1d', '5 s', 's', '-1s', '1s garbage'])('rejects %j', (text) => {
    expect(parseResetDuration(text)).toBeUndefined();
  });
});

describe('retryAfterFromHeaders', () => {
  it('takes only retry-after-ms and retry-after as an explicit wait, not the rate-limit resets', () => {
    expect(explicitRetryAfter({ 'retry-after-ms': '1500', 'retry-after': '9' }, now)).toBe(1500);
    expect(explicitRetryAfter({ 'retry-after': '9', 'x-ratelimit-reset-requests': '20s' }, now)).toBe(9000);
    expect(explicitRetryAfter({ 'x-ratelimit-reset-requests': '20s' }, now)).toBeUndefined();
    expect(retryAfterFromHeaders({ 'x-ratelimit-reset-requests': '20s' }, now)).toBe(20_000);
  });

  it('reads retry-after-ms', () => {
    expect(retryAfterFromHeaders({ 'retry-after-ms': '1500' }, now)).toBe(1500);
    expect(retryAfterFromHeaders({ 'retry-after-ms': '12.5' }, now)).toBe(12.5);
  });

  it('reads retry-after in seconds', () => {
    expect(retryAfterFromHeaders({ 'retry-after': '7' }, now)).toBe(7000);
    expect(retryAfterFromHeaders({ 'retry-after': '0' }, now)).toBe(0);
  });

  it('reads retry-after as an HTTP date, relative to now', () => {
    expect(retryAfterFromHeaders({ 'retry-after': 'Wed, 15 Jan 2025 12:00:30 GMT' }, now)).toBe(30_000);
    expect(retryAfterFromHeaders({ 'retry-after': 'Wed, 15 Jan 2025 11:59:00 GMT' }, now)).toBe(0);
  });

  it('reads the OpenAI reset headers and takes the larger', () => {
    expect(retryAfterFromHeaders({ 'x-ratelimit-reset-requests': '1s' }, now)).toBe(1000);
    expect(retryAfterFromHeaders({ 'x-ratelimit-reset-tokens': '6m0s' }, now)).toBe(360_000);
    expect(retryAfterFromHeaders({ 'x-ratelimit-reset-requests': '20ms', 'x-ratelimit-reset-tokens': '1h2m3.5s' }, now)).toBe(3_723_500);
    expect(retryAfterFromHeaders({ 'x-ratelimit-reset-requests': '2', 'x-ratelimit-reset-tokens': '900ms' }, now)).toBe(2000);
    expect(retryAfterFromHeaders({ 'x-ratelimit-reset-requests': 'garbage', 'x-ratelimit-reset-tokens': '3s' }, now)).toBe(3000);
  });

  it('follows the precedence retry-after-ms, retry-after, reset headers', () => {
    const all = { 'retry-after-ms': '250', 'retry-after': '9', 'x-ratelimit-reset-requests': '20s' };
    expect(retryAfterFromHeaders(all, now)).toBe(250);
    expect(retryAfterFromHeaders({ ...all, 'retry-after-ms': undefined }, now)).toBe(9000);
    expect(retryAfterFromHeaders({ 'x-ratelimit-reset-requests': '20s' }, now)).toBe(20_000);
  });

  it('falls through an unreadable header to the next', () => {
    expect(retryAfterFromHeaders({ 'retry-after-ms': 'soon', 'retry-after': '4' }, now)).toBe(4000);
    expect(retryAfterFromHeaders({ 'retry-after': 'later', 'x-ratelimit-reset-tokens': '1s' }, now)).toBe(1000);
    expect(retryAfterFromHeaders({ 'retry-after': '-1' }, now)).toBeUndefined();
    expect(retryAfterFromHeaders({ 'retry-after': '2025' }, now)).toBe(2_025_000);
  });

  it('takes the first of repeated values, ignores case and whitespace', () => {
    expect(retryAfterFromHeaders({ 'Retry-After': ' 3 ' }, now)).toBe(3000);
    expect(retryAfterFromHeaders({ 'retry-after': ['5', '60'] }, now)).toBe(5000);
    expect(retryAfterFromHeaders({ 'retry-after': '   ' }, now)).toBeUndefined();
  });

  it('returns undefined without any of them', () => {
    expect(retryAfterFromHeaders({}, now)).toBeUndefined();
    expect(retryAfterFromHeaders({ 'content-type': 'application/json' }, now)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  const noRandom = (): number => {
    throw new Error('random() should not be called');
  };

  it('honours the provider, capped by maxMs', () => {
    expect(retryDelay(0, { ...options, useRetryAfter: true }, { 'retry-after': '2' }, noRandom, now)).toBe(2000);
    expect(retryDelay(0, { ...options, useRetryAfter: true }, { 'retry-after': '60' }, noRandom, now)).toBe(5000);
  });

  it('falls back to backoff when told not to honour it, or when nothing was sent', () => {
    expect(retryDelay(2, { ...options, useRetryAfter: false }, { 'retry-after': '2' }, () => 0.5, now)).toBe(200);
    expect(retryDelay(2, { ...options, useRetryAfter: true }, {}, () => 0.5, now)).toBe(200);
    expect(retryDelay(2, { ...options, useRetryAfter: true }, undefined, () => 0.5, now)).toBe(200);
  });
});

describe('RetryBudget', () => {
  it('limits the number of retries (a plain number)', () => {
    const budget = new RetryBudget(2);
    expect([budget.tryConsume(10), budget.tryConsume(10), budget.tryConsume(0)]).toEqual([true, true, false]);
    expect(budget.retriesUsed).toBe(2);
    expect(budget.remainingRetries).toBe(0);
  });

  it('limits the total wait, and a refused retry takes nothing', () => {
    const budget = new RetryBudget({ maxWaitMs: 1000 });
    expect(budget.tryConsume(600)).toBe(true);
    expect(budget.tryConsume(600)).toBe(false);
    expect(budget.tryConsume(400)).toBe(true);
    expect(budget.waitedMs).toBe(1000);
    expect(budget.retriesUsed).toBe(2);
    expect(budget.tryConsume(1)).toBe(false);
  });

  it('applies both limits together', () => {
    const budget = new RetryBudget({ maxRetries: 3, maxWaitMs: 100 });
    expect(budget.tryConsume(0)).toBe(true);
    expect(budget.tryConsume(150)).toBe(false);
    expect(budget.tryConsume(50)).toBe(true);
    expect(budget.tryConsume(50)).toBe(true);
    expect(budget.tryConsume(0)).toBe(false);
    expect(budget.remainingWaitMs).toBe(0);
  });

  it('allows no retry with a budget of 0', () => {
    expect(new RetryBudget(0).tryConsume(0)).toBe(false);
  });
});

describe('a retry loop waiting on real timers (faked)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits the backoff schedule, then the provider-requested time, within the budget', async () => {
    vi.useFakeTimers({ now });
    const budget = new RetryBudget({ maxRetries: 3 });
    const responses: Record<string, string>[] = [{}, {}, { 'retry-after': '3' }, {}];
    const triedAt: number[] = [];
    const attempt = async (): Promise<boolean> => {
      for (let retry = 0; ; retry += 1) {
        triedAt.push(Date.now() - now);
        if (retry >= responses.length - 1) return true;
        const delay = retryDelay(retry, { baseMs: 100, maxMs: 5000, useRetryAfter: true }, responses[retry], () => 0.5, Date.now());
        if (!budget.tryConsume(delay)) return false;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    };
    const done = attempt();
    await vi.advanceTimersByTimeAsync(49);
    expect(triedAt).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(triedAt).toEqual([0, 50]);
    await vi.advanceTimersByTimeAsync(100);
    expect(triedAt).toEqual([0, 50, 150]);
    await vi.advanceTimersByTimeAsync(2999);
    expect(triedAt).toEqual([0, 50, 150]);
    await vi.advanceTimersByTimeAsync(1);
    await expect(done).resolves.toBe(true);
    expect(triedAt).toEqual([0, 50, 150, 3150]);
    expect(budget.waitedMs).toBe(3150);
  });
});
