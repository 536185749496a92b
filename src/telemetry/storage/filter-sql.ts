/**
 * A LogFilter as a SQL WHERE clause with bound parameters, for either
 * database. The dialect says how to write a placeholder, a time and the
 * metadata match; everything else is the same SQL.
 */
import type { CursorPosition } from '../query/cursor.js';
import type { LogFilter } from '../query/query-schema.js';

export interface SqlDialect {
  /** The placeholder of the parameter at `index` (0-based). */
  placeholder(index: number): string;
  /** A time parameter's value and how it is written, from epoch ms. */
  time(milliseconds: number): unknown;
  timeCast: string;
  /** Clauses that require every metadata pair; `add` binds a value and returns its placeholder. */
  metadata(pairs: readonly (readonly [string, string])[], add: (value: unknown) => string, range: { from?: string; to?: string }): string[];
}

export interface SqlWhere {
  readonly sql: string;
  readonly params: unknown[];
}

export function buildWhere(filter: LogFilter, dialect: SqlDialect, cursor?: CursorPosition): SqlWhere {
  const params: unknown[] = [];
  const add = (value: unknown): string => {
    params.push(value);
    return dialect.placeholder(params.length - 1);
  };
  const time = (milliseconds: number): string => `${add(dialect.time(milliseconds))}${dialect.timeCast}`;
  const clauses: string[] = [];
  const range: { from?: string; to?: string } = {};
  if (filter.from !== undefined) {
    range.from = time(filter.from);
    clauses.push(`started_at >= ${range.from}`);
  }
  if (filter.to !== undefined) {
    range.to = time(filter.to);
    clauses.push(`started_at < ${range.to}`);
  }
  const equals: [string, string | undefined][] = [
    ['key_id', filter.keyId],
    ['team_id', filter.teamId],
    ['user_id', filter.userId],
    ['model', filter.model],
    ['provider', filter.provider],
    ['route', filter.route],
    ['kind', filter.kind],
    ['error_code', filter.errorCode],
    ['cache_status', filter.cacheStatus],
  ];
  for (const [column, value] of equals) if (value !== undefined) clauses.push(`${column} = ${add(value)}`);
  if (filter.status) {
    if (filter.status.min === filter.status.max) clauses.push(`status = ${add(filter.status.min)}`);
    else clauses.push(`status BETWEEN ${add(filter.status.min)} AND ${add(filter.status.max)}`);
  }
  if (filter.minCost !== undefined) clauses.push(`cost_usd >= ${add(filter.minCost)}`);
  if (filter.maxCost !== undefined) clauses.push(`cost_usd <= ${add(filter.maxCost)}`);
  if (filter.metadata.length > 0) clauses.push(...dialect.metadata(filter.metadata, add, range));
  if (cursor) clauses.push(`(started_at, seq) < (${time(cursor.startedAt)}, ${add(cursor.seq)})`);
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
