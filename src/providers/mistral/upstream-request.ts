/** URLs and headers of Mistral calls: `{baseURL}/chat/completions` and `{baseURL}/embeddings`, `Authorization: Bearer <key>`. */
import { GatewayError } from '../../api/errors.js';
import type { CallContext } from '../contract.js';

export const DEFAULT_BASE_URL = 'https://api.mistral.ai/v1';

export function mistralURL(baseURL: string | undefined, path: '/chat/completions' | '/embeddings'): string {
  return (baseURL || DEFAULT_BASE_URL).replace(/\/+$/, '') + path;
}

export function mistralHeaders(context: CallContext): Record<string, string> {
  const { settings } = context;
  if (!settings.apiKey) {
    throw new GatewayError('missing_credentials', { provider: settings.name, message: 'No API key is configured for this Mistral provider.' });
  }
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: context.stream ? 'text/event-stream' : 'application/json' };
  for (const [name, value] of Object.entries(settings.headers ?? {})) headers[name.toLowerCase()] = value;
  headers.authorization = `Bearer ${settings.apiKey}`;
  return headers;
}
