import type { ProviderErrorInfo } from '../contract.js';
import { errorBodySchema } from './api-schema.js';

/** OpenAI's error type for a status, for bodies that carry no type of their own (`{"detail":"Unauthorized"}`). */
const typeByStatus: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
};

/** A validation report item: `{"loc": ["body", "n"], "msg": "Extra inputs are not permitted", ...}`. */
function describeIssue(issue: unknown): string {
  if (typeof issue !== 'object' || issue === null) return String(issue);
  const { loc, msg } = issue as { loc?: unknown; msg?: unknown };
  const where = Array.isArray(loc) ? loc.join('.') : undefined;
  if (typeof msg === 'string') return where ? `${where}: ${msg}` : msg;
  return JSON.stringify(issue);
}

/** Mistral's `message` / `detail`: a string, a validation report (a list, or `{detail: [...]}`), or anything else as JSON. */
function describe(value: unknown): string | undefined {
  if (value == null) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(describeIssue).join('; ');
  if (typeof value === 'object' && 'detail' in value) return describe((value as { detail: unknown }).detail);
  return JSON.stringify(value);
}

/**
 * Any of Mistral's error bodies → message, type and code. The code is Mistral's own (`"3280"`, or a
 * number made a string) when it sends one.
 */
export function parseError(status: number, body: unknown): ProviderErrorInfo {
  const fallbackType = typeByStatus[status] ?? null;
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    const message = describe(parsed.data.message) ?? describe(parsed.data.detail);
    if (message !== undefined && message !== '') {
      const { type, code, param } = parsed.data;
      return { message, type: type ?? fallbackType, code: code == null ? null : String(code), param: param ?? null };
    }
  }
  if (typeof body === 'string' && body.trim() !== '') return { message: body.trim().slice(0, 500), type: fallbackType, code: null };
  return { message: `Mistral returned HTTP ${status}.`, type: fallbackType, code: null };
}
