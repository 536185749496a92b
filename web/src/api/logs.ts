/** The request log: pages, one record, and the live tail. */
import type { AdminClient, Query } from './client';
import { readEventData } from './event-stream-reader';
import type { LogDetail, LogPage, LogRow } from './types';

export interface LogQuery {
  from?: number;
  to?: number;
  key?: string;
  team?: string;
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

export function listLogs(client: AdminClient, query: LogQuery, page: { cursor?: string | null; limit?: number } = {}, signal?: AbortSignal): Promise<LogPage> {
  return client.getJson<LogPage>('/admin/logs', { ...logQueryParameters(query), cursor: page.cursor, limit: page.limit }, signal);
}

export function getLog(client: AdminClient, id: string, signal?: AbortSignal): Promise<LogDetail> {
  return client.getJson<LogDetail>(`/admin/logs/${encodeURIComponent(id)}`, undefined, signal);
}

/** Follows new records until the signal aborts or the server closes the stream. */
export async function followLogs(client: AdminClient, onRow: (row: LogRow) => void, onOpen: () => void, signal: AbortSignal): Promise<void> {
  const response = await client.open('/admin/logs/stream', undefined, signal);
  if (!response.body) return;
  onOpen();
  for await (const data of readEventData(response.body)) {
    try {
      onRow(JSON.parse(data) as LogRow);
    } catch {
      // A malformed event is skipped; the tail goes on.
    }
  }
}
