/** URLs and headers of Cohere v2 calls: `Authorization: Bearer <key>`, JSON bodies. */
import { GatewayError } from '../../api/errors.js';
import type { CallContext } from '../contract.js';

export const DEFAULT_BASE_URL = 'https://api.cohere.com';

/** `{base}/v2/{operation}`; a base URL that already ends in `/v2` is not doubled. */
export function cohereURL(baseURL: string | undefined, operation: 'chat' | 'embed'): string {
  const base = (baseURL || DEFAULT_BASE_URL).replace(/\/+$/, '');
  return base.endsWith('/v2') ? `${base}/${operation}` : `${base}/v2/${operation}`;
}

export function cohereHeaders(context: CallContext): Record<string, string> {
  const { settings } = context;
  if (!settings.apiKey) {
    throw new GatewayError('missing_credentials', { provider: settings.name, message: 'No API key is configured for this Cohere provider.' });
  }
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: context.stream ? 'text/event-stream' : 'application/json' };
  for (const [name, value] of Object.entries(settings.headers ?? {})) headers[name.toLowerCase()] = value;
  headers.authorization = `Bearer ${settings.apiKey}`;
  return headers;
}
