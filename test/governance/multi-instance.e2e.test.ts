/**
 * Three gateway processes sharing one PostgreSQL (through a TCP proxy the test
 * can stop) and one Redis, with one mock upstream: budgets, rate limits,
 * revocation, a `kill -9` under load, and a database outage.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresGate, redisGate } from '../helpers/services.js';
import { startFaultMock, type FaultMock } from '../mocks/fault-mock.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

const redis = redisGate();
const database = postgresGate();
const root = path.resolve(import.meta.dirname, '../..');
const adminToken = 'multi-admin-token';
const run = randomUUID().slice(0, 8);
const schema = `gov_test_${run}`;
const prefix = `sy-test-gov-${run}`;
const directory = mkdtempSync(path.join(tmpdir(), 'sy-gov-'));
// A generous Redis time-out: on this loaded test machine a slow reply must not count as Redis being down (the `allow` policy would then admit uncounted).
const governanceConfig = { prices: { 'openai/budget-model': { input: 500, output: 500 } }, ledger_flush_interval_ms: 100, reservation_ttl_ms: 120_000, redis_timeout_ms: 15_000 };

interface Instance {
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
  output: string;
}

interface Outcome {
  readonly status: number;
  readonly code?: string;
  readonly cost?: string;
  readonly requestId?: string;
  readonly retryAfter?: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(redis.skip || database.skip)('governance across three instances (PostgreSQL + Redis)', () => {
  let upstream: FaultMock;
  let proxy: TcpProxy;
  let sql: postgres.Sql;
  let instanceUrl: string;
  const instances: Instance[] = [];

  function startInstance(name: string): Promise<Instance> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/governance/instance.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: instanceUrl,
        GOV_TEST_PG_SCHEMA: schema,
        REDIS_URL: redis.url,
        GOV_TEST_REDIS_PREFIX: prefix,
        GOV_TEST_SQLITE: path.join(directory, `${name}.db`),
        GOV_TEST_UPSTREAM: upstream.url,
        GOV_TEST_CONFIG: JSON.stringify(governanceConfig),
        SWITCHYARD_ADMIN_TOKEN: adminToken,
        SWITCHYARD_MASTER_KEY: 'a'.repeat(64),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      const instance = { name, child, url: '', output: '' };
      const onData = (data: Buffer): void => {
        instance.output += data.toString();
        const match = /listening (\d+)/.exec(instance.output);
        if (match && !instance.url) {
          const ready = { ...instance, url: `http://127.0.0.1:${match[1]}` };
          child.stderr!.on('data', (more: Buffer) => (ready.output += more.toString()));
          resolve(ready);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('exit', (code) => reject(new Error(`instance ${name} exited ${code}: ${instance.output}`)));
    });
  }

  async function admin(instance: Instance, method: string, route: string, body?: unknown): Promise<any> {
    const response = await fetch(`${instance.url}${route}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await response.json();
    if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  async function chat(instance: Instance, secret: string, body: Record<string, unknown> = {}): Promise<Outcome> {
    try {
      const response = await fetch(`${instance.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...body }),
      });
      const json = (await response.json()) as { error?: { code?: string } };
      return { status: response.status, code: json.error?.code, cost: response.headers.get('x-switchyard-cost-usd') ?? undefined, requestId: response.headers.get('x-request-id') ?? undefined, retryAfter: response.headers.get('retry-after') };
    } catch {
      return { status: 0 };
    }
  }

  async function flushAll(): Promise<void> {
    await Promise.all(instances.filter((instance) => instance.child.exitCode === null && !instance.child.killed).map((instance) => admin(instance, 'POST', '/admin/test/flush')));
  }

  async function ledgerRows(keyId: string): Promise<{ request_id: string; cost_nano: string }[]> {
    return sql<{ request_id: string; cost_nano: string }[]>`SELECT request_id, cost_nano FROM gov_ledger WHERE key_id = ${keyId}`;
  }

  /** Polls the ledger until it holds `count` entries for the key (the journals ship every 100 ms). */
  async function waitForLedger(keyId: string, count: number): Promise<{ request_id: string; cost_nano: string }[]> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      await flushAll();
      const rows = await ledgerRows(keyId);
      if (rows.length >= count) return rows;
      await sleep(100);
    }
    return ledgerRows(keyId);
  }

  beforeAll(async () => {
    sql = postgres(database.url!, { max: 2, onnotice: () => {}, connection: { search_path: schema } });
    await sql.unsafe(`CREATE SCHEMA ${schema}`);
    const target = new URL(database.url!);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(database.url!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    instanceUrl = viaProxy.toString();
    upstream = await startFaultMock('mock');
    instances.push(...(await Promise.all(['a', 'b', 'c'].map(startInstance))));
  }, 60_000);

  afterAll(async () => {
    for (const instance of instances) instance.child.kill('SIGKILL');
    await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await sql.end({ timeout: 5 });
    const client = new Redis(redis.url!);
    const keys = await client.keys(`${prefix}:*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
    await proxy?.stop().catch(() => undefined);
    await upstream?.close();
    rmSync(directory, { recursive: true, force: true });
  }, 30_000);

  it('a $1.00 budget holds under 300 concurrent requests spread over the instances', async () => {
    const [a] = instances;
    const created = await admin(a!, 'POST', '/admin/keys', { name: 'budget-1usd', budgets: [{ amount_usd: 1, period: 'monthly' }] });
    upstream.script(...Array.from({ length: 300 }, () => ({ kind: 'ok' as const, delayMs: 20 })));
    // Worst case per request: (ceil(8 × 1.1) + 2) tokens × $500/1M = $0.0055; actual: 7 tokens = $0.0035.
    const outcomes = await Promise.all(Array.from({ length: 300 }, (_, index) => chat(instances[index % 3]!, created.secret, { model: 'openai/budget-model', max_tokens: 2 })));
    upstream.reset();
    const ok = outcomes.filter((outcome) => outcome.status === 200);
    const refused = outcomes.filter((outcome) => outcome.status === 429);
    expect(ok.length + refused.length).toBe(300);
    expect(new Set(refused.map((outcome) => outcome.code))).toEqual(new Set(['budget_exceeded']));
    expect(new Set(ok.map((outcome) => outcome.cost))).toEqual(new Set(['0.0035']));
    // Refusals start only once 181 worst cases ($0.9955) are reserved or settled; settled spend can never pass $1.00.
    expect(ok.length).toBeGreaterThanOrEqual(181);
    const statuses = await Promise.all(instances.map((instance) => admin(instance, 'GET', '/admin/governance/status')));
    expect(statuses.map((status) => [status.stats.redisErrors, status.stats.admittedWithoutCounters, status.stats.databaseErrors])).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    const rows = await waitForLedger(created.key.id, ok.length);
    expect(rows.length).toBe(ok.length);
    const settled = rows.reduce((sum, row) => sum + Number(row.cost_nano), 0);
    expect(settled).toBe(ok.length * 3_500_000);
    // The bound is $1.00 plus the worst case of the requests in flight when the limit was reached; since
    // every admission reserves its worst case first, that in-flight term is already inside the $1.00.
    expect(settled).toBeLessThanOrEqual(1_000_000_000);
    const status = await admin(instances[2]!, 'GET', `/admin/budgets/${created.key.budgets[0].id}/status`);
    expect(status).toMatchObject({ reserved_usd: 0, spent_usd: settled / 1e9 });
  });

  it('an RPM limit of 120 admits between 120 and 121 requests in its window across the instances', async () => {
    const created = await admin(instances[1]!, 'POST', '/admin/keys', { name: 'rpm-120', limits: { rpm: 120 } });
    const outcomes = await Promise.all(Array.from({ length: 200 }, (_, index) => chat(instances[index % 3]!, created.secret)));
    const ok = outcomes.filter((outcome) => outcome.status === 200).length;
    expect(ok).toBeGreaterThanOrEqual(120);
    expect(ok).toBeLessThanOrEqual(121);
    const refused = outcomes.filter((outcome) => outcome.status === 429);
    expect(refused.length).toBe(200 - ok);
    expect(refused.every((outcome) => outcome.code === 'requests_per_minute_exceeded' && Number(outcome.retryAfter) >= 1)).toBe(true);
  });

  it('a key revoked on instance A is refused by instance C within 1 s', async () => {
    const [a, , c] = instances;
    const created = await admin(a!, 'POST', '/admin/keys', { name: 'to-revoke' });
    let before: Outcome = { status: 0 };
    for (let attempt = 0; attempt < 50 && before.status !== 200; attempt += 1) before = await chat(c!, created.secret);
    expect(before.status).toBe(200);
    await admin(a!, 'POST', `/admin/keys/${created.key.id}/revoke`);
    const revokedAt = performance.now();
    let refusedAfter: number | undefined;
    while (performance.now() - revokedAt < 1000) {
      const outcome = await chat(c!, created.secret);
      if (outcome.status === 401) {
        refusedAfter = performance.now() - revokedAt;
        break;
      }
    }
    expect(refusedAfter).toBeDefined();
    expect(refusedAfter!).toBeLessThan(1000);
  });

  it('kill -9 of an instance under load loses no settled spend of a completed request', async () => {
    const created = await admin(instances[0]!, 'POST', '/admin/keys', { name: 'crash', budgets: [{ amount_usd: 100 }] });
    const victim = instances[1]!;
    upstream.script(...Array.from({ length: 400 }, () => ({ kind: 'ok' as const, delayMs: 10 })));
    const completed: Outcome[] = [];
    let sent = 0;
    const worker = async (): Promise<void> => {
      while (sent < 240) {
        const target = instances[sent % 3]!;
        sent += 1;
        const outcome = await chat(target, created.secret, { model: 'openai/budget-model', max_tokens: 2 });
        if (outcome.status === 200) completed.push(outcome);
        if (completed.length === 60 && victim.child.exitCode === null && !victim.child.killed) victim.child.kill('SIGKILL');
      }
    };
    await Promise.all(Array.from({ length: 24 }, worker));
    upstream.reset();
    expect(victim.child.killed).toBe(true);
    expect(completed.length).toBeGreaterThan(100);
    // The restarted instance ships its journal.
    const restarted = await startInstance('b');
    instances[1] = restarted;
    const rows = await waitForLedger(created.key.id, completed.length);
    const byRequest = new Map(rows.map((row) => [row.request_id, Number(row.cost_nano)]));
    const missing = completed.filter((outcome) => byRequest.get(outcome.requestId!) !== 3_500_000);
    expect(missing).toEqual([]);
  });

  it('a PostgreSQL outage: requests pass with the cached keys, and the ledger catches up when it returns', async () => {
    const created = await admin(instances[2]!, 'POST', '/admin/keys', { name: 'outage' });
    for (const instance of instances) {
      let warm: Outcome = { status: 0 };
      for (let attempt = 0; attempt < 50 && warm.status !== 200; attempt += 1) warm = await chat(instance, created.secret);
      expect(warm.status).toBe(200);
    }
    await waitForLedger(created.key.id, 3);
    await proxy.stop();
    const during = await Promise.all(Array.from({ length: 30 }, (_, index) => chat(instances[index % 3]!, created.secret)));
    expect(during.map((outcome) => outcome.status)).toEqual(Array.from({ length: 30 }, () => 200));
    await sleep(300);
    expect((await ledgerRows(created.key.id)).length).toBe(3);
    const statuses = await Promise.all(instances.map((instance) => admin(instance, 'GET', '/admin/governance/status')));
    expect(statuses.reduce((sum, status) => sum + status.ledger_pending, 0)).toBe(30);
    expect(statuses.every((status) => status.stats.databaseErrors > 0)).toBe(true);
    await proxy.start();
    const rows = await waitForLedger(created.key.id, 33);
    expect(rows.length).toBe(33);
    const ids = new Set(rows.map((row) => row.request_id));
    expect(during.every((outcome) => ids.has(outcome.requestId!))).toBe(true);
  });
});
