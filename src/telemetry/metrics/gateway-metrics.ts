/**
 * The gateway's Prometheus metrics, on a registry of its own (so several
 * gateways in one process, as in tests, never collide). Request metrics are
 * observed from each finished record; other subsystems report what only they
 * know (circuit-breaker state, rate limits, budget refusals) through the
 * small facade `TelemetryMetrics`.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { GuardrailVerdict } from '../../api/request-record.js';
import { fellBack, isCacheHit, tokenCounts, type LogRecord } from '../record/log-record.js';
import type { DropReason } from '../pipeline/log-pipeline.js';
import { SeriesCounter } from './series-counter.js';
import { SeriesHistogram } from './series-histogram.js';

export type BreakerState = 'closed' | 'half_open' | 'open';

const breakerValues: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

/** What other parts of the gateway may report. */
export interface TelemetryMetrics {
  /** A circuit breaker changed state; `target` names it (e.g. `openai/gpt-4o`). */
  setBreakerState(target: string, state: BreakerState): void;
  /** A request refused by a rate limit; `kind` says which (e.g. `requests`, `tokens`). */
  countRateLimited(kind: string): void;
  /** A request refused by a budget; `scope` says whose (e.g. `key`, `team`). */
  countBudgetRefused(scope: string): void;
}

export interface GatewayMetrics extends TelemetryMetrics {
  readonly registry: Registry;
  observeRecord(record: LogRecord): void;
  logWritten(count: number): void;
  logSpilled(count: number): void;
  logDropped(reason: DropReason, count: number): void;
  logWriteFailed(): void;
  streamMissed(count: number): void;
}

/**
 * A metric's labelled series, kept by label values. prom-client's own labelled children hash
 * their label object on every inc/observe (more than the rest of a record's metrics cost
 * together), so the per-request metrics are `SeriesCounter`s and `SeriesHistogram`s, whose
 * series count directly; this keeps each one found with a single lookup.
 */
function children<T>(make: (...values: string[]) => T): (...values: string[]) => T {
  const known = new Map<string, T>();
  return (...values) => {
    const key = values.join('\u0000');
    let child = known.get(key);
    if (child === undefined) {
      child = make(...values);
      known.set(key, child);
    }
    return child;
  };
}

interface GuardrailSeries {
  readonly latency: { observe(value: number): void };
  /** Checks counted since the check counter was last read, by action: [passed, failed]. */
  readonly counts: Map<string, [number, number]>;
}

/**
 * Guardrail verdicts' series, by verdict name then stage: maps of the verdicts' own
 * strings (a request has a verdict per check and side), so no key is built per verdict.
 * Checks are counted here and added to the counter when it is read (`flush`, from its `collect`).
 */
function guardrailSeries(checks: Counter<string>, latency: SeriesHistogram): { observe(verdict: GuardrailVerdict): void; flush(): void } {
  const byName = new Map<string, Map<string, GuardrailSeries>>();
  return {
    observe(verdict) {
      let stages = byName.get(verdict.name);
      if (stages === undefined) {
        stages = new Map();
        byName.set(verdict.name, stages);
      }
      let series = stages.get(verdict.stage);
      if (series === undefined) {
        series = { latency: latency.labels(verdict.name, verdict.stage), counts: new Map() };
        stages.set(verdict.stage, series);
      }
      let counts = series.counts.get(verdict.action);
      if (counts === undefined) {
        counts = [0, 0];
        series.counts.set(verdict.action, counts);
      }
      counts[verdict.passed ? 0 : 1] += 1;
      series.latency.observe(verdict.latencyMs / 1000);
    },
    flush() {
      for (const [name, stages] of byName) {
        for (const [stage, series] of stages) {
          for (const [action, counts] of series.counts) {
            if (counts[0] > 0) checks.inc({ name, stage, action, result: 'passed' }, counts[0]);
            if (counts[1] > 0) checks.inc({ name, stage, action, result: 'failed' }, counts[1]);
            counts[0] = 0;
            counts[1] = 0;
          }
        }
      }
    },
  };
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const label = (value: string | undefined): string => value ?? 'none';

export function createGatewayMetrics(options: { processMetrics: boolean; queueDepth: () => number; spillBytes: () => number }): GatewayMetrics {
  const rateLimitCodes = new Set(['requests_per_minute_exceeded', 'tokens_per_minute_exceeded', 'concurrency_limit_exceeded']);
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics) collectDefaultMetrics({ register: registry });

  const requests = new SeriesCounter('switchyard_requests_total', 'Requests by route, provider, model, kind and HTTP status.', ['route', 'provider', 'model', 'kind', 'status'], registers);
  const duration = new SeriesHistogram('switchyard_request_duration_seconds', 'Total request latency.', ['route', 'provider', 'model'], latencyBuckets, registers);
  const firstToken = new SeriesHistogram('switchyard_time_to_first_token_seconds', 'Time to the first token sent to the client.', ['provider', 'model', 'streamed'], latencyBuckets, registers);
  const upstream = new SeriesHistogram('switchyard_upstream_duration_seconds', 'Latency of each attempt at a provider.', ['provider', 'model', 'status'], latencyBuckets, registers);
  const tokens = new SeriesCounter('switchyard_tokens_total', 'Tokens by provider, model and type (prompt, completion, cached, reasoning).', ['provider', 'model', 'type'], registers);
  const cost = new SeriesCounter('switchyard_cost_usd_total', 'Cost in USD of served requests.', ['provider', 'model'], registers);
  const cache = new SeriesCounter('switchyard_cache_requests_total', 'Requests by cache status (HIT, SEMANTIC_HIT, MISS, REFRESH, BYPASS).', ['status'], registers);
  const cacheHits = new Counter({ name: 'switchyard_cache_hits_total', help: 'Requests answered from the cache (exact or semantic).', registers });
  const savings = new Counter({ name: 'switchyard_cache_savings_usd_total', help: 'USD that cache hits saved.', registers });
  const retries = new Counter({ name: 'switchyard_retries_total', help: 'Retries of a target.', labelNames: ['provider', 'model'], registers });
  const fallbacks = new Counter({ name: 'switchyard_fallbacks_total', help: 'Requests that moved on from a failed target to another.', labelNames: ['route'], registers });
  const breaker = new Gauge({ name: 'switchyard_circuit_breaker_state', help: 'Circuit-breaker state per target: 0 closed, 1 half-open, 2 open.', labelNames: ['target'], registers });
  const rateLimited = new Counter({ name: 'switchyard_rate_limited_total', help: 'Requests refused by a rate limit.', labelNames: ['kind'], registers });
  const guardrailChecks = new Counter({ name: 'switchyard_guardrail_checks_total', help: 'Guardrail checks run, by name, stage, action and result.', labelNames: ['name', 'stage', 'action', 'result'], registers, collect: () => verdicts.flush() });
  const guardrailLatency = new SeriesHistogram('switchyard_guardrail_check_duration_seconds', 'Time each guardrail check took.', ['name', 'stage'], [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers);
  const budgetRefused = new Counter({ name: 'switchyard_budget_refused_total', help: 'Requests refused by a budget.', labelNames: ['scope'], registers });
  new Gauge({ name: 'switchyard_log_queue_depth', help: 'Request log records waiting in memory for the database.', registers, collect() { this.set(options.queueDepth()); } });
  new Gauge({ name: 'switchyard_log_spill_bytes', help: 'Bytes of request log records spilled to disk.', registers, collect() { this.set(options.spillBytes()); } });
  const written = new Counter({ name: 'switchyard_log_records_written_total', help: 'Request log records written to the database.', registers });
  const spilled = new Counter({ name: 'switchyard_log_records_spilled_total', help: 'Request log records spilled to disk.', registers });
  const dropped = new Counter({ name: 'switchyard_log_records_dropped_total', help: 'Request log records lost, by reason.', labelNames: ['reason'], registers });
  const streamMissed = new Counter({ name: 'switchyard_log_stream_missed_total', help: 'Live-tail events a slow reader missed.', registers });
  const writeFailures = new Counter({ name: 'switchyard_log_write_failures_total', help: 'Failed batch writes to the log database.', registers });

  const requestsOf = children((...values) => requests.labels(...values));
  const durationOf = children((...values) => duration.labels(...values));
  const firstTokenOf = children((...values) => firstToken.labels(...values));
  const upstreamOf = children((...values) => upstream.labels(...values));
  const tokensOf = children((...values) => tokens.labels(...values));
  const costOf = children((...values) => cost.labels(...values));
  const cacheOf = children((status) => cache.labels(status));
  const verdicts = guardrailSeries(guardrailChecks, guardrailLatency);

  return {
    registry,
    observeRecord(record) {
      const provider = label(record.provider);
      const model = label(record.modelServed ?? record.modelRequested);
      const route = label(record.route);
      // Label values in each metric's labelNames order.
      requestsOf(route, provider, model, record.kind, String(record.status)).inc();
      durationOf(route, provider, model).observe(record.latencyMs / 1000);
      if (record.timeToFirstTokenMs !== undefined) firstTokenOf(provider, model, String(record.streamed)).observe(record.timeToFirstTokenMs / 1000);
      for (const attempt of record.attempts) {
        upstreamOf(attempt.provider, attempt.model, attempt.status === undefined ? (attempt.code ?? 'error') : String(attempt.status)).observe(attempt.latencyMs / 1000);
        if (attempt.retry > 0) retries.inc({ provider: attempt.provider, model: attempt.model });
      }
      if (fellBack(record)) fallbacks.inc({ route });
      const counts = tokenCounts(record);
      for (const [type, value] of Object.entries(counts)) if (value) tokensOf(provider, model, type).inc(value);
      if (record.cost?.usd) costOf(provider, model).inc(record.cost.usd);
      if (record.cacheStatus) cacheOf(record.cacheStatus).inc();
      for (const verdict of record.guardrails) verdicts.observe(verdict);
      // Refusals are read off the record, so governance needs no line to telemetry.
      if (record.errorCode && rateLimitCodes.has(record.errorCode)) rateLimited.inc({ kind: record.errorCode });
      if (record.errorCode === 'budget_exceeded') budgetRefused.inc({ scope: 'any' });
      if (isCacheHit(record)) {
        cacheHits.inc();
        if (record.cost?.savedUsd) savings.inc(record.cost.savedUsd);
      }
    },
    setBreakerState: (target, state) => breaker.set({ target }, breakerValues[state]),
    countRateLimited: (kind) => rateLimited.inc({ kind }),
    countBudgetRefused: (scope) => budgetRefused.inc({ scope }),
    logWritten: (count) => written.inc(count),
    logSpilled: (count) => spilled.inc(count),
    logDropped: (reason, count) => dropped.inc({ reason }, count),
    logWriteFailed: () => writeFailures.inc(),
    streamMissed: (count) => streamMissed.inc(count),
  };
}
