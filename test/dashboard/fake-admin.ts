/**
 * A stand-in for the admin API the dashboard reads, serving its documented
 * shapes from an in-memory list: logs (pages, one record, a live SSE tail),
 * analytics and keys. Behind the same admin token check as the real router.
 * Endpoints can be switched off to answer 404, as an older gateway would.
 */
import type { ServerResponse } from 'node:http';
import { AdminRouter, requireAdmin } from '../../src/admin/router.js';
import { GatewayError } from '../../src/api/errors.js';
import type { PlainHandler } from '../../src/server/app.js';
import { sendError } from '../../src/server/http-io.js';
import type { LogDetail } from '../../web/src/api/types.js';
import { analyticsOf, pageOfLogs, toLogRow } from './fake-admin-queries.js';
import { fakeKeys, type FakeKey } from './fake-keys.js';
import { fakeLogHistory } from './fake-log-history.js';

export type FakeEndpoint = 'logs' | 'log' | 'stream' | 'analytics' | 'keys';

export class FakeAdmin {
  readonly records: LogDetail[];
  readonly keys: FakeKey[];
  /** Endpoints that answer 404. */
  readonly missing = new Set<FakeEndpoint>();
  /** Holds every answer back this long, to show loading states. */
  delayMs = 0;
  private readonly listeners = new Set<ServerResponse>();
  private readonly router: AdminRouter;

  constructor(
    readonly adminToken: string,
    options: { now?: number; history?: boolean } = {},
  ) {
    const now = options.now ?? Date.now();
    this.keys = fakeKeys(now);
    this.records = options.history === false ? [] : fakeLogHistory(now, this.keys);
    const available = (endpoint: FakeEndpoint) => {
      if (this.missing.has(endpoint)) throw new GatewayError('not_found', { message: `No admin route for GET /admin/${endpoint}.` });
    };
    this.router = new AdminRouter(adminToken, 1024 * 1024).add(
      { method: 'GET', path: '/admin/logs', handle: (request) => (available('logs'), { body: pageOfLogs(this.records, request.query) }) },
      {
        method: 'GET',
        path: '/admin/logs/:id',
        handle: (request) => {
          available('log');
          const record = this.records.find((candidate) => candidate.id === request.params.id);
          if (!record) throw new GatewayError('not_found', { message: `No request log ${request.params.id}.` });
          return { body: record };
        },
      },
      { method: 'GET', path: '/admin/analytics', handle: (request) => (available('analytics'), { body: analyticsOf(this.records, request.query, Date.now()) }) },
      { method: 'GET', path: '/admin/keys', handle: () => (available('keys'), { body: { data: this.keys.map(({ secret: _secret, ...key }) => key) } }) },
    );
  }

  /** Adds a record and sends it to every live-tail listener. */
  add(record: LogDetail): void {
    this.records.push(record);
    const frame = `data: ${JSON.stringify(toLogRow(record))}\n\n`;
    for (const listener of this.listeners) listener.write(frame);
  }

  keyForSecret(secret: string | undefined): FakeKey | undefined {
    return this.keys.find((key) => key.secret === secret);
  }

  /** Ends every open live tail (before the gateway closes). */
  closeStreams(): void {
    for (const listener of this.listeners) listener.end();
    this.listeners.clear();
  }

  readonly handle: PlainHandler = async (_state, context, path) => {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (path !== '/admin/logs/stream') return this.router.handle(context, path);
    try {
      requireAdmin(context, this.adminToken);
      if (this.missing.has('stream')) throw new GatewayError('not_found', { message: 'No admin route for GET /admin/logs/stream.' });
    } catch (error) {
      return sendError(context.response, error);
    }
    const response = context.response;
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    response.write(': connected\n\n');
    this.listeners.add(response);
    response.on('close', () => this.listeners.delete(response));
  };
}
