/**
 * The shapes the admin API answers with (snake_case, like the rest of the
 * API): a log row for lists and the live tail, the full record for one id,
 * and the analytics buckets. The dashboard codes against these.
 */
import { z } from 'zod';

export const logRowSchema = z.object({
  id: z.string(),
  trace_id: z.string().nullable(),
  /** ISO 8601. */
  started_at: z.string(),
  kind: z.string(),
  method: z.string(),
  endpoint: z.string(),
  key_id: z.string().nullable(),
  key_name: z.string().nullable(),
  team_id: z.string().nullable(),
  user_id: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
  route: z.string().nullable(),
  model_requested: z.string().nullable(),
  model_served: z.string().nullable(),
  provider: z.string().nullable(),
  status: z.number(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  streamed: z.boolean(),
  latency_ms: z.number(),
  ttft_ms: z.number().nullable(),
  prompt_tokens: z.number().nullable(),
  completion_tokens: z.number().nullable(),
  cached_tokens: z.number().nullable(),
  reasoning_tokens: z.number().nullable(),
  tokens_estimated: z.boolean(),
  cost_usd: z.number().nullable(),
  cost_estimated: z.boolean(),
  cost_unpriced: z.boolean(),
  cache_status: z.string().nullable(),
  cache_savings_usd: z.number().nullable(),
  attempt_count: z.number(),
  fallback: z.boolean(),
});
export type LogRow = z.infer<typeof logRowSchema>;

export const attemptRowSchema = z.object({
  target: z.string(),
  provider: z.string(),
  model: z.string(),
  status: z.number().nullable(),
  latency_ms: z.number(),
  error: z.string().nullable(),
  code: z.string().nullable(),
  retry: z.number(),
});
export type AttemptRow = z.infer<typeof attemptRowSchema>;

export const guardrailRowSchema = z.object({
  name: z.string(),
  stage: z.enum(['input', 'output']),
  passed: z.boolean(),
  action: z.string(),
  latency_ms: z.number(),
  explanation: z.string().nullable(),
});
export type GuardrailRow = z.infer<typeof guardrailRowSchema>;

export const logDetailSchema = logRowSchema.extend({
  attempts: z.array(attemptRowSchema),
  guardrails: z.array(guardrailRowSchema),
  body_mode: z.string(),
  request_body: z.unknown().nullable(),
  response_body: z.unknown().nullable(),
});
export type LogDetail = z.infer<typeof logDetailSchema>;

export const logPageSchema = z.object({ data: z.array(logRowSchema), next_cursor: z.string().nullable() });
export type LogPage = z.infer<typeof logPageSchema>;

export const analyticsBucketSchema = z.object({
  /** ISO 8601 start of the bucket. */
  start: z.string(),
  /** The group's value (a model, provider, key id or team id); null without group_by or when the request had none. */
  group: z.string().nullable(),
  requests: z.number(),
  errors: z.number(),
  error_rate: z.number(),
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  cached_tokens: z.number(),
  reasoning_tokens: z.number(),
  cost_usd: z.number(),
  p50_ms: z.number().nullable(),
  p95_ms: z.number().nullable(),
  p50_ttft_ms: z.number().nullable(),
  cache_hits: z.number(),
  cache_savings_usd: z.number(),
  rate_limited: z.number(),
  fallbacks: z.number(),
});
export type AnalyticsBucket = z.infer<typeof analyticsBucketSchema>;

export const analyticsAnswerSchema = z.object({
  from: z.string(),
  to: z.string(),
  bucket: z.enum(['minute', 'hour', 'day']),
  group_by: z.enum(['model', 'provider', 'key', 'team']).nullable(),
  buckets: z.array(analyticsBucketSchema),
});
export type AnalyticsAnswer = z.infer<typeof analyticsAnswerSchema>;
