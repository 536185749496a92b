/** The fake admin API's reads over its in-memory records: filtered log pages and time-bucketed analytics. */
import type { AnalyticsBucket, LogDetail, LogRow } from '../../web/src/api/types.js';

const bucketMs: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function toLogRow(record: LogDetail): LogRow {
  const { attempts: _attempts, guardrails: _guardrails, request_body: _request, response_body: _response, ...row } = record;
  return row;
}

function statusMatches(filter: string, status: number): boolean {
  if (filter === 'success') return status > 0 && status < 400;
  if (filter === 'error') return status === 0 || status >= 400;
  return String(status) === filter;
}

export function matchesLogQuery(record: LogDetail, query: URLSearchParams): boolean {
  const number = (name: string) => (query.has(name) ? Number(query.get(name)) : undefined);
  const from = number('from');
  const to = number('to');
  if (from !== undefined && record.started_at < from) return false;
  if (to !== undefined && record.started_at >= to) return false;
  const model = query.get('model');
  if (model && model !== record.model_requested && model !== record.model_served) return false;
  const provider = query.get('provider');
  if (provider && provider !== record.provider) return false;
  const key = query.get('key');
  if (key && key !== record.key_id && key !== record.key_name) return false;
  const team = query.get('team');
  if (team && team !== record.team_id) return false;
  const status = query.get('status');
  if (status && !statusMatches(status, record.status)) return false;
  const minCost = number('min_cost');
  if (minCost !== undefined && (record.cost_usd ?? 0) < minCost) return false;
  const maxCost = number('max_cost');
  if (maxCost !== undefined && (record.cost_usd ?? 0) > maxCost) return false;
  for (const [name, value] of query) {
    if (name.startsWith('metadata.') && record.metadata?.[name.slice('metadata.'.length)] !== value) return false;
  }
  return true;
}

/** Newest first; the cursor is the offset of the next page. */
export function pageOfLogs(records: readonly LogDetail[], query: URLSearchParams): { data: LogRow[]; next_cursor: string | null } {
  const matching = records.filter((record) => matchesLogQuery(record, query)).sort((a, b) => b.started_at - a.started_at);
  const offset = Number(query.get('cursor') ?? 0) || 0;
  const limit = Math.min(Math.max(Number(query.get('limit') ?? 50) || 50, 1), 500);
  const page = matching.slice(offset, offset + limit);
  return { data: page.map(toLogRow), next_cursor: offset + limit < matching.length ? String(offset + limit) : null };
}

function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

const groupOf: Record<string, (record: LogDetail) => string | null> = {
  model: (record) => record.model_served ?? record.model_requested,
  provider: (record) => record.provider,
  key: (record) => record.key_name ?? record.key_id,
  team: (record) => record.team_id,
};

export function analyticsOf(records: readonly LogDetail[], query: URLSearchParams, now: number): { buckets: AnalyticsBucket[] } {
  const step = bucketMs[query.get('bucket') ?? 'hour'] ?? bucketMs.hour!;
  const to = Number(query.get('to') ?? now);
  const from = Number(query.get('from') ?? to - 86_400_000);
  const group = groupOf[query.get('group_by') ?? ''];
  const cells = new Map<string, { start: number; group: string | null; records: LogDetail[] }>();
  for (const record of records) {
    if (record.started_at < from || record.started_at >= to) continue;
    const start = Math.floor(record.started_at / step) * step;
    const name = group ? (group(record) ?? '(none)') : null;
    const id = `${start}\u0000${name}`;
    const cell = cells.get(id) ?? { start, group: name, records: [] };
    cell.records.push(record);
    cells.set(id, cell);
  }
  const buckets = [...cells.values()].map(({ start, group: name, records: list }): AnalyticsBucket => {
    const latencies = list.map((record) => record.latency_ms).sort((a, b) => a - b);
    const errors = list.filter((record) => record.status >= 400 || record.status === 0).length;
    const hits = list.filter((record) => record.cache_status === 'HIT' || record.cache_status === 'SEMANTIC_HIT');
    return {
      start,
      group: name,
      requests: list.length,
      errors,
      error_rate: errors / list.length,
      prompt_tokens: list.reduce((sum, record) => sum + (record.prompt_tokens ?? 0), 0),
      completion_tokens: list.reduce((sum, record) => sum + (record.completion_tokens ?? 0), 0),
      cost_usd: list.reduce((sum, record) => sum + (record.cost_usd ?? 0), 0),
      p50_ms: percentile(latencies, 0.5),
      p95_ms: percentile(latencies, 0.95),
      cache_hits: hits.length,
      cache_savings_usd: hits.length * 0.0021,
    };
  });
  return { buckets: buckets.sort((a, b) => a.start - b.start || String(a.group).localeCompare(String(b.group))) };
}
