/**
 * Google's error body → message and code. The body is
 * `{ "error": { "code": 400, "message": "...", "status": "INVALID_ARGUMENT", "details": [...] } }`
 * (on streams sometimes wrapped in a one-element array); `status` becomes the code.
 */
import type { ProviderErrorInfo } from '../contract.js';
import { googleErrorSchema } from './api-schema.js';

export function parseGoogleError(status: number, body: unknown): ProviderErrorInfo {
  const candidate = Array.isArray(body) ? body[0] : body;
  const parsed = googleErrorSchema.safeParse(candidate);
  if (parsed.success) {
    const error = parsed.data.error;
    return { message: error.message || error.status || `HTTP ${status}`, code: error.status ?? (error.code != null ? String(error.code) : null) };
  }
  if (typeof body === 'string' && body.trim() !== '') return { message: body.slice(0, 500) };
  return { message: `HTTP ${status}` };
}

/** The HTTP status Google put in an in-band error body (e.g. a 503 sent mid-stream), if any. */
export function googleErrorStatus(body: unknown): number | undefined {
  const parsed = googleErrorSchema.safeParse(Array.isArray(body) ? body[0] : body);
  const code = parsed.success ? parsed.data.error.code : undefined;
  return code != null && code >= 400 && code <= 599 ? code : undefined;
}
