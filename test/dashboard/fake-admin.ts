/**
 * A stand-in for the admin API the dashboard reads, serving the real API's
 * shapes (built by its own views and query parsers) from in-memory lists:
 * logs (pages, one record, a live SSE tail), analytics, keys and budgets.
 * Behind the same admin token check as the real router. Endpoints can be
 * switched off to answer 404, as an older gateway would.
 */
import type { ServerResponse } from 'node:http';
import { AdminRouter, requireAdmin } from '../../src/admin/router.js';
import { GatewayError } from '../../src/api/errors.js';
import type { PlainHandler } from '../../src/server/app.js';
import { sendError } from '../../src/server/http-io.js';
import type { LogDetail } from '../../web/src/api/types.js';
import { budgetView } from '../../src/governance/views.js';
import { analyticsOf, pageOfLogs, toWireDetail, toWireRow } from './fake-admin-queries.js';
import { fakeBudgetStatus, fakeDirectory, fakeKeyView, type FakeDirectory, type FakeKey } from './fake-keys.js';
import { fakeLogHistory } from './fake-log-history.js';

export type FakeEndpoint = 'logs' | 'log' | 'stream' | 'analytics' | 'keys' | 'budgets';

export class FakeAdmin {
  readonly records: LogDetail[];
  readonly directory: FakeDirectory;
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
    this.directory = fakeDirectory(now);
    this.records = options.history === false ? [] : fakeLogHistory(now, this.directory);
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
          return { body: toWireDetail(record) };
        },
      },
      { method: 'GET', path: '/admin/analytics', handle: (request) => (available('analytics'), { body: analyticsOf(this.records, request.query, Date.now()) }) },
      {
        method: 'GET',
        path: '/admin/keys',
        handle: (request) => {
          available('keys');
          const keys = request.query.get('include_revoked') === 'true' ? this.keys : this.keys.filter((key) => key.revokedAt === null);
          return { body: { data: keys.map((key) => fakeKeyView(this.directory, key)) } };
        },
      },
      {
        method: 'GET',
        path: '/admin/budgets',
        handle: (request) => {
          available('budgets');
          const scope = request.query.get('scope');
          const subject = request.query.get('subject');
          const budgets = this.directory.budgets.filter((budget) => (!scope || budget.scope === scope) && (!subject || budget.subject === subject));
          return { body: { data: budgets.map(budgetView) } };
        },
      },
      {
        method: 'GET',
        path: '/admin/budgets/:id/status',
        handle: (request) => {
          available('budgets');
          const budget = this.directory.budgets.find((candidate) => candidate.id === request.params.id);
          if (!budget) throw new GatewayError('not_found', { message: `No budget ${request.params.id}.` });
          return { body: fakeBudgetStatus(budget, Date.now()) };
        },
      },
    );
  }

  /** Adds a record and sends it to every live-tail listener. */
  add(record: LogDetail): void {
    this.records.push(record);
    const frame = `data: ${JSON.stringify(toWireRow(record))}\n\n`;
    for (const listener of this.listeners) listener.write(frame);
  }

  get keys(): FakeKey[] {
    return this.directory.keys;
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
