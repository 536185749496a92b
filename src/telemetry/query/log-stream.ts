/**
 * The live tail: GET /admin/logs/stream answers with Server-Sent Events, one
 * `data: <log row JSON>` per new record as it is logged (before it reaches
 * the database), filtered like /admin/logs. A comment line keeps idle
 * connections open. A client that does not read fast enough misses events,
 * which are counted and announced to it in an `event: dropped` message.
 */
import { requireAdmin } from '../../admin/router.js';
import type { PlainHandler } from '../../server/app.js';
import type { LogRecord } from '../record/log-record.js';
import { toColumns, toLogRow } from '../storage/record-columns.js';
import { matchesFilter } from './match-filter.js';
import { parseStreamQuery, type LogFilter } from './query-schema.js';

interface Subscriber {
  readonly filter: LogFilter;
  send(text: string): boolean;
  missed: number;
}

export interface LogTail {
  /** Sends the record to every subscriber whose filter it matches (its columns are made only when someone listens). */
  publish(record: LogRecord): void;
  readonly subscribers: number;
  handler(options: { adminToken: string | undefined; heartbeatMs?: number }): PlainHandler;
  /** Ends every open stream. */
  close(): void;
}

/** Unread bytes past which a subscriber misses events. */
const maxBufferedBytes = 1024 * 1024;

export function createLogTail(onMissed: (count: number) => void): LogTail {
  const subscribers = new Set<Subscriber>();
  const closers = new Set<() => void>();

  return {
    get subscribers() {
      return subscribers.size;
    },
    publish(record) {
      if (subscribers.size === 0) return;
      const columns = toColumns(record);
      let text: string | undefined;
      for (const subscriber of subscribers) {
        if (!matchesFilter(columns, subscriber.filter)) continue;
        text ??= `data: ${JSON.stringify(toLogRow(columns))}\n\n`;
        if (subscriber.missed > 0 && subscriber.send(`event: dropped\ndata: ${JSON.stringify({ missed: subscriber.missed })}\n\n`)) subscriber.missed = 0;
        if (!subscriber.send(text)) {
          subscriber.missed += 1;
          onMissed(1);
        }
      }
    },
    handler({ adminToken, heartbeatMs = 15_000 }) {
      return function streamLogs(_state, context) {
        requireAdmin(context, adminToken);
        const { request, response } = context;
        const filter = parseStreamQuery(new URL(request.url ?? '/', 'http://admin').searchParams);
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
        response.write(': connected\n\n');
        const subscriber: Subscriber = {
          filter,
          missed: 0,
          send: (text) => {
            if (response.writableLength > maxBufferedBytes) return false;
            response.write(text);
            return true;
          },
        };
        const heartbeat = setInterval(() => response.write(': ping\n\n'), heartbeatMs);
        heartbeat.unref();
        const close = (): void => {
          clearInterval(heartbeat);
          subscribers.delete(subscriber);
          closers.delete(close);
          if (!response.writableEnded) response.end();
        };
        subscribers.add(subscriber);
        closers.add(close);
        response.on('close', close);
      };
    },
    close() {
      for (const close of [...closers]) close();
    },
  };
}
