/** The /admin/logs filters applied to one row in memory, for the live tail. */
import type { LogColumns } from '../storage/record-columns.js';
import type { LogFilter } from './query-schema.js';

export function matchesFilter(columns: LogColumns, filter: LogFilter): boolean {
  if (filter.from !== undefined && columns.started_at < filter.from) return false;
  if (filter.to !== undefined && columns.started_at >= filter.to) return false;
  const equals: [string | null, string | undefined][] = [
    [columns.key_id, filter.keyId],
    [columns.team_id, filter.teamId],
    [columns.user_id, filter.userId],
    [columns.model, filter.model],
    [columns.provider, filter.provider],
    [columns.route, filter.route],
    [columns.kind, filter.kind],
    [columns.error_code, filter.errorCode],
    [columns.cache_status, filter.cacheStatus],
  ];
  if (equals.some(([actual, wanted]) => wanted !== undefined && actual !== wanted)) return false;
  if (filter.status && (columns.status < filter.status.min || columns.status > filter.status.max)) return false;
  if (filter.minCost !== undefined && (columns.cost_usd === null || columns.cost_usd < filter.minCost)) return false;
  if (filter.maxCost !== undefined && (columns.cost_usd === null || columns.cost_usd > filter.maxCost)) return false;
  return filter.metadata.every(([name, value]) => columns.metadata[name] === value);
}
