/**
 * Follows the log stream while enabled, reconnecting with a growing delay
 * when it drops. A 404 means this gateway has no live tail: it stops trying.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import type { AdminClient } from '../api/client';
import { followLogs } from '../api/logs';
import type { LogRow } from '../api/types';

export type TailState = 'off' | 'connecting' | 'live' | 'reconnecting' | 'unavailable';

export function useLiveTail(client: AdminClient, enabled: boolean, onRow: (row: LogRow) => void): TailState {
  const [state, setState] = useState<TailState>(enabled ? 'connecting' : 'off');
  const onRowRef = useRef(onRow);
  onRowRef.current = onRow;

  useEffect(() => {
    if (!enabled) {
      setState('off');
      return;
    }
    const controller = new AbortController();
    let delayMs = 1000;
    let timer: ReturnType<typeof setTimeout> | undefined;

    async function connect(): Promise<void> {
      try {
        await followLogs(
          client,
          (row) => onRowRef.current(row),
          () => {
            delayMs = 1000;
            setState('live');
          },
          controller.signal,
        );
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && (error.isNotFound || error.isUnauthorized)) {
          setState('unavailable');
          return;
        }
      }
      if (controller.signal.aborted) return;
      setState('reconnecting');
      timer = setTimeout(() => void connect(), delayMs);
      delayMs = Math.min(delayMs * 2, 15_000);
    }

    setState('connecting');
    void connect();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [client, enabled]);

  return state;
}
