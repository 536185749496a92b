/** The log and analytics endpoints of the admin API, as routes for the admin router. */
import type { AdminRoute } from '../../admin/router.js';
import { GatewayError } from '../../api/errors.js';
import type { LogStore } from '../storage/log-store.js';
import { parseAnalyticsQuery, parseLogQuery } from './query-schema.js';

export function createLogAdminRoutes(store: LogStore, now: () => number): AdminRoute[] {
  return [
    {
      method: 'GET',
      path: '/admin/logs',
      handle: async (request) => ({ body: await store.list(parseLogQuery(request.query)) }),
    },
    {
      method: 'GET',
      path: '/admin/logs/:id',
      handle: async (request) => {
        const detail = await store.get(request.params.id!);
        if (!detail) throw new GatewayError('not_found', { message: `No request log record has the id '${request.params.id}'.` });
        return { body: detail };
      },
    },
    {
      method: 'GET',
      path: '/admin/analytics',
      handle: async (request) => {
        const query = parseAnalyticsQuery(request.query, now());
        const buckets = await store.analytics(query);
        return {
          body: {
            from: new Date(query.filter.from).toISOString(),
            to: new Date(query.filter.to).toISOString(),
            bucket: query.bucket,
            group_by: query.groupBy ?? null,
            buckets,
          },
        };
      },
    },
  ];
}
