/**
 * One gateway process with governance in shared mode, for the multi-instance
 * tests: `node --import tsx test/governance/instance.ts`. Reads
 * GOV_TEST_UPSTREAM (mock OpenAI base URL), DATABASE_URL and GOV_TEST_PG_SCHEMA,
 * REDIS_URL and GOV_TEST_REDIS_PREFIX, GOV_TEST_SQLITE (this instance's journal),
 * GOV_TEST_CONFIG (governance config JSON) and SWITCHYARD_ADMIN_TOKEN;
 * prints `listening <port>` once it serves.
 */
import postgres from 'postgres';
import { destination, pino } from 'pino';
import { AdminRouter } from '../../src/admin/router.js';
import { createGovernance } from '../../src/governance/index.js';
import { parseConfig } from '../../src/routing/load-config.js';
import { createGateway } from '../../src/server/gateway.js';
import { openSqlite } from '../../src/storage/sqlite.js';

const env = process.env;
const required = (name: string): string => {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const logger = pino({ level: env.LOG_LEVEL ?? 'warn' }, destination(2));
const sql = postgres(required('DATABASE_URL'), { max: 5, onnotice: () => {}, connect_timeout: 2, idle_timeout: 30, connection: { search_path: required('GOV_TEST_PG_SCHEMA') } });
const sqlite = openSqlite(required('GOV_TEST_SQLITE'));
const governance = await createGovernance({
  config: { ...JSON.parse(env.GOV_TEST_CONFIG ?? '{}'), redis_prefix: required('GOV_TEST_REDIS_PREFIX') },
  env,
  sqlite,
  postgres: sql,
  redisUrl: required('REDIS_URL'),
  logger,
});
const router = new AdminRouter(env.SWITCHYARD_ADMIN_TOKEN, 1024 * 1024).add(...governance.adminRoutes, {
  method: 'POST',
  path: '/admin/test/flush',
  handle: async () => {
    await governance.stage.drain();
    await governance.flushLedger();
    return { body: governance.status() };
  },
});
const config = parseConfig({ providers: { openai: { api_key: 'upstream-key', base_url: `${required('GOV_TEST_UPSTREAM')}/v1` } } }, env);
const gateway = createGateway(config, env, { stages: [governance.stage], logger, plainRoutes: [{ prefix: '/admin', handle: (_state, context, path) => router.handle(context, path) }] });
const address = await gateway.listen(0, '127.0.0.1');
process.stdout.write(`listening ${address.port}\n`);

process.on('SIGTERM', () => {
  void gateway
    .close(2000)
    .then(() => governance.stop())
    .then(() => sql.end({ timeout: 2 }))
    .finally(() => process.exit(0));
});
