/** When Redis cannot be reached: the configured policy applies, and it is counted, never silent. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Redis failure policy', () => {
  it('allow: requests pass without limits, and each one is counted', async () => {
    harness = await startHarness({ redisUrl: `redis://127.0.0.1:${await closedPort()}`, governance: { redis_failure_policy: 'allow', redis_timeout_ms: 200 } });
    const h = harness;
    const key = (await h.admin('POST', '/admin/keys', { name: 'k', limits: { rpm: 1 } })).body;
    const statuses = [];
    for (let index = 0; index < 3; index += 1) statuses.push((await h.chat({}, { authorization: `Bearer ${key.secret}` })).status);
    expect(statuses).toEqual([200, 200, 200]);
    expect(h.governance.stats.admittedWithoutCounters).toBe(3);
    expect(h.governance.stats.redisErrors).toBeGreaterThanOrEqual(3);
    // The spend is still recorded.
    await h.governance.flushLedger();
    expect(h.sqlite.prepare('SELECT COUNT(*) FROM gov_ledger').pluck().get()).toBe(3);
  });

  it('deny: requests are refused with 503 governance_unavailable', async () => {
    harness = await startHarness({ redisUrl: `redis://127.0.0.1:${await closedPort()}`, governance: { redis_failure_policy: 'deny', redis_timeout_ms: 200 } });
    const h = harness;
    const key = (await h.admin('POST', '/admin/keys', { name: 'k', limits: { rpm: 100 } })).body;
    const refused = await h.chat({}, { authorization: `Bearer ${key.secret}` });
    expect(refused.status).toBe(503);
    expect((await refused.json()).error.code).toBe('governance_unavailable');
    expect(h.upstream.requests.length).toBe(0);
    expect(h.governance.stats.refusedUnavailable).toBe(1);
  });
});
