/**
 * The one error type of the gateway. Every failure that reaches a client is a
 * GatewayError, rendered into OpenAI's error shape in exactly one place
 * (`toErrorBody`). Retry and fallback logic read only `isRetryable`.
 */

export const errorCatalog = {
  invalid_json: { status: 400, type: 'invalid_request_error', message: 'The request body is not valid JSON.' },
  invalid_request: { status: 400, type: 'invalid_request_error', message: 'The request body does not match the schema.' },
  unsupported_parameter: { status: 400, type: 'invalid_request_error', message: 'The provider cannot honour a parameter.' },
  unknown_provider: { status: 400, type: 'invalid_request_error', message: 'The provider is not known.' },
  model_not_found: { status: 404, type: 'invalid_request_error', message: 'The model is not known.' },
  missing_credentials: { status: 401, type: 'authentication_error', message: 'No credentials for the provider.' },
  body_too_large: { status: 413, type: 'invalid_request_error', message: 'The request body is over the size limit.' },
  admin_disabled: { status: 403, type: 'permission_error', message: 'The admin API is off: set SWITCHYARD_ADMIN_TOKEN to enable it.' },
  admin_unauthorized: { status: 401, type: 'authentication_error', message: 'A valid admin token is required.' },
  not_found: { status: 404, type: 'invalid_request_error', message: 'No such route.' },
  method_not_allowed: { status: 405, type: 'invalid_request_error', message: 'The method is not allowed on this route.' },
  image_fetch_failed: { status: 400, type: 'invalid_request_error', message: 'An image URL could not be fetched.' },
  image_url_forbidden: { status: 400, type: 'invalid_request_error', message: 'An image URL points at a forbidden address.' },
  invalid_config: { status: 400, type: 'invalid_request_error', message: 'The per-request config is not valid.' },
  config_not_found: { status: 400, type: 'invalid_request_error', message: 'No saved config has that id.' },
  custom_host_forbidden: { status: 400, type: 'invalid_request_error', message: 'The custom host points at a forbidden address.' },
  no_compliant_target: { status: 400, type: 'invalid_request_error', message: 'No target of the route may serve the request\'s region.' },
  no_target: { status: 400, type: 'invalid_request_error', message: 'No target of the route matched the request.' },
  circuit_open: { status: 503, type: 'api_error', message: 'The target is skipped while its circuit breaker is open.' },
  upstream_error: { status: 502, type: 'api_error', message: 'The provider returned an error.' },
  upstream_unreachable: { status: 502, type: 'api_error', message: 'The provider could not be reached.' },
  upstream_timeout: { status: 504, type: 'timeout_error', message: 'The provider did not answer in time.' },
  upstream_bad_response: { status: 502, type: 'api_error', message: 'The provider sent a response the gateway could not read.' },
  stream_interrupted: { status: 502, type: 'api_error', message: 'The provider stream ended before it was complete.' },
  shutting_down: { status: 503, type: 'api_error', message: 'The gateway is shutting down.' },
  internal_error: { status: 500, type: 'api_error', message: 'An internal error occurred.' },
  api_key_required: { status: 401, type: 'authentication_error', message: 'A Switchyard virtual key is required (Authorization: Bearer sy-...).' },
  invalid_api_key: { status: 401, type: 'authentication_error', message: 'The virtual key is not valid: unknown, revoked, disabled or expired.' },
  model_not_allowed: { status: 403, type: 'permission_error', message: 'The virtual key may not use this model.' },
  route_not_allowed: { status: 403, type: 'permission_error', message: 'The virtual key may not use this route.' },
  model_unpriced: { status: 403, type: 'permission_error', message: 'The model has no price, and a budget applies to the request.' },
  requests_per_minute_exceeded: { status: 429, type: 'rate_limit_error', message: 'The requests-per-minute limit was reached.' },
  tokens_per_minute_exceeded: { status: 429, type: 'rate_limit_error', message: 'The tokens-per-minute limit was reached.' },
  concurrency_limit_exceeded: { status: 429, type: 'rate_limit_error', message: 'The limit on concurrent requests was reached.' },
  budget_exceeded: { status: 429, type: 'insufficient_quota', message: 'The budget for this period is used up.' },
  governance_unavailable: { status: 503, type: 'api_error', message: 'Keys, limits or budgets cannot be checked right now.' },
  guardrail_denied: { status: 446, type: 'hooks_failed', message: 'A guardrail check failed and the guardrail denies the request.' },
  guardrail_failed: { status: 446, type: 'hooks_failed', message: 'An output guardrail check failed on every target the route could try.' },
} as const satisfies Record<string, { status: number; type: string; message: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export interface GatewayErrorOptions {
  message?: string;
  /** Overrides the catalog status, e.g. to keep an upstream provider's status. */
  status?: number;
  param?: string | null;
  provider?: string;
  /** The provider's own error code or type, kept for the client. */
  upstreamCode?: string | null;
  upstreamType?: string | null;
  retryAfterMs?: number;
  /** The provider's response headers, for Retry-After and rate-limit resets. */
  upstreamHeaders?: Readonly<Record<string, string | string[] | undefined>>;
  /** Extra fields rendered inside `error` (e.g. the guardrail checks that failed). */
  details?: Readonly<Record<string, unknown>>;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly provider: string | undefined;
  readonly upstreamCode: string | null;
  readonly retryAfterMs: number | undefined;
  readonly upstreamHeaders: Readonly<Record<string, string | string[] | undefined>> | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, options: GatewayErrorOptions = {}) {
    const entry = errorCatalog[code];
    super(options.message ?? entry.message, { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? entry.status;
    this.type = options.upstreamType ?? entry.type;
    this.param = options.param ?? null;
    this.provider = options.provider;
    this.upstreamCode = options.upstreamCode ?? null;
    this.retryAfterMs = options.retryAfterMs;
    this.upstreamHeaders = options.upstreamHeaders;
    this.details = options.details;
  }

  /**
   * A failure that never reached a provider's answer: network, time-out, broken stream, open circuit;
   * and an answer an output guardrail with action `fallback` refused, so the route moves on to its next target.
   */
  get isTransportFailure(): boolean {
    return this.code === 'upstream_unreachable' || this.code === 'upstream_timeout' || this.code === 'stream_interrupted' || this.code === 'circuit_open' || this.code === 'guardrail_failed';
  }

  /** True for 408, 409, 429, >= 500, and network failures or time-outs. */
  get isRetryable(): boolean {
    if (this.isTransportFailure) return true;
    if (this.code !== 'upstream_error') return false;
    return this.status === 408 || this.status === 409 || this.status === 429 || this.status >= 500;
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null; provider?: string } & Record<string, unknown>;
}

export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('internal_error', { cause: error });
}

/** The one place errors are rendered for clients. */
export function toErrorBody(error: GatewayError): OpenAIErrorBody {
  const message = error.provider ? `${error.provider}: ${error.message}` : error.message;
  const body: OpenAIErrorBody = {
    error: { message, type: error.type, param: error.param, code: error.upstreamCode ?? error.code },
  };
  if (error.provider) body.error.provider = error.provider;
  if (error.details) body.error = { ...error.details, ...body.error };
  return body;
}
