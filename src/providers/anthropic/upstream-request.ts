/**
 * URL and headers of a Messages call.
 *
 * Auth: API version 2026-10-21 (what today's SDKs send) takes the key as `Authorization: Bearer`;
 * `x-api-key` is still accepted and is what older clients and many Anthropic-compatible servers read,
 * so both are sent.
 *
 * Version: 2026-10-21 removed `temperature`, `top_p` and `top_k` (a request with any of them gets a 400,
 * even at default values). Anthropic's guidance is to keep such workloads on 2023-06-01, so a request
 * whose body carries one of them is sent with `anthropic-version: 2023-06-01`; the rest of what this
 * dialect sends means the same under both versions. A configured `anthropic-version` header wins.
 */
import { GatewayError } from '../../api/errors.js';
import type { CallContext } from '../contract.js';

export const DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const API_VERSION = '2026-10-21';
export const SAMPLING_API_VERSION = '2023-06-01';
const samplingParameters = ['temperature', 'top_p', 'top_k'] as const;

/** `{base}/v1/messages`; a base URL that already ends in `/v1` is not doubled. */
export function messagesURL(baseURL: string | undefined): string {
  const base = (baseURL || DEFAULT_BASE_URL).replace(/\/+$/, '');
  return base.endsWith('/v1') ? `${base}/messages` : `${base}/v1/messages`;
}

export function apiVersionFor(body: Record<string, unknown>): string {
  return samplingParameters.some((key) => body[key] !== undefined) ? SAMPLING_API_VERSION : API_VERSION;
}

export function requestHeaders(context: CallContext, body: Record<string, unknown>): Record<string, string> {
  const { settings } = context;
  if (!settings.apiKey) {
    throw new GatewayError('missing_credentials', { provider: settings.name, message: 'No API key is configured for this Anthropic provider.' });
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'anthropic-version': apiVersionFor(body),
    authorization: `Bearer ${settings.apiKey}`,
    'x-api-key': settings.apiKey,
  };
  for (const [name, value] of Object.entries(settings.headers ?? {})) headers[name.toLowerCase()] = value;

  // Beta flags from the config and from the client (`anthropic-beta`, comma-separated) are both sent.
  const betas = [headers['anthropic-beta'], context.inboundHeaders['anthropic-beta']]
    .flatMap((value) => (value ?? '').split(','))
    .map((flag) => flag.trim())
    .filter((flag) => flag !== '');
  if (betas.length > 0) headers['anthropic-beta'] = [...new Set(betas)].join(',');
  return headers;
}
