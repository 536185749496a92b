/** Shared pieces of the telemetry tests: records, fake exchanges, and a gateway with the telemetry stage wired in. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { AdminRouter } from '../../src/admin/router.js';
import type { Exchange, Stage } from '../../src/server/pipeline.js';
import { openSqlite } from '../../src/storage/sqlite.js';
import { noDelaySocket, type PostgresClient } from '../../src/storage/postgres.js';
import { createTelemetry, telemetryConfigSchema, type Telemetry, type TelemetryConfigInput, type TelemetryClock } from '../../src/telemetry/index.js';
import type { LogRecord } from '../../src/telemetry/record/log-record.js';
import type { GatewayConfigInput } from '../../src/routing/config-schema.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

export const adminToken = 'admin-secret-token';
export const quietLogger = pino({ level: 'silent' });

export function temporaryDirectory(prefix: string): { path: string; remove(): void } {
  const directory = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  return { path: directory, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/** A complete record with every field set; override what a test needs. */
export function makeRecord(overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    id: 'req-1',
    traceId: '0af7651916cd43dd8448eb211c80319c',
    startedAt: Date.UTC(2025, 0, 15, 12, 0, 0),
    latencyMs: 120,
    timeToFirstTokenMs: 80,
    kind: 'chat',
    method: 'POST',
    endpoint: '/v1/chat/completions',
    principal: { keyId: 'key-1', keyName: 'ci', teamId: 'team-1', userId: 'user-1', metadata: { env: 'prod' } },
    metadata: { env: 'prod', feature: 'search' },
    route: 'smart',
    attempts: [{ target: 'targets[0]', provider: 'openai', model: 'gpt-4o', status: 200, latencyMs: 100, retry: 0 }],
    modelRequested: 'smart',
    modelServed: 'gpt-4o',
    provider: 'openai',
    status: 200,
    streamed: false,
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 2 }, completion_tokens_details: { reasoning_tokens: 1 } },
    usageEstimated: false,
    cost: { usd: 0.001, estimated: false, unpriced: false },
    cacheStatus: 'MISS',
    guardrails: [],
    bodyMode: 'metadata',
    requestBody: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content_chars: 2 }] }),
    responseBody: JSON.stringify({ id: 'chatcmpl-1', model: 'gpt-4o', choices: [{ finish_reason: 'stop', content_chars: 5 }] }),
    ...overrides,
  };
}

/** A stage that answers like a governance stage refusing a request. */
export function refusingStage(error: () => Error): Stage {
  return {
    name: 'refuse',
    before(exchange: Exchange) {
      exchange.principal = { keyId: 'key-9', keyName: 'blocked', teamId: 'team-9', userId: 'user-9', metadata: { tier: 'free' } };
      if (exchange.context.request.headers['x-test-refuse'] === 'yes') throw error();
    },
  };
}

export interface TelemetryGateway {
  gateway: TestGateway;
  telemetry: Telemetry;
  admin(pathAndQuery: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** A gateway whose stages end with telemetry over a fresh SQLite file (or the given PostgreSQL), with the admin API and /metrics. */
export async function startTelemetryGateway(options: {
  config?: GatewayConfigInput;
  telemetry?: TelemetryConfigInput;
  /** Wire `traceHeaders` into the gateway, as compose.ts does (upstream calls then carry `traceparent`). */
  traceHeaders?: boolean;
  stages?: Stage[];
  postgres?: PostgresClient;
  /** The URL of `postgres`: with it, log batches are written from the writer thread. */
  postgresUrl?: string;
  env?: NodeJS.ProcessEnv;
  clock?: TelemetryClock;
} = {}): Promise<TelemetryGateway> {
  const directory = temporaryDirectory('telemetry-gateway');
  const env = { SWITCHYARD_ADMIN_TOKEN: adminToken, ...options.env };
  const sqlite = options.postgres ? undefined : openSqlite(path.join(directory.path, 'gateway.db'));
  const config = telemetryConfigSchema.parse({
    ...options.telemetry,
    logging: { spill_dir: path.join(directory.path, 'spill'), flush_interval_ms: 50, ...options.telemetry?.logging },
    metrics: { process_metrics: false, ...options.telemetry?.metrics },
  });
  const telemetry = await createTelemetry({ config, env, sqlite, postgres: options.postgres, postgresUrl: options.postgresUrl, logger: quietLogger, clock: options.clock });
  const router = new AdminRouter(adminToken, 1024 * 1024).add(...telemetry.adminRoutes);
  const gateway = await startGateway({
    config: options.config,
    env,
    stages: [...(options.stages ?? []), telemetry.stage],
    // As compose.ts wires it, when asked: each upstream call carries the request's trace context.
    ...(options.traceHeaders ? { traceHeaders: (exchange: Exchange) => telemetry.traceHeaders(exchange) } : {}),
    plainRoutes: [telemetry.logStreamRoute, { prefix: '/admin', handle: (_state, context, pathName) => router.handle(context, pathName) }, telemetry.metricsRoute],
  });
  return {
    gateway,
    telemetry,
    async admin(pathAndQuery) {
      const response = await fetch(`${gateway.url}${pathAndQuery}`, { headers: { authorization: `Bearer ${adminToken}` } });
      return { status: response.status, body: await response.json() };
    },
    async close() {
      await gateway.close();
      await telemetry.stop();
      sqlite?.close();
      directory.remove();
    },
  };
}

/** Waits until `check` passes (finish hooks run after the response, so records arrive a moment later). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** A PostgreSQL client confined to a fresh schema (its search_path), dropped by `drop()`. */
export async function isolatedPostgres(url: string, options: { port?: number } = {}): Promise<{ sql: PostgresClient; schema: string; url: string; drop(): Promise<void> }> {
  const { default: postgres } = await import('postgres');
  const schema = `telemetry_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE SCHEMA ${schema}`);
  const target = new URL(url);
  if (options.port !== undefined) target.port = String(options.port);
  const sql = postgres(target.toString(), { max: 4, onnotice: () => {}, connect_timeout: 2, idle_timeout: 5, connection: { search_path: schema }, ...noDelaySocket(target.toString()) });
  // The same database for a client opened from a URL alone (the log's writer thread): search_path as a query parameter.
  target.searchParams.set('search_path', schema);
  return {
    sql,
    schema,
    url: target.toString(),
    async drop() {
      await sql.end({ timeout: 1 }).catch(() => undefined);
      await admin.unsafe(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}
