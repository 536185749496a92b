/**
 * Turns analytics buckets into what the overview shows: a gap-free timeline
 * for the charts, totals for the stat tiles, and one row per group for the
 * breakdowns. Latency percentiles across buckets are request-weighted means
 * of the buckets' percentiles (an approximation the tiles label as such).
 */
import type { AnalyticsBucket } from '../api/types';
import type { TimeWindow } from './time-range';

export interface Timeline {
  /** Epoch seconds. */
  timestamps: number[];
  requests: number[];
  errors: number[];
  cost: number[];
  p50: (number | null)[];
  p95: (number | null)[];
  errorRate: (number | null)[];
}

/** One point per bucket in the window, with empty buckets as zero requests; off-grid data is kept as it came. */
export function toTimeline(buckets: readonly AnalyticsBucket[], window: TimeWindow): Timeline {
  const byStart = new Map<number, AnalyticsBucket>();
  for (const bucket of buckets) byStart.set(bucket.start, bucket);
  const onGrid = buckets.every((bucket) => (bucket.start - window.from) % window.stepMs === 0);
  const starts: number[] = [];
  if (onGrid) for (let start = window.from; start < window.to; start += window.stepMs) starts.push(start);
  else starts.push(...[...byStart.keys()].sort((a, b) => a - b));
  const timeline: Timeline = { timestamps: [], requests: [], errors: [], cost: [], p50: [], p95: [], errorRate: [] };
  for (const start of starts) {
    const bucket = byStart.get(start);
    timeline.timestamps.push(start / 1000);
    timeline.requests.push(bucket?.requests ?? 0);
    timeline.errors.push(bucket?.errors ?? 0);
    timeline.cost.push(bucket?.cost_usd ?? 0);
    timeline.p50.push(bucket && bucket.requests > 0 ? bucket.p50_ms : null);
    timeline.p95.push(bucket && bucket.requests > 0 ? bucket.p95_ms : null);
    timeline.errorRate.push(bucket && bucket.requests > 0 ? bucket.errors / bucket.requests : null);
  }
  return timeline;
}

export interface Totals {
  requests: number;
  errors: number;
  errorRate: number | null;
  costUsd: number;
  promptTokens: number;
  completionTokens: number;
  p50Ms: number | null;
  p95Ms: number | null;
  cacheHits: number;
  cacheSavingsUsd: number;
}

function weightedMean(buckets: readonly AnalyticsBucket[], pick: (bucket: AnalyticsBucket) => number | null): number | null {
  let weight = 0;
  let sum = 0;
  for (const bucket of buckets) {
    const value = pick(bucket);
    if (value === null || value === undefined || bucket.requests === 0) continue;
    weight += bucket.requests;
    sum += value * bucket.requests;
  }
  return weight > 0 ? sum / weight : null;
}

export function totalsOf(buckets: readonly AnalyticsBucket[]): Totals {
  const totals: Totals = { requests: 0, errors: 0, errorRate: null, costUsd: 0, promptTokens: 0, completionTokens: 0, p50Ms: null, p95Ms: null, cacheHits: 0, cacheSavingsUsd: 0 };
  for (const bucket of buckets) {
    totals.requests += bucket.requests;
    totals.errors += bucket.errors;
    totals.costUsd += bucket.cost_usd ?? 0;
    totals.promptTokens += bucket.prompt_tokens ?? 0;
    totals.completionTokens += bucket.completion_tokens ?? 0;
    totals.cacheHits += bucket.cache_hits ?? 0;
    totals.cacheSavingsUsd += bucket.cache_savings_usd ?? 0;
  }
  totals.errorRate = totals.requests > 0 ? totals.errors / totals.requests : null;
  totals.p50Ms = weightedMean(buckets, (bucket) => bucket.p50_ms);
  totals.p95Ms = weightedMean(buckets, (bucket) => bucket.p95_ms);
  return totals;
}

export interface GroupTotals extends Totals {
  group: string;
  share: number;
}

/** One row per group, busiest first. */
export function groupTotals(buckets: readonly AnalyticsBucket[]): GroupTotals[] {
  const byGroup = new Map<string, AnalyticsBucket[]>();
  for (const bucket of buckets) {
    const group = bucket.group ?? '(none)';
    const list = byGroup.get(group) ?? [];
    list.push(bucket);
    byGroup.set(group, list);
  }
  const rows = [...byGroup].map(([group, list]) => ({ group, share: 0, ...totalsOf(list) }));
  const all = rows.reduce((sum, row) => sum + row.requests, 0);
  for (const row of rows) row.share = all > 0 ? row.requests / all : 0;
  return rows.sort((a, b) => b.requests - a.requests || b.costUsd - a.costUsd);
}
