/**
 * Builds governance from its config and storage handles.
 *
 * Embedded (default): keys, budgets and the ledger in the SQLite file,
 * counters in memory. Shared (PostgreSQL and Redis given): keys, budgets and
 * the ledger in PostgreSQL (migrated at start-up), counters and reservations
 * in Redis, changes pushed through Redis pub/sub, and a local SQLite journal
 * in front of the PostgreSQL ledger. Either one alone is allowed, with a
 * warning: PostgreSQL without Redis keeps limits per instance.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AdminRoute } from '../admin/router.js';
import { migrateSqlite, type SqliteDatabase } from '../storage/sqlite.js';
import type { PostgresClient } from '../storage/postgres.js';
import { loadPriceTable } from '../usage/price-table.js';
import { BudgetAlerts, type PostJson } from './budget-alerts.js';
import { ChangeBus } from './change-bus.js';
import { governanceConfigSchema, type GovernanceConfigInput } from './config-schema.js';
import type { CounterStore } from './counters/counter-types.js';
import { MemoryCounters } from './counters/memory-counters.js';
import { RedisCounters } from './counters/redis-counters.js';
import { cipherFromEnv } from './credential-cipher.js';
import { Directory } from './directory.js';
import { GovernanceService, type ChangeNotice } from './governance-service.js';
import { GovernanceStage } from './governance-stage.js';
import { governanceAdminRoutes } from './admin-routes.js';
import { EmbeddedLedger, JournaledLedger, type LedgerSink } from './ledger-sink.js';
import { Pricing } from './pricing.js';
import { createStats, rateLimitedLog, type GovernanceStats } from './stats.js';
import { GovernanceStore } from './store/governance-store.js';
import { journalMigrations } from './store/schema.js';
import { SqliteAdapter } from './store/sql-adapter.js';

export interface CreateGovernanceOptions {
  /** The `governance` config key (input or already parsed; `{}` is valid). */
  readonly config?: GovernanceConfigInput;
  readonly env: NodeJS.ProcessEnv;
  /** The instance's SQLite database: the embedded store, or the shared mode's local journal. */
  readonly sqlite: SqliteDatabase;
  /** Shared mode's store (keys, teams, budgets, ledger). */
  readonly postgres?: PostgresClient;
  /** Shared mode's counters and change messages. */
  readonly redisUrl?: string;
  readonly logger: Logger;
  readonly clock?: () => number;
  /** Budget alert delivery (tests); a JSON POST by default. */
  readonly postAlert?: PostJson;
}

export interface Governance {
  readonly stage: GovernanceStage;
  readonly adminRoutes: AdminRoute[];
  readonly service: GovernanceService;
  readonly stats: GovernanceStats;
  readonly mode: 'embedded' | 'shared' | 'mixed';
  /** Counters, the ledger and what is waiting, for the status route. */
  status(): Record<string, unknown>;
  /** Ships waiting ledger entries now (shared mode). */
  flushLedger(): Promise<void>;
  stop(): Promise<void>;
}

export async function createGovernance(options: CreateGovernanceOptions): Promise<Governance> {
  const config = governanceConfigSchema.parse(options.config ?? {});
  const clock = options.clock ?? Date.now;
  const logger = options.logger.child({ module: 'governance' });
  const stats = createStats();
  const warn = rateLimitedLog(10_000, clock);
  const { cipher, problem: cipherProblem } = cipherFromEnv(options.env);
  const origin = randomUUID();

  const store = options.postgres ? GovernanceStore.postgres(options.postgres) : GovernanceStore.sqlite(options.sqlite);
  await store.migrate();
  const local = new SqliteAdapter(options.sqlite);
  if (options.postgres) migrateSqlite(options.sqlite, 'governance_journal', journalMigrations);

  let counters: CounterStore;
  if (options.redisUrl) {
    const redis = new RedisCounters({
      url: options.redisUrl,
      prefix: config.redis_prefix,
      commandTimeoutMs: config.redis_timeout_ms,
      onSeedError: (error, key) => {
        stats.databaseErrors += 1;
        warn('seed', (suppressed) => logger.error({ err: error, key, suppressed }, 'governance: a budget counter cannot be seeded from the ledger; it counts from zero until it can'));
      },
    });
    redis.client.on('error', (error: unknown) => {
      stats.redisErrors += 1;
      warn('redis', (suppressed) => logger.error({ err: error, suppressed }, 'governance: Redis connection error'));
    });
    try {
      await redis.start();
    } catch (error) {
      logger.error({ err: error, policy: config.redis_failure_policy }, 'governance: Redis cannot be reached at start-up; the Redis failure policy applies until it can');
    }
    counters = redis;
  } else {
    counters = new MemoryCounters();
  }

  const directory = new Directory(store, cipher, logger, stats);
  await directory.reload();
  if (!directory.loaded) logger.error('governance: the key store cannot be read at start-up; requests are refused (503) until it can');

  let bus: ChangeBus | undefined;
  const onNotice = (notice: ChangeNotice): void => {
    if (notice.revokedKeyHash) directory.evictKey(notice.revokedKeyHash);
    void directory.reload();
  };
  if (options.redisUrl) {
    bus = new ChangeBus({
      url: options.redisUrl,
      prefix: config.redis_prefix,
      origin,
      onNotice,
      onResubscribed: () => void directory.reload(),
      onError: (error, operation) => {
        stats.redisErrors += 1;
        warn(`bus:${operation}`, (suppressed) => logger.error({ err: error, operation, suppressed }, 'governance: change messages through Redis failed; the store is polled instead'));
      },
    });
    try {
      await bus.start();
    } catch (error) {
      logger.error({ err: error }, 'governance: cannot subscribe to change messages; changes arrive through the revision poll only');
    }
  }

  let sink: LedgerSink;
  const timing = { commitIntervalMs: config.ledger_commit_interval_ms, batchSize: config.ledger_batch_size };
  if (options.postgres) {
    const journaled = new JournaledLedger({ journal: local, store, counters, logger, stats, clock, intervalMs: config.ledger_flush_interval_ms, batchSize: config.ledger_batch_size, timing, warn });
    journaled.start();
    sink = journaled;
  } else {
    sink = new EmbeddedLedger(local, logger, stats, timing);
  }

  const pricing = new Pricing(loadPriceTable(config.prices, config.price_file), config.default_max_output_tokens);
  const alerts = new BudgetAlerts({ store, webhookUrl: config.alert_webhook_url, logger, stats, clock, post: options.postAlert });
  const stage = new GovernanceStage({ config, directory, store, counters, sink, pricing, alerts, stats, logger, clock, warn });
  const service = new GovernanceService({
    store,
    cipher,
    cipherProblem,
    timeZone: config.time_zone,
    clock,
    counters,
    notify: async (notice) => {
      if (notice.revokedKeyHash) directory.evictKey(notice.revokedKeyHash);
      await directory.reload();
      await bus?.publish(notice).catch((error: unknown) => {
        stats.redisErrors += 1;
        logger.error({ err: error }, 'governance: a change could not be announced through Redis; other instances see it at their next revision poll');
      });
    },
  });

  const poll = setInterval(() => void directory.refreshIfChanged(), config.poll_interval_ms);
  poll.unref();
  const refresh = setInterval(() => void directory.reload(), config.refresh_interval_ms);
  refresh.unref();

  const mode = options.postgres && options.redisUrl ? 'shared' : options.postgres || options.redisUrl ? 'mixed' : 'embedded';
  if (mode === 'mixed') logger.warn({ postgres: Boolean(options.postgres), redis: Boolean(options.redisUrl) }, 'governance: only one of PostgreSQL and Redis is configured; set both (DATABASE_URL and REDIS_URL) to share keys, limits and budgets across instances');
  if (config.auth === 'off') logger.warn('governance: auth is off; requests without a virtual key are served');
  else if (config.auth === 'auto' && directory.loaded && !directory.hasKeys()) logger.warn('governance: no virtual key exists yet, so the gateway runs open; create one (switchyard keys create) and every request will need one');
  if (!cipher) logger.info({ reason: cipherProblem }, 'governance: provider credentials cannot be stored (SWITCHYARD_MASTER_KEY)');
  logger.info({ mode, store: store.kind, counters: counters.kind, prices: pricing.table.version }, 'governance ready');

  const status = (): Record<string, unknown> => ({
    mode,
    store: store.kind,
    counters: counters.kind,
    auth: config.auth,
    open: config.auth === 'off' || (config.auth === 'auto' && !directory.hasKeys()),
    store_healthy: directory.healthy,
    revision: directory.revision,
    ledger_pending: sink.pending(),
    price_table_version: pricing.table.version,
    stats: { ...stats },
  });

  return {
    stage,
    adminRoutes: governanceAdminRoutes(service, status),
    service,
    stats,
    mode,
    status,
    flushLedger: () => sink.flush(),
    async stop() {
      clearInterval(poll);
      clearInterval(refresh);
      await stage.drain();
      await alerts.settled();
      await sink.stop();
      await bus?.stop();
      await counters.stop();
    },
  };
}
