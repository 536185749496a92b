/**
 * The rows the logs table shows: the first page for the current filters,
 * further pages on demand, and rows the live tail adds on top.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AdminClient } from '../api/client';
import { listLogs, type LogQuery } from '../api/logs';
import type { LogRow } from '../api/types';

const pageSize = 50;
const maximumRows = 2000;

export interface LogPages {
  rows: LogRow[];
  /** Rows that arrived on the live tail, highlighted briefly. */
  fresh: Set<string>;
  loading: boolean;
  loadingMore: boolean;
  error: Error | null;
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
  prepend(row: LogRow): void;
}

export function useLogPages(client: AdminClient, query: LogQuery, queryKey: string): LogPages {
  const [rows, setRows] = useState<LogRow[]>([]);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [generation, setGeneration] = useState(0);
  const queryRef = useRef(query);
  queryRef.current = query;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    listLogs(client, queryRef.current, { limit: pageSize }, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setRows(page.data);
        setCursor(page.next_cursor);
        setFresh(new Set());
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(failure instanceof Error ? failure : new Error(String(failure)));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [client, queryKey, generation]);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    listLogs(client, queryRef.current, { cursor, limit: pageSize }).then(
      (page) => {
        setRows((current) => {
          const seen = new Set(current.map((row) => row.id));
          return [...current, ...page.data.filter((row) => !seen.has(row.id))];
        });
        setCursor(page.next_cursor);
        setLoadingMore(false);
      },
      (failure: unknown) => {
        setError(failure instanceof Error ? failure : new Error(String(failure)));
        setLoadingMore(false);
      },
    );
  }, [client, cursor, loadingMore]);

  const prepend = useCallback((row: LogRow) => {
    setRows((current) => [row, ...current.filter((existing) => existing.id !== row.id)].slice(0, maximumRows));
    setFresh((current) => new Set(current).add(row.id));
  }, []);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);

  return { rows, fresh, loading, loadingMore, error, hasMore: cursor !== null, loadMore, reload, prepend };
}
