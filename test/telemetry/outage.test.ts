/**
 * A database outage, end to end: PostgreSQL is reached through a TCP proxy
 * that the test cuts and restores. Requests keep flowing while it is down,
 * the log queue spills to disk, and once the database is back everything
 * drains: the log holds exactly one record per request.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresGate } from '../helpers/services.js';
import { startFaultMock, type FaultMock } from '../mocks/fault-mock.js';
import { eventually, isolatedPostgres, startTelemetryGateway, type TelemetryGateway } from './helpers.js';

const gate = postgresGate();

interface Proxy {
  readonly port: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

async function startProxy(targetHost: string, targetPort: number): Promise<Proxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  let listening = false;
  const listen = (): Promise<void> =>
    listening ? Promise.resolve() : new Promise((resolve) => {
      listening = true;
      server = createServer((client) => {
        const upstream = connect(targetPort, targetHost);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const down = async (): Promise<void> => {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  await listen();
  return { port, down, up: listen, close: down };
}

async function metric(harness: TelemetryGateway, name: string): Promise<number> {
  const text = await (await fetch(`${harness.gateway.url}/metrics`)).text();
  const line = text.split('\n').find((entry) => entry.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe.skipIf(gate.skip)('a log database outage', () => {
  let upstream: FaultMock;
  let proxy: Proxy;
  let database: Awaited<ReturnType<typeof isolatedPostgres>>;
  let harness: TelemetryGateway;

  beforeAll(async () => {
    upstream = await startFaultMock('up');
    const target = new URL(gate.url!);
    proxy = await startProxy(target.hostname, Number(target.port || 5432));
    database = await isolatedPostgres(gate.url!, { port: proxy.port });
    harness = await startTelemetryGateway({
      config: { providers: { up: { type: 'openai', api_key: 'k', base_url: `${upstream.url}/v1` } } },
      postgres: database.sql,
      postgresUrl: database.url,
      telemetry: { logging: { queue_max_records: 4, batch_max_records: 4, flush_interval_ms: 25 } },
    });
  });
  afterAll(async () => {
    await harness?.close();
    await proxy?.up();
    await database?.drop();
    await proxy?.close();
    await upstream?.close();
  });

  it('keeps serving, spills, then drains: one record per request', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: harness.gateway.baseURL, maxRetries: 0 });
    const ask = async (count: number, prefix: string): Promise<void> => {
      for (let index = 0; index < count; index += 1) {
        const completion = await client.chat.completions.create({ model: 'up/m', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': `${prefix}-${index}` } });
        expect(completion.choices[0]!.message.content).toBe('served by up');
      }
    };
    const count = async (): Promise<number> => (await database.sql`SELECT count(*)::int AS count FROM request_log`)[0]!.count;

    await ask(5, 'before');
    await eventually(async () => expect(await count()).toBe(5));

    await proxy.down();
    await ask(30, 'during');
    await eventually(async () => expect(await metric(harness, 'switchyard_log_records_spilled_total')).toBeGreaterThan(0), 10_000);
    expect(await metric(harness, 'switchyard_log_write_failures_total')).toBeGreaterThan(0);

    await proxy.up();
    await eventually(async () => expect(await count()).toBe(35), 30_000);
    const ids = (await database.sql`SELECT id FROM request_log`).map((row) => String(row.id)).sort();
    expect(ids).toEqual([...Array.from({ length: 5 }, (_, index) => `before-${index}`), ...Array.from({ length: 30 }, (_, index) => `during-${index}`)].sort());
    expect(await metric(harness, 'switchyard_log_records_written_total')).toBe(35);
    expect(await metric(harness, 'switchyard_log_spill_bytes')).toBe(0);
    expect(await metric(harness, 'switchyard_log_queue_depth')).toBe(0);
    const text = await (await fetch(`${harness.gateway.url}/metrics`)).text();
    expect(text).not.toMatch(/^switchyard_log_records_dropped_total\{/m);
  }, 60_000);
});
