/** The admin API's shapes, as the dashboard reads them. */

/**
 * A log row as GET /admin/logs, /admin/logs/stream and /admin/logs/:id send
 * it (src/telemetry/query/log-row-schema.ts); logs.ts turns it into a LogRow.
 */
export interface WireLogRow {
  id: string;
  trace_id: string | null;
  /** ISO 8601. */
  started_at: string;
  /** 'chat', 'embeddings', 'models' or 'passthrough'. */
  kind: string;
  method: string;
  endpoint: string;
  key_id: string | null;
  key_name: string | null;
  team_id: string | null;
  user_id: string | null;
  metadata: Record<string, string>;
  route: string | null;
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
  /** Null when unknown: a failure before any usage, or a model with no price (then `cost_unpriced`). */
  cost_usd: number | null;
  cost_estimated: boolean;
  cost_unpriced: boolean;
  cache_status: string | null;
  cache_savings_usd: number | null;
  /** Upstream attempts, retries included. */
  attempt_count: number;
  /** More than one target was tried. */
  fallback: boolean;
}

/** A log row as the dashboard reads it: the wire row with its start time as epoch ms. */
export interface LogRow extends Omit<WireLogRow, 'started_at'> {
  /** Epoch ms. */
  started_at: number;
}

export interface Attempt {
  target: string;
  provider: string;
  model: string;
  status: number | null;
  latency_ms: number;
  error: string | null;
  code: string | null;
  retry: number;
}

export interface GuardrailResult {
  name: string;
  stage: 'input' | 'output';
  passed: boolean;
  action: string;
  latency_ms: number;
  explanation: string | null;
}

interface DetailFields {
  attempts: Attempt[];
  guardrails: GuardrailResult[];
  /** How bodies were logged: 'none', 'metadata' (their shape, no content) or 'full'. */
  body_mode: string;
  request_body: unknown;
  response_body: unknown;
}

export interface WireLogDetail extends WireLogRow, DetailFields {}

export interface LogDetail extends LogRow, DetailFields {}

export interface WireLogPage {
  data: WireLogRow[];
  next_cursor: string | null;
}

export interface LogPage {
  data: LogRow[];
  next_cursor: string | null;
}

export type Bucket = 'minute' | 'hour' | 'day';
export type Dimension = 'model' | 'provider' | 'key' | 'team';

/** One bucket of GET /admin/analytics. */
export interface WireAnalyticsBucket {
  /** ISO 8601, aligned to UTC. */
  start: string;
  /** A model, provider, key id or team id; null without group_by or when the request had none. */
  group: string | null;
  requests: number;
  errors: number;
  error_rate: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p50_ttft_ms: number | null;
  cache_hits: number;
  cache_savings_usd: number;
  rate_limited: number;
  fallbacks: number;
}

export interface WireAnalytics {
  from: string;
  to: string;
  bucket: Bucket;
  group_by: Dimension | null;
  buckets: WireAnalyticsBucket[];
}

export interface AnalyticsBucket extends Omit<WireAnalyticsBucket, 'start'> {
  /** Epoch ms. */
  start: number;
}

export interface Analytics {
  buckets: AnalyticsBucket[];
}

export type BudgetScope = 'key' | 'team' | 'user';
export type BudgetPeriod = 'day' | 'week' | 'month' | 'lifetime';

/** A budget as the governance admin API sends it (GET /admin/budgets, and inside a key or team). */
export interface WireBudget {
  id: string;
  scope: BudgetScope;
  /** A key id, a team id, an end user, or '*' for every end user. */
  subject: string;
  amount_usd: number;
  period: 'daily' | 'weekly' | 'monthly' | 'lifetime';
  alert_thresholds: readonly number[];
  enabled: boolean;
  created_at: string | null;
  updated_at: string | null;
}

/** GET /admin/budgets/:id/status: the current period's spend. */
export interface WireBudgetStatus {
  budget: WireBudget;
  subject: string;
  period_start: string;
  /** Null for a lifetime budget. */
  period_end: string | null;
  spent_usd: number;
  ledger_spent_usd: number;
  reserved_usd: number;
  remaining_usd: number;
}

/** A virtual key as GET /admin/keys sends it (src/governance/views.ts); never its secret. */
export interface WireKey {
  id: string;
  name: string;
  /** The secret's first characters, for recognising it. */
  key_prefix: string;
  team_id: string | null;
  /** The team's name. */
  team: string | null;
  owner: string | null;
  metadata: Record<string, string>;
  expires_at: string | null;
  enabled: boolean;
  revoked_at: string | null;
  /** 'active', 'disabled' or 'revoked'. */
  status: string;
  limits: { rpm?: number; tpm?: number; max_concurrent?: number };
  /** The key's own budgets (scope 'key'); its team's are listed under /admin/budgets. */
  budgets: WireBudget[];
  created_at: string | null;
  updated_at: string | null;
}

export interface Budget {
  id: string;
  scope: BudgetScope;
  period: BudgetPeriod;
  limitUsd: number;
  /** Settled spend this period; null when the gateway could not say. */
  spentUsd: number | null;
  reservedUsd: number;
  /** Epoch ms, or null for a lifetime budget (or when unknown). */
  resetsAt: number | null;
}

/** A virtual key as the dashboard shows it (see keys.ts for the mapping from the wire). */
export interface KeyView {
  id: string;
  name: string;
  keyPrefix: string | null;
  teamId: string | null;
  teamName: string | null;
  owner: string | null;
  enabled: boolean;
  revoked: boolean;
  /** Epoch ms. */
  expiresAt: number | null;
  createdAt: number | null;
  metadata: Record<string, string>;
  limits: { rpm: number | null; tpm: number | null; maxConcurrent: number | null };
  budgets: Budget[];
}
