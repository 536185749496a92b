/** The request log: pages, one record, and the live tail, read from the wire into the dashboard's shapes. */
import type { AdminClient, Query } from './client.js';
import { readEventData } from './event-stream-reader.js';
import type { LogDetail, LogPage, LogRow, WireLogDetail, WireLogPage, WireLogRow } from './types.js';
import { stringRecord, time } from './wire-values.js';

export interface LogQuery {
  from?: number;
  to?: number;
  /** A virtual key's id. */
  key?: string;
  /** A team's id. */
  team?: string;
  /** The served model, or the requested one when nothing served. */
  model?: string;
  provider?: string;
  status?: string;
  minCost?: string;
  maxCost?: string;
  /** `metadata.<name>=<value>` filters. */
  metadata?: Record<string, string>;
}

export function logQueryParameters(query: LogQuery): Query {
  const parameters: Query = {
    from: query.from,
    to: query.to,
    key: query.key,
    team: query.team,
    model: query.model,
    provider: query.provider,
    status: query.status,
    min_cost: query.minCost,
    max_cost: query.maxCost,
  };
  for (const [name, value] of Object.entries(query.metadata ?? {})) parameters[`metadata.${name}`] = value;
  return parameters;
}

/** The wire row with its ISO start time as epoch ms. */
export function toLogRow(wire: WireLogRow): LogRow {
  return { ...wire, started_at: time(wire.started_at) ?? 0, metadata: stringRecord(wire.metadata), attempt_count: wire.attempt_count ?? 0 };
}

export function toLogDetail(wire: WireLogDetail): LogDetail {
  return { ...wire, ...toLogRow(wire), attempts: wire.attempts ?? [], guardrails: wire.guardrails ?? [], body_mode: wire.body_mode ?? 'none' };
}

export async function listLogs(client: AdminClient, query: LogQuery, page: { cursor?: string | null; limit?: number } = {}, signal?: AbortSignal): Promise<LogPage> {
  const answer = await client.getJson<WireLogPage>('/admin/logs', { ...logQueryParameters(query), cursor: page.cursor, limit: page.limit }, signal);
  return { data: (answer.data ?? []).map(toLogRow), next_cursor: answer.next_cursor ?? null };
}

export async function getLog(client: AdminClient, id: string, signal?: AbortSignal): Promise<LogDetail> {
  return toLogDetail(await client.getJson<WireLogDetail>(`/admin/logs/${encodeURIComponent(id)}`, undefined, signal));
}

/** Follows new records until the signal aborts or the server closes the stream. */
export async function followLogs(client: AdminClient, onRow: (row: LogRow) => void, onOpen: () => void, signal: AbortSignal): Promise<void> {
  const response = await client.open('/admin/logs/stream', undefined, signal);
  if (!response.body) return;
  onOpen();
  for await (const data of readEventData(response.body)) {
    let wire: WireLogRow;
    try {
      wire = JSON.parse(data) as WireLogRow;
    } catch {
      continue; // A malformed event is skipped; the tail goes on.
    }
    if (typeof wire?.id === 'string') onRow(toLogRow(wire));
  }
}
