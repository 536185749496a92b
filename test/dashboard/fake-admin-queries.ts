/**
 * The fake admin API's reads over its in-memory records: filtered log pages,
 * one record, and time-bucketed analytics. The query strings are parsed and
 * matched by the telemetry API's own code, and the answers are built in its
 * wire shapes (ISO times, `attempt_count`, ids for keys and teams), so the
 * dashboard sees here what it sees from a real gateway.
 */
import type { AnalyticsAnswer, AnalyticsBucket, LogDetail as WireLogDetail, LogRow as WireLogRow } from '../../src/telemetry/query/log-row-schema.js';
import { matchesFilter } from '../../src/telemetry/query/match-filter.js';
import { bucketSizes, groupColumns, parseAnalyticsQuery, parseLogQuery } from '../../src/telemetry/query/query-schema.js';
import { toLogRow, type LogColumns } from '../../src/telemetry/storage/record-columns.js';
import type { LogDetail } from '../../web/src/api/types.js';

/** A record as the log table's columns. */
export function columnsOf(record: LogDetail): LogColumns {
  const { request_body: _request, response_body: _response, ...columns } = record;
  return { ...columns, model: record.model_served ?? record.model_requested };
}

export function toWireRow(record: LogDetail): WireLogRow {
  return toLogRow(columnsOf(record));
}

export function toWireDetail(record: LogDetail): WireLogDetail {
  return {
    ...toWireRow(record),
    attempts: record.attempts,
    guardrails: record.guardrails,
    body_mode: record.body_mode,
    request_body: record.request_body ?? null,
    response_body: record.response_body ?? null,
  };
}

/** Newest first; the cursor is the offset of the next page. */
export function pageOfLogs(records: readonly LogDetail[], query: URLSearchParams): { data: WireLogRow[]; next_cursor: string | null } {
  const { filter, cursor, limit } = parseLogQuery(query);
  const matching = records.filter((record) => matchesFilter(columnsOf(record), filter)).sort((a, b) => b.started_at - a.started_at);
  const offset = Number(cursor ?? 0) || 0;
  const page = matching.slice(offset, offset + limit);
  return { data: page.map(toWireRow), next_cursor: offset + limit < matching.length ? String(offset + limit) : null };
}

function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

const sum = (list: readonly LogDetail[], pick: (record: LogDetail) => number | null) => list.reduce((total, record) => total + (pick(record) ?? 0), 0);

export function analyticsOf(records: readonly LogDetail[], query: URLSearchParams, now: number): AnalyticsAnswer {
  const { filter, bucket, groupBy } = parseAnalyticsQuery(query, now);
  const step = bucketSizes[bucket];
  const column = groupBy ? groupColumns[groupBy] : undefined;
  const cells = new Map<string, { start: number; group: string | null; records: LogDetail[] }>();
  for (const record of records) {
    const columns = columnsOf(record);
    if (!matchesFilter(columns, filter)) continue;
    const start = Math.floor(record.started_at / step) * step;
    const group = column ? columns[column] : null;
    const id = `${start}\u0000${group}`;
    const cell = cells.get(id) ?? { start, group, records: [] };
    cell.records.push(record);
    cells.set(id, cell);
  }
  const buckets = [...cells.values()]
    .sort((a, b) => a.start - b.start || String(a.group).localeCompare(String(b.group)))
    .map(({ start, group, records: list }): AnalyticsBucket => {
      const latencies = list.map((record) => record.latency_ms).sort((a, b) => a - b);
      const firstTokens = list.flatMap((record) => (record.ttft_ms === null ? [] : [record.ttft_ms])).sort((a, b) => a - b);
      const errors = list.filter((record) => record.status >= 400 || record.status === 0).length;
      const hits = list.filter((record) => record.cache_status === 'HIT' || record.cache_status === 'SEMANTIC_HIT');
      return {
        start: new Date(start).toISOString(),
        group,
        requests: list.length,
        errors,
        error_rate: Math.round((errors / list.length) * 10_000) / 10_000,
        prompt_tokens: sum(list, (record) => record.prompt_tokens),
        completion_tokens: sum(list, (record) => record.completion_tokens),
        cached_tokens: sum(list, (record) => record.cached_tokens),
        reasoning_tokens: sum(list, (record) => record.reasoning_tokens),
        cost_usd: sum(list, (record) => record.cost_usd),
        p50_ms: percentile(latencies, 0.5),
        p95_ms: percentile(latencies, 0.95),
        p50_ttft_ms: percentile(firstTokens, 0.5),
        cache_hits: hits.length,
        cache_savings_usd: sum(hits, (record) => record.cache_savings_usd),
        rate_limited: list.filter((record) => record.status === 429).length,
        fallbacks: list.filter((record) => record.fallback).length,
      };
    });
  return { from: new Date(filter.from).toISOString(), to: new Date(filter.to).toISOString(), bucket, group_by: groupBy ?? null, buckets };
}
