/** The `telemetry` config key, in zod: request logs, their sinks, metrics and traces. An empty object is valid. */
import { z } from 'zod';

export const bodyModeSchema = z.enum(['none', 'metadata', 'full']);
export type BodyMode = z.infer<typeof bodyModeSchema>;

export const loggingConfigSchema = z.strictObject({
  /** Keep a request log record for every request. */
  enabled: z.boolean().default(true),
  /** `none`: no bodies; `metadata`: parameters and shapes without content; `full`: the bodies, secrets masked. */
  bodies: bodyModeSchema.default('metadata'),
  /** A stored body (in `full` mode) larger than this, as JSON, is cut to a preview. */
  max_body_bytes: z.number().int().positive().default(256 * 1024),
  /** Extra secret patterns (regular expression sources) masked in bodies, metadata and error messages. */
  mask_patterns: z.array(z.string().min(1)).default([]),
  /** Records older than this are removed (SQLite: by start time; PostgreSQL: whole day partitions). */
  retention_days: z.number().int().positive().default(30),
  /** SQLite: the oldest records are removed while the database's used pages exceed this. */
  sqlite_max_bytes: z.number().int().positive().default(2 * 1024 * 1024 * 1024),
  /** Records waiting in memory for the database; past this they spill to disk. */
  queue_max_records: z.number().int().positive().default(10_000),
  /**
   * Records written to the database per batch; by default 500 from the writer thread and 100 without it.
   * A SQLite batch written on the event loop blocks it, so those batches stay small and frequent: a
   * 500-record batch once a second added ~10 ms to the p99 latency. On the thread, larger batches cost
   * less a record (one commit, and each index's last page written once, for more rows).
   */
  batch_max_records: z.number().int().positive().optional(),
  /**
   * Write the batches from a worker thread with its own database connection, so that the inserts never run on
   * the event loop. Off: they run on the event loop's thread (as they must for an in-memory SQLite database).
   */
  write_thread: z.boolean().default(true),
  /** How often queued records are written. */
  flush_interval_ms: z.number().int().positive().default(200),
  /** Where records spill when the database is slow or down (one directory per gateway instance). */
  spill_dir: z.string().min(1).default('./data/telemetry-spill'),
  /** Past this many spilled bytes, records are dropped (and counted). */
  spill_max_bytes: z.number().int().positive().default(1024 * 1024 * 1024),
  /** Also write each record as a JSON line: `off`, `stdout`, or a file path. */
  jsonl: z.string().min(1).default('off'),
  /** How often retention and the size cap run. */
  maintenance_interval_ms: z.number().int().positive().default(60 * 60 * 1000),
});
export type LoggingConfig = z.infer<typeof loggingConfigSchema>;

export const metricsConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Serve /metrics only with the admin token (SWITCHYARD_ADMIN_TOKEN). */
  require_admin_token: z.boolean().default(false),
  /** Node.js process metrics (CPU, memory, event-loop lag) alongside the gateway's. */
  process_metrics: z.boolean().default(true),
});
export type MetricsConfig = z.infer<typeof metricsConfigSchema>;

export const tracingConfigSchema = z.strictObject({
  /** Traces are exported when this is on and OTEL_EXPORTER_OTLP_ENDPOINT (or _TRACES_ENDPOINT) is set. */
  enabled: z.boolean().default(true),
  /** `service.name`, unless OTEL_SERVICE_NAME is set. */
  service_name: z.string().min(1).default('switchyard'),
  /** Share of new traces sampled (a sampled parent is always followed). */
  sample_ratio: z.number().min(0).max(1).default(1),
  /** Send `traceparent` to providers. */
  propagate: z.boolean().default(true),
});
export type TracingConfig = z.infer<typeof tracingConfigSchema>;

export const telemetryConfigSchema = z.strictObject({
  logging: loggingConfigSchema.default(loggingConfigSchema.parse({})),
  metrics: metricsConfigSchema.default(metricsConfigSchema.parse({})),
  tracing: tracingConfigSchema.default(tracingConfigSchema.parse({})),
});
export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;
export type TelemetryConfigInput = z.input<typeof telemetryConfigSchema>;
