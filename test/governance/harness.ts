/** An in-process gateway with the governance stage (embedded mode), its admin API, and a fault-mock upstream. */
import { pino } from 'pino';
import { AdminRouter } from '../../src/admin/router.js';
import { createGovernance, type Governance } from '../../src/governance/index.js';
import type { GovernanceConfigInput } from '../../src/governance/config-schema.js';
import type { RouteNode } from '../../src/routing/route-schema.js';
import type { Stage } from '../../src/server/pipeline.js';
import { openSqlite, type SqliteDatabase } from '../../src/storage/sqlite.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { startFaultMock, type FaultMock } from '../mocks/fault-mock.js';

export const adminToken = 'admin-test-token';
export const masterKey = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

export interface Harness {
  gateway: TestGateway;
  governance: Governance;
  upstream: FaultMock;
  sqlite: SqliteDatabase;
  admin<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  chat(body: Record<string, unknown>, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function startHarness(options: { governance?: GovernanceConfigInput; extraStages?: Stage[]; clock?: () => number; postAlert?: (url: string, body: unknown) => Promise<void>; redisUrl?: string; routes?: Record<string, RouteNode> } = {}): Promise<Harness> {
  const upstream = await startFaultMock('mock');
  const sqlite = openSqlite(':memory:');
  const logger = pino({ level: 'silent' });
  const env = { SWITCHYARD_MASTER_KEY: masterKey };
  const governance = await createGovernance({ config: options.governance ?? {}, env, sqlite, logger, clock: options.clock, postAlert: options.postAlert, redisUrl: options.redisUrl });
  const router = new AdminRouter(adminToken, 1024 * 1024).add(...governance.adminRoutes);
  const gateway = await startGateway({
    config: { providers: { openai: { api_key: 'upstream-key', base_url: `${upstream.url}/v1` } }, routes: options.routes ?? {} },
    env,
    stages: [governance.stage, ...(options.extraStages ?? [])],
    plainRoutes: [{ prefix: '/admin', handle: (_state, context, path) => router.handle(context, path) }],
    logger,
  });
  return {
    gateway,
    governance,
    upstream,
    sqlite,
    async admin(method, path, body) {
      const response = await fetch(`${gateway.url}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: response.status, body: await response.json() };
    },
    chat(body, headers = {}) {
      return fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...body }) });
    },
    async close() {
      await gateway.close();
      await governance.stop();
      await upstream.close();
      sqlite.close();
    },
  };
}
