/**
 * The composition root: builds every subsystem from the config and the
 * environment, in the order requests meet them (governance, guardrails, cache,
 * telemetry), and mounts their admin routes, /metrics and the dashboard.
 * Embedded by default (one SQLite file, memory); shared when DATABASE_URL and
 * REDIS_URL are set.
 */
import type { Logger } from 'pino';
import { AdminRouter } from '../admin/router.js';
import { createDashboardRoute } from '../dashboard/dashboard-route.js';
import { locateDashboardFiles } from '../dashboard/locate-dashboard-files.js';
import { createGovernance } from '../governance/index.js';
import { createGuardrails } from '../guardrails/index.js';
import { createCache } from '../cache/index.js';
import { MemoryBreakerStore, type BreakerStore } from '../routing/circuit-breaker.js';
import type { GatewayConfig } from '../routing/config-schema.js';
import { RedisBreakerStore } from '../routing/redis-breaker-store.js';
import { connectPostgres, type PostgresClient } from '../storage/postgres.js';
import { logDatabaseFile, openLogSqlite, openSqlite } from '../storage/sqlite.js';
import { createTelemetry } from '../telemetry/index.js';
import type { PlainHandler } from './app.js';
import { createGateway, type Gateway } from './gateway.js';
import { AbortEmitter } from './abort-emitter.js';
import { internalChat, internalEmbeddings } from './internal-calls.js';
import type { Stage } from './pipeline.js';
import { keyDefaultsStage } from './route-request.js';

export interface ComposedGateway {
  readonly gateway: Gateway;
  /** Closes the gateway gracefully, then every subsystem and connection. */
  stop(graceMs?: number): Promise<void>;
}

export async function composeGateway(config: GatewayConfig, env: NodeJS.ProcessEnv, logger: Logger): Promise<ComposedGateway> {
  const stops: (() => Promise<void> | void)[] = [];
  const sqliteFile = env.SWITCHYARD_DB || config.storage.sqlite_path;
  const sqlite = openSqlite(sqliteFile);
  stops.push(() => {
    sqlite.close();
  });
  let postgres: PostgresClient | undefined;
  if (env.DATABASE_URL) {
    postgres = connectPostgres(env.DATABASE_URL);
    stops.push(() => postgres!.end({ timeout: 5 }));
  }
  // The request log has a file of its own: its writes never wait for the ledger's, and its size cap counts only the log.
  const logSqlite = !postgres && config.telemetry.logging.enabled ? openLogSqlite(logDatabaseFile(sqliteFile, config.storage.log_sqlite_path)) : undefined;
  if (logSqlite) {
    stops.push(() => {
      logSqlite.close();
    });
  }
  const redisUrl = env.REDIS_URL || undefined;

  let breakerStore: BreakerStore = new MemoryBreakerStore();
  if (redisUrl) {
    const shared = new RedisBreakerStore({ url: redisUrl, onError: (error, operation) => logger.warn({ err: error, operation }, 'circuit breaker store: Redis error') });
    await shared.start();
    stops.push(() => shared.stop());
    breakerStore = shared;
  }

  const telemetry = await createTelemetry({ config: config.telemetry, env, sqlite: logSqlite, postgres, postgresUrl: env.DATABASE_URL || undefined, logger });
  stops.push(() => telemetry.stop());
  breakerStore.onChange?.((key, openUntil) => telemetry.metrics.setBreakerState(key, openUntil === undefined ? 'closed' : 'open'));

  const governance = await createGovernance({ config: config.governance, env, sqlite, postgres, redisUrl, logger });
  stops.push(() => governance.stop());

  // The judge calls the gateway itself; the state exists once the gateway is built, just below.
  let gatewayState: Gateway['state'] | undefined;
  const guardrails = createGuardrails({
    config: config.guardrails,
    logger,
    routes: { ...config.routes, ...config.configs },
    judge: (request, signal) => internalChat(gatewayState!, request, signal ? AbortEmitter.following(signal) : undefined),
  });
  stops.push(() => guardrails.stop());

  const cache = await createCache({
    config: config.cache,
    sqlite,
    redisUrl,
    logger,
    embed: async (texts, model) => {
      const answer = await internalEmbeddings(gatewayState!, { model, input: texts });
      return [...answer.data].sort((a, b) => a.index - b.index).map((item) => item.embedding as number[]);
    },
  });
  stops.push(() => cache.stop());

  const admin = new AdminRouter(env.SWITCHYARD_ADMIN_TOKEN, config.server.body_limit_bytes).add(...governance.adminRoutes, ...telemetry.adminRoutes, ...cache.adminRoutes);
  const adminRoute: PlainHandler = (_state, context, path) => admin.handle(context, path);
  const gateway = createGateway(config, env, {
    breakerStore,
    logger,
    stages: [governance.stage, keyDefaultsStage, guardrails.stage, cache.stage, telemetry.stage] satisfies Stage[],
    traceHeaders: (exchange) => telemetry.traceHeaders(exchange),
    plainRoutes: [telemetry.logStreamRoute, { prefix: '/admin', handle: adminRoute }, telemetry.metricsRoute, createDashboardRoute({ root: locateDashboardFiles() })],
  });
  gatewayState = gateway.state;
  return {
    gateway,
    async stop(graceMs) {
      await gateway.close(graceMs);
      for (const stop of stops.reverse()) {
        try {
          await stop();
        } catch (error) {
          logger.error({ err: error }, 'a subsystem failed to stop cleanly');
        }
      }
    },
  };
}
