/** The aggregates of an analytics bucket, in SQL both databases understand, and the row they return. */
import type { AnalyticsBucket } from '../query/log-row-schema.js';

export interface AnalyticsRow {
  bucket_start: number | string | Date;
  grp: string | null;
  requests: number | string;
  errors: number | string;
  prompt_tokens: number | string | null;
  completion_tokens: number | string | null;
  cached_tokens: number | string | null;
  reasoning_tokens: number | string | null;
  cost_usd: number | string | null;
  p50_ms: number | string | null;
  p95_ms: number | string | null;
  p50_ttft_ms: number | string | null;
  cache_hits: number | string;
  cache_savings_usd: number | string | null;
  rate_limited: number | string;
  fallbacks: number | string;
}

/**
 * The SELECT list after the bucket and group. `percentile(column, fraction)`
 * is SQLite's `percentile_cont(x, f)` or PostgreSQL's ordered-set aggregate.
 */
export function analyticsSelect(percentile: 'percentile_cont' | 'ordered'): string {
  const pct = (column: string, fraction: number): string =>
    percentile === 'ordered' ? `percentile_cont(${fraction}) WITHIN GROUP (ORDER BY ${column})` : `percentile_cont(${column}, ${fraction})`;
  const count = (condition: string): string => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
  return [
    'COUNT(*) AS requests',
    `${count('status >= 400')} AS errors`,
    'SUM(prompt_tokens) AS prompt_tokens',
    'SUM(completion_tokens) AS completion_tokens',
    'SUM(cached_tokens) AS cached_tokens',
    'SUM(reasoning_tokens) AS reasoning_tokens',
    'SUM(cost_usd) AS cost_usd',
    `${pct('latency_ms', 0.5)} AS p50_ms`,
    `${pct('latency_ms', 0.95)} AS p95_ms`,
    `${pct('ttft_ms', 0.5)} AS p50_ttft_ms`,
    `${count("cache_status IN ('HIT', 'SEMANTIC_HIT')")} AS cache_hits`,
    'SUM(cache_savings_usd) AS cache_savings_usd',
    `${count('status = 429')} AS rate_limited`,
    `${count('fallback')} AS fallbacks`,
  ].join(', ');
}

const number = (value: number | string | null): number => (value === null ? 0 : Number(value));
const optional = (value: number | string | null): number | null => (value === null ? null : Math.round(Number(value) * 10) / 10);
/** Sums of dollars are kept to a millionth of a cent, so float noise does not show. */
const dollars = (value: number | string | null): number => Math.round(number(value) * 1e8) / 1e8;

export function toAnalyticsBucket(row: AnalyticsRow, start: number): AnalyticsBucket {
  const requests = number(row.requests);
  const errors = number(row.errors);
  return {
    start: new Date(start).toISOString(),
    group: row.grp,
    requests,
    errors,
    error_rate: requests === 0 ? 0 : Math.round((errors / requests) * 10_000) / 10_000,
    prompt_tokens: number(row.prompt_tokens),
    completion_tokens: number(row.completion_tokens),
    cached_tokens: number(row.cached_tokens),
    reasoning_tokens: number(row.reasoning_tokens),
    cost_usd: dollars(row.cost_usd),
    p50_ms: optional(row.p50_ms),
    p95_ms: optional(row.p95_ms),
    p50_ttft_ms: optional(row.p50_ttft_ms),
    cache_hits: number(row.cache_hits),
    cache_savings_usd: dollars(row.cache_savings_usd),
    rate_limited: number(row.rate_limited),
    fallbacks: number(row.fallbacks),
  };
}
