/** GET /metrics in the Prometheus text format, optionally behind the admin token. */
import type { Registry } from 'prom-client';
import { requireAdmin } from '../../admin/router.js';
import type { PlainHandler } from '../../server/app.js';

export function createMetricsHandler(registry: Registry, options: { requireAdminToken: boolean; adminToken: string | undefined }): PlainHandler {
  return async function serveMetrics(_state, context) {
    if (options.requireAdminToken) requireAdmin(context, options.adminToken);
    const text = await registry.metrics();
    context.response.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(text) });
    context.response.end(text);
  };
}
