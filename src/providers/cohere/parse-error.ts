import type { ProviderErrorInfo } from '../contract.js';
import { errorBodySchema } from './api-schema.js';

/**
 * Cohere's bodies carry a message but no type or code, so the type is the OpenAI error type
 * for the HTTP status (the one a client of this API expects); other statuses keep the core's default.
 */
const typeByStatus: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
};

/** `{"id": "...", "message": "invalid api token"}` → message and type. */
export function parseError(status: number, body: unknown): ProviderErrorInfo {
  const type = typeByStatus[status] ?? null;
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) return { message: parsed.data.message, type, code: null };
  if (typeof body === 'string' && body.trim() !== '') return { message: body.trim().slice(0, 500), type, code: null };
  return { message: `Cohere returned HTTP ${status}.`, type, code: null };
}
