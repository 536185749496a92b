/**
 * Observability: the request log (SQLite or PostgreSQL, with an optional
 * JSON-lines copy), its admin API and live tail, Prometheus metrics, and
 * OpenTelemetry traces. `createTelemetry` builds every part from explicit
 * inputs and returns what the gateway wires in.
 */
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import type { AdminRoute } from '../admin/router.js';
import type { PlainHandler } from '../server/app.js';
import type { Exchange, Stage } from '../server/pipeline.js';
import type { PostgresClient } from '../storage/postgres.js';
import type { SqliteDatabase } from '../storage/sqlite.js';
import type { TelemetryConfig } from './config-schema.js';
import { createGatewayMetrics, type TelemetryMetrics } from './metrics/gateway-metrics.js';
import { createMetricsHandler } from './metrics/metrics-route.js';
import { createJsonLinesWriter } from './pipeline/json-lines.js';
import { createLogPipeline, type LogPipeline } from './pipeline/log-pipeline.js';
import { createPipelineObserver } from './pipeline/pipeline-observer.js';
import { openSpillStore } from './pipeline/spill-store.js';
import { openUnwrittenMarker, type UnwrittenMarker } from './pipeline/unwritten-marker.js';
import { createLogAdminRoutes } from './query/admin-routes.js';
import { createLogTail } from './query/log-stream.js';
import { createSecretMasker } from './record/mask-secrets.js';
import type { LogStore, MaintenanceReport } from './storage/log-store.js';
import { createPostgresStore } from './storage/postgres-store.js';
import { createSqliteStore } from './storage/sqlite-store.js';
import { withWriterThread, type WriterSpec } from './storage/writer-thread.js';
import { createTelemetryStage, type RecordConsumer } from './telemetry-stage.js';
import { createContextOnlyTracing } from './tracing/context-only-tracing.js';
import { createRequestTracing } from './tracing/request-tracing.js';
import { createTracerSetup } from './tracing/tracer-provider.js';

export { telemetryConfigSchema, type TelemetryConfig, type TelemetryConfigInput } from './config-schema.js';
export type { TelemetryMetrics, BreakerState } from './metrics/gateway-metrics.js';
export type { LogRecord } from './record/log-record.js';
export type { LogRow, LogDetail, LogPage, AnalyticsBucket, AnalyticsAnswer } from './query/log-row-schema.js';
export type { LogStore, MaintenanceReport } from './storage/log-store.js';

export interface TelemetryClock {
  /** Epoch ms. */
  now(): number;
  /** The clock of `context.startedAt` and `firstTokenAt`: performance.now(). */
  monotonicNow(): number;
}

export interface TelemetryOptions {
  readonly config: TelemetryConfig;
  readonly env: NodeJS.ProcessEnv;
  /** The embedded store; used for the log unless `postgres` is given. */
  readonly sqlite?: SqliteDatabase;
  /** The shared store (DATABASE_URL); when given, the log lives there. */
  readonly postgres?: PostgresClient;
  /** The URL `postgres` was opened with: the log's writer thread opens its own connection with it. */
  readonly postgresUrl?: string;
  readonly logger: Logger;
  readonly clock?: TelemetryClock;
  /** `service.version` of the traces. */
  readonly version?: string;
  /** Where `jsonl: stdout` writes (tests). */
  readonly stdout?: Writable;
}

export interface PlainRoute {
  readonly prefix: string;
  readonly handle: PlainHandler;
}

export interface Telemetry {
  /** The last stage of the pipeline. */
  readonly stage: Stage;
  /** GET /admin/logs, /admin/logs/:id, /admin/analytics (for the admin router). */
  readonly adminRoutes: AdminRoute[];
  /** GET /admin/logs/stream (SSE): a plain route, to register BEFORE the admin router's `/admin` prefix. */
  readonly logStreamRoute: PlainRoute;
  /** GET /metrics. */
  readonly metricsRoute: PlainRoute & { readonly prefix: '/metrics' };
  /** What other subsystems report (breaker state, rate limits, budget refusals). */
  readonly metrics: TelemetryMetrics;
  /** Headers for an upstream call (W3C `traceparent`): call once per attempt, right before it is sent. */
  traceHeaders(exchange: Exchange): Record<string, string>;
  /** The log database, for tests and tools. */
  readonly store: LogStore | undefined;
  /** Writes what is queued (and spilled) now. */
  flush(): Promise<void>;
  /** Runs retention and the size cap now. */
  maintain(): Promise<MaintenanceReport | undefined>;
  /** Writes or spills every queued record, ends the live streams and flushes the traces. */
  stop(): Promise<void>;
}

const systemClock: TelemetryClock = { now: () => Date.now(), monotonicNow: () => performance.now() };

function spillNamer(now: () => number): () => string {
  let counter = 0;
  return () => `${String(now()).padStart(15, '0')}-${process.pid}-${String((counter += 1)).padStart(6, '0')}.jsonl`;
}

export async function createTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  const { config, env, logger } = options;
  const clock = options.clock ?? systemClock;
  const logging = config.logging;
  const adminToken = env.SWITCHYARD_ADMIN_TOKEN;

  let store: LogStore | undefined;
  let pipeline: LogPipeline | undefined;
  let marker: UnwrittenMarker | undefined;
  let spillBytes = (): number => 0;
  let closeStore = async (): Promise<void> => {};
  let batchSize = logging.batch_max_records ?? 100;
  if (logging.enabled) {
    const retentionDays = logging.retention_days;
    let spec: WriterSpec | undefined;
    if (options.postgres) {
      store = await createPostgresStore(options.postgres, { retentionDays });
      if (options.postgresUrl) spec = { sink: 'postgres', url: options.postgresUrl, retentionDays };
    } else if (options.sqlite) {
      const sqliteOptions = { retentionDays, maxBytes: logging.sqlite_max_bytes };
      store = createSqliteStore(options.sqlite, sqliteOptions);
      if (!options.sqlite.memory) spec = { sink: 'sqlite', file: options.sqlite.name, ...sqliteOptions };
    } else throw new Error('telemetry: the request log needs a SQLite or PostgreSQL handle (or logging.enabled: false).');
    if (spec && logging.write_thread) {
      const threaded = withWriterThread(store, spec);
      store = threaded;
      closeStore = () => threaded.close();
      batchSize = logging.batch_max_records ?? 500;
    }
  }

  const metrics = createGatewayMetrics({ processMetrics: config.metrics.process_metrics, queueDepth: () => pipeline?.queued ?? 0, spillBytes: () => spillBytes() });
  const observer = createPipelineObserver(metrics, logger, clock.now);
  if (store) {
    const spill = await openSpillStore(logging.spill_dir, logging.spill_max_bytes, spillNamer(clock.now));
    spillBytes = () => spill.bytes;
    const opened = openUnwrittenMarker(logging.spill_dir, {
      onError: (error, file) => logger.warn({ err: error, file }, 'the request log cannot note its unwritten records; a kill would go uncounted'),
    });
    marker = opened.marker;
    for (const { pid, count } of opened.lost) {
      observer.dropped('killed', count, new Error(`process ${pid} ended without a clean stop while at least ${count} request log records waited in its memory`));
    }
    pipeline = createLogPipeline({ store, spill, observer, maxQueued: logging.queue_max_records, batchSize, flushIntervalMs: logging.flush_interval_ms, marker });
    pipeline.start();
  }
  const jsonLines = logging.enabled ? createJsonLinesWriter(logging.jsonl, observer.dropped, { stdout: options.stdout }) : undefined;
  const tail = createLogTail((count) => metrics.streamMissed(count));
  const tracer = createTracerSetup(config.tracing, env, options.version ?? '0.0.0');
  // Spans only where something exports them; otherwise the trace context alone (ids for the log, traceparent upstream).
  const tracing = tracer.exportUrl ? createRequestTracing(tracer, { propagate: config.tracing.propagate, now: clock.now }) : createContextOnlyTracing({ propagate: config.tracing.propagate });

  const queue = pipeline;
  const consumers: RecordConsumer[] = [];
  if (queue) consumers.push({ name: 'log queue', consume: (record, exchange) => queue.push(record, exchange.completionText) });
  if (jsonLines) consumers.push({ name: 'json lines', consume: (record) => jsonLines.write(record) });
  if (logging.enabled) consumers.push({ name: 'live tail', consume: (record) => tail.publish(record) });
  if (config.metrics.enabled) consumers.push({ name: 'metrics', consume: (record) => metrics.observeRecord(record) });
  const stage = createTelemetryStage({
    // With the log off, no consumer reads a body (the metrics and the spans take the other fields), so none is
    // captured and no stream is assembled for one.
    settings: { bodyMode: logging.enabled ? logging.bodies : 'none', maxBodyBytes: logging.max_body_bytes, masker: createSecretMasker({ patterns: logging.mask_patterns, env }), monotonicNow: clock.monotonicNow },
    tracing,
    logger,
    consumers,
  });

  async function maintain(): Promise<MaintenanceReport | undefined> {
    if (!store) return undefined;
    const report = await store.maintain(clock.now());
    if (report.removedRecords > 0 || report.droppedPartitions.length > 0) logger.info(report, 'request log retention ran');
    return report;
  }
  const runMaintenance = (): void => {
    maintain().catch((error: unknown) => logger.warn({ err: error }, 'request log retention failed; it runs again at the next interval'));
  };
  await maintain().catch((error: unknown) => logger.warn({ err: error }, 'request log retention failed at start-up'));
  const maintenanceTimer = store ? setInterval(runMaintenance, logging.maintenance_interval_ms) : undefined;
  maintenanceTimer?.unref();
  const jsonLinesTimer = jsonLines ? setInterval(() => void jsonLines.flush(), logging.flush_interval_ms) : undefined;
  jsonLinesTimer?.unref();

  return {
    stage,
    adminRoutes: store ? createLogAdminRoutes(store, clock.now) : [],
    logStreamRoute: { prefix: '/admin/logs/stream', handle: tail.handler({ adminToken }) },
    metricsRoute: { prefix: '/metrics', handle: createMetricsHandler(metrics.registry, { requireAdminToken: config.metrics.require_admin_token, adminToken }) },
    metrics,
    traceHeaders: (exchange) => tracing.traceHeaders(exchange),
    store,
    flush: async () => {
      await Promise.all([jsonLines?.flush(), pipeline?.flush()]);
    },
    maintain,
    async stop() {
      clearInterval(maintenanceTimer);
      clearInterval(jsonLinesTimer);
      tail.close();
      await pipeline?.stop();
      marker?.close();
      await closeStore().catch((error: unknown) => logger.warn({ err: error }, 'closing the request log writer thread failed'));
      await jsonLines?.close();
      await tracer.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'flushing traces failed at shutdown'));
    },
  };
}
