/**
 * One record as the columns of the log table (shared by SQLite and
 * PostgreSQL), and a stored row back into the API's shapes. Bodies are not
 * columns of the log table: they live in their own table, out of the rows
 * that lists and analytics read.
 */
import { fellBack, isCacheHit, tokenCounts, type LogRecord } from '../record/log-record.js';
import type { AttemptRow, GuardrailRow, LogRow } from '../query/log-row-schema.js';

export interface LogColumns {
  id: string;
  trace_id: string | null;
  /** Epoch ms. */
  started_at: number;
  kind: string;
  method: string;
  endpoint: string;
  key_id: string | null;
  key_name: string | null;
  team_id: string | null;
  user_id: string | null;
  metadata: Record<string, string>;
  route: string | null;
  /** What the `model` filter matches: the served model, or the requested one when nothing served. */
  model: string | null;
  model_requested: string | null;
  model_served: string | null;
  provider: string | null;
  status: number;
  error_code: string | null;
  error_message: string | null;
  streamed: boolean;
  latency_ms: number;
  ttft_ms: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cached_tokens: number | null;
  reasoning_tokens: number | null;
  tokens_estimated: boolean;
  cost_usd: number | null;
  cost_estimated: boolean;
  cost_unpriced: boolean;
  cache_status: string | null;
  cache_savings_usd: number | null;
  attempt_count: number;
  fallback: boolean;
  attempts: AttemptRow[];
  guardrails: GuardrailRow[];
  body_mode: string;
}

/** Columns of the log table in insert order (bodies excluded). */
export const logColumnNames = [
  'id', 'trace_id', 'started_at', 'kind', 'method', 'endpoint', 'key_id', 'key_name', 'team_id', 'user_id', 'metadata', 'route',
  'model', 'model_requested', 'model_served', 'provider', 'status', 'error_code', 'error_message', 'streamed', 'latency_ms', 'ttft_ms',
  'prompt_tokens', 'completion_tokens', 'cached_tokens', 'reasoning_tokens', 'tokens_estimated', 'cost_usd', 'cost_estimated', 'cost_unpriced',
  'cache_status', 'cache_savings_usd', 'attempt_count', 'fallback', 'attempts', 'guardrails', 'body_mode',
] as const satisfies readonly (keyof LogColumns)[];

/** Columns that the API's log row shows, in SELECT order. */
export const rowColumnNames = logColumnNames.filter((name) => name !== 'model' && name !== 'attempts' && name !== 'guardrails' && name !== 'body_mode');

/** A token count as the integer columns keep it: a provider's fractional count rounded, a non-finite one left out. */
const wholeCount = (count: number | undefined): number | null => (count === undefined || !Number.isFinite(count) ? null : Math.round(count));

export function toColumns(record: LogRecord): LogColumns {
  const tokens = tokenCounts(record);
  return {
    id: record.id,
    trace_id: record.traceId ?? null,
    started_at: record.startedAt,
    kind: record.kind,
    method: record.method,
    endpoint: record.endpoint,
    key_id: record.principal?.keyId ?? null,
    key_name: record.principal?.keyName ?? null,
    team_id: record.principal?.teamId ?? null,
    user_id: record.principal?.userId ?? record.metadata.user ?? null,
    metadata: record.metadata,
    route: record.route ?? null,
    model: record.modelServed ?? record.modelRequested ?? null,
    model_requested: record.modelRequested ?? null,
    model_served: record.modelServed ?? null,
    provider: record.provider ?? null,
    status: record.status,
    error_code: record.errorCode ?? null,
    error_message: record.errorMessage ?? null,
    streamed: record.streamed,
    latency_ms: record.latencyMs,
    ttft_ms: record.timeToFirstTokenMs ?? null,
    prompt_tokens: wholeCount(tokens.prompt),
    completion_tokens: wholeCount(tokens.completion),
    cached_tokens: wholeCount(tokens.cached),
    reasoning_tokens: wholeCount(tokens.reasoning),
    tokens_estimated: record.usageEstimated,
    cost_usd: record.cost?.usd ?? null,
    cost_estimated: record.cost?.estimated ?? false,
    cost_unpriced: record.cost?.unpriced ?? false,
    cache_status: record.cacheStatus ?? null,
    cache_savings_usd: isCacheHit(record) ? (record.cost?.savedUsd ?? null) : null,
    attempt_count: record.attempts.length,
    fallback: fellBack(record),
    attempts: record.attempts.map((attempt) => ({
      target: attempt.target,
      provider: attempt.provider,
      model: attempt.model,
      status: attempt.status ?? null,
      latency_ms: attempt.latencyMs,
      error: attempt.error ?? null,
      code: attempt.code ?? null,
      retry: attempt.retry,
    })),
    guardrails: record.guardrails.map((verdict) => ({
      name: verdict.name,
      stage: verdict.stage,
      passed: verdict.passed,
      action: verdict.action,
      latency_ms: verdict.latencyMs,
      explanation: verdict.explanation ?? null,
    })),
    body_mode: record.bodyMode,
  };
}

/** The API's log row from a record's columns. */
export function toLogRow(columns: LogColumns): LogRow {
  return {
    id: columns.id,
    trace_id: columns.trace_id,
    started_at: new Date(columns.started_at).toISOString(),
    kind: columns.kind,
    method: columns.method,
    endpoint: columns.endpoint,
    key_id: columns.key_id,
    key_name: columns.key_name,
    team_id: columns.team_id,
    user_id: columns.user_id,
    metadata: columns.metadata,
    route: columns.route,
    model_requested: columns.model_requested,
    model_served: columns.model_served,
    provider: columns.provider,
    status: columns.status,
    error_code: columns.error_code,
    error_message: columns.error_message,
    streamed: columns.streamed,
    latency_ms: columns.latency_ms,
    ttft_ms: columns.ttft_ms,
    prompt_tokens: columns.prompt_tokens,
    completion_tokens: columns.completion_tokens,
    cached_tokens: columns.cached_tokens,
    reasoning_tokens: columns.reasoning_tokens,
    tokens_estimated: columns.tokens_estimated,
    cost_usd: columns.cost_usd,
    cost_estimated: columns.cost_estimated,
    cost_unpriced: columns.cost_unpriced,
    cache_status: columns.cache_status,
    cache_savings_usd: columns.cache_savings_usd,
    attempt_count: columns.attempt_count,
    fallback: columns.fallback,
  };
}
