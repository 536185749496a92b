import type { ProviderErrorInfo } from '../contract.js';
import { errorBodySchema } from './api-schema.js';

/** The HTTP status Anthropic documents for each error type (used for stream `error` events, which carry no status). */
const statusByErrorType: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

export function statusForErrorType(type: string): number {
  return statusByErrorType[type] ?? 500;
}

/**
 * `{"type":"error","error":{"type":"rate_limit_error","message":"..."}}` → message, type and code.
 * The code is `error.details.error_code` when Anthropic sends one, else the error type.
 */
export function parseError(status: number, body: unknown): ProviderErrorInfo {
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    const { error } = parsed.data;
    return { message: error.message, type: error.type, code: error.details?.error_code ?? error.type };
  }
  if (typeof body === 'string' && body.trim() !== '') return { message: body.trim() };
  return { message: `Anthropic returned HTTP ${status}.` };
}
