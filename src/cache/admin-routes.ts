/**
 * The cache's admin API:
 * - `POST /admin/cache/purge` with `{ namespace?, route?, older_than_seconds? }`
 *   (all given filters must match; `{ "all": true }` purges everything) → `{ purged }`.
 * - `GET /admin/cache/stats` → counters, savings, store and index sizes.
 */
import { z } from 'zod';
import { GatewayError } from '../api/errors.js';
import type { AdminRoute } from '../admin/router.js';
import type { CacheEngine } from './cache-engine.js';
import type { CacheCounters } from './cache-stats.js';

export const purgeRequestSchema = z
  .strictObject({
    /** e.g. `key:<key id>`, `team:<team id>`, `anonymous`. */
    namespace: z.string().min(1).optional(),
    /** A route name, or a model requested without a named route. */
    route: z.string().min(1).optional(),
    older_than_seconds: z.number().int().nonnegative().optional(),
    all: z.literal(true).optional(),
  })
  .refine((body) => body.all === true || body.namespace !== undefined || body.route !== undefined || body.older_than_seconds !== undefined, {
    message: 'give namespace, route or older_than_seconds, or all: true to purge everything',
  });

export function cacheAdminRoutes(engine: CacheEngine, counters: CacheCounters, clock: () => number): AdminRoute[] {
  return [
    {
      method: 'POST',
      path: '/admin/cache/purge',
      async handle(request) {
        const parsed = purgeRequestSchema.safeParse(request.body ?? {});
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const path = issue.path.map(String).join('.');
          throw new GatewayError('invalid_request', { message: `Invalid purge: ${path ? `${path}: ` : ''}${issue.message}`, param: path || null });
        }
        const { namespace, route, older_than_seconds: olderThan } = parsed.data;
        const purged = await engine.purge({ namespace, route, createdBefore: olderThan === undefined ? undefined : clock() - olderThan * 1000 });
        return { body: { purged } };
      },
    },
    {
      method: 'GET',
      path: '/admin/cache/stats',
      async handle() {
        const size = await engine.store.size();
        return {
          body: {
            store: { type: engine.store.kind, entries: size.entries, bytes: size.bytes },
            index: { entries: engine.index.size, partitions: engine.index.partitionCount },
            embeddings: { embedder: engine.embedder.id, ...engine.embedder.stats },
            counters: { ...counters },
          },
        };
      },
    },
  ];
}
