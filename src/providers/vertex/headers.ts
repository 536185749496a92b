import type { CallContext } from '../contract.js';

/**
 * Headers before signing. With a service account, `sign` adds the bearer
 * token; without one, an API key (Vertex AI express mode) goes in `x-goog-api-key`.
 */
export function vertexHeaders(context: CallContext): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...context.settings.headers };
  if (!context.settings.options.serviceAccount && context.settings.apiKey) headers['x-goog-api-key'] = context.settings.apiKey;
  return headers;
}
