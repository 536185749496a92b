/**
 * The log filters, kept in the page's address so a filtered view can be
 * reloaded or shared; turned into an admin API query, and matched against
 * rows arriving on the live tail.
 */
import type { LogQuery } from '../api/logs';
import type { LogRow } from '../api/types';

export interface LogFilters {
  model: string;
  provider: string;
  key: string;
  team: string;
  /** '', 'success', 'error', or an HTTP status such as '429'. */
  status: string;
  minCost: string;
  maxCost: string;
  /** `name=value`, for a metadata filter. */
  metadata: string;
  /** '', '15m', '1h', '24h' or '7d'. */
  since: string;
}

const fields: readonly (keyof LogFilters)[] = ['model', 'provider', 'key', 'team', 'status', 'minCost', 'maxCost', 'metadata', 'since'];
const parameterNames: Record<keyof LogFilters, string> = {
  model: 'model',
  provider: 'provider',
  key: 'key',
  team: 'team',
  status: 'status',
  minCost: 'min_cost',
  maxCost: 'max_cost',
  metadata: 'metadata',
  since: 'since',
};

export const sinceOptions: readonly { value: string; label: string; ms: number }[] = [
  { value: '', label: 'Any time', ms: 0 },
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 60 * 60_000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 60 * 60_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 24 * 60 * 60_000 },
];

export function readFilters(search: URLSearchParams): LogFilters {
  const filters = {} as LogFilters;
  for (const field of fields) filters[field] = search.get(parameterNames[field])?.trim() ?? '';
  return filters;
}

export function filtersToSearch(filters: LogFilters): string {
  const search = new URLSearchParams();
  for (const field of fields) if (filters[field]) search.set(parameterNames[field], filters[field]);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function activeFilterCount(filters: LogFilters): number {
  return fields.filter((field) => filters[field] !== '').length;
}

export function parseMetadata(text: string): Record<string, string> | undefined {
  const separator = text.indexOf('=');
  if (separator <= 0) return undefined;
  return { [text.slice(0, separator).trim()]: text.slice(separator + 1).trim() };
}

export function toLogQuery(filters: LogFilters, now: number): LogQuery {
  const since = sinceOptions.find((option) => option.value === filters.since);
  return {
    from: since && since.ms > 0 ? now - since.ms : undefined,
    model: filters.model || undefined,
    provider: filters.provider || undefined,
    key: filters.key || undefined,
    team: filters.team || undefined,
    status: filters.status || undefined,
    minCost: filters.minCost || undefined,
    maxCost: filters.maxCost || undefined,
    metadata: parseMetadata(filters.metadata),
  };
}

const statusClasses: Readonly<Record<string, readonly [number, number]>> = { success: [100, 399], error: [400, 999], '2xx': [200, 299], '4xx': [400, 499], '5xx': [500, 599] };

function statusMatches(filter: string, status: number): boolean {
  const range = statusClasses[filter];
  if (range) return status >= range[0] && status <= range[1];
  return String(status) === filter;
}

/**
 * Whether a row from the live tail belongs in the filtered table, by the
 * admin API's rules: the model is the served one (or the requested one when
 * nothing served), key and team are ids, and a cost filter never matches a
 * request without a cost.
 */
export function rowMatches(filters: LogFilters, row: LogRow): boolean {
  if (filters.model && filters.model !== (row.model_served ?? row.model_requested)) return false;
  if (filters.provider && filters.provider !== row.provider) return false;
  if (filters.key && filters.key !== row.key_id) return false;
  if (filters.team && filters.team !== row.team_id) return false;
  if (filters.status && !statusMatches(filters.status, row.status)) return false;
  if (filters.minCost && (row.cost_usd === null || row.cost_usd < Number(filters.minCost))) return false;
  if (filters.maxCost && (row.cost_usd === null || row.cost_usd > Number(filters.maxCost))) return false;
  const metadata = parseMetadata(filters.metadata);
  if (metadata) for (const [name, value] of Object.entries(metadata)) if (row.metadata?.[name] !== value) return false;
  return true;
}
