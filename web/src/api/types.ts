/** The admin API's shapes, as the dashboard reads them. */

export interface LogRow {
  id: string;
  /** Epoch ms. */
  started_at: number;
  latency_ms: number;
  ttft_ms: number | null;
  key_id: string | null;
  key_name: string | null;
  team_id: string | null;
  user_id: string | null;
  route: string | null;
  model_requested: string | null;
  model_served: string | null;
  provider: string | null;
  status: number;
  streamed: boolean;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cached_tokens: number | null;
  reasoning_tokens: number | null;
  /** Null when the model has no price. */
  cost_usd: number | null;
  cost_estimated: boolean;
  cache_status: string | null;
  error_code: string | null;
  attempts_count: number;
  metadata: Record<string, string> | null;
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

export interface LogDetail extends LogRow {
  attempts: Attempt[];
  guardrails: GuardrailResult[];
  request_body: unknown;
  response_body: unknown;
}

export interface LogPage {
  data: LogRow[];
  next_cursor: string | null;
}

export type Bucket = 'minute' | 'hour' | 'day';
export type Dimension = 'model' | 'provider' | 'key' | 'team';

export interface AnalyticsBucket {
  /** Epoch ms. */
  start: number;
  group: string | null;
  requests: number;
  errors: number;
  error_rate: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
  p50_ms: number | null;
  p95_ms: number | null;
  cache_hits: number;
  cache_savings_usd: number;
}

export interface Analytics {
  buckets: AnalyticsBucket[];
}

export type BudgetScope = 'key' | 'team' | 'user';
export type BudgetPeriod = 'day' | 'week' | 'month' | 'lifetime';

export interface Budget {
  scope: BudgetScope;
  period: BudgetPeriod;
  limitUsd: number;
  spentUsd: number;
  reservedUsd: number;
  /** Epoch ms, or null for a lifetime budget. */
  resetsAt: number | null;
}

/** A virtual key as the dashboard shows it (see keys.ts for the mapping from the wire). */
export interface KeyView {
  id: string;
  name: string;
  teamId: string | null;
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
