/**
 * How long to wait before a retry: exponential backoff with full jitter, or
 * what the provider asked for (Retry-After and friends), within a per-request
 * retry budget.
 */

export interface BackoffOptions {
  /** The ceiling of the first retry's delay, in ms. */
  readonly baseMs: number;
  /** The ceiling of any delay, in ms. */
  readonly maxMs: number;
}

export interface RetryDelayOptions extends BackoffOptions {
  /** Wait as long as the provider's Retry-After headers say (capped by maxMs) when it sends them. */
  readonly useRetryAfter: boolean;
}

export type ResponseHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Exponential backoff with full jitter: uniform in [0, min(maxMs, baseMs × 2^attempt)).
 * `attempt` 0 is the first retry. Calls `random` once.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const exponent = Math.max(0, Math.floor(attempt));
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return random() * Math.max(0, ceiling);
}

/** A header's first value, looked up without regard to case. */
function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  let value = headers[name];
  if (value === undefined) {
    const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
    value = key === undefined ? undefined : headers[key];
  }
  const first = typeof value === 'string' ? value : value?.[0];
  const trimmed = first?.trim();
  return trimmed === '' ? undefined : trimmed;
}

const decimal = /^\d+(?:\.\d+)?$/;
/** Every HTTP date form (IMF-fixdate, RFC 850, asctime) carries hh:mm:ss; Date.parse alone accepts far too much. */
const clockTime = /\b\d{2}:\d{2}:\d{2}\b/;

const unitMilliseconds: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, 'μs': 0.001, ns: 0.000001 };

/**
 * OpenAI's rate-limit reset durations ("1s", "6m0s", "20ms", "1h2m3.5s", Go's
 * duration format) or plain seconds ("30", "1.5"), in ms; undefined if neither.
 */
export function parseResetDuration(text: string): number | undefined {
  if (decimal.test(text)) return Number(text) * 1000;
  const part = /(\d+(?:\.\d+)?)(ms|us|µs|μs|ns|h|m|s)/y;
  let total = 0;
  let position = 0;
  while (position < text.length) {
    part.lastIndex = position;
    const match = part.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * unitMilliseconds[match[2]];
    position = part.lastIndex;
  }
  return position === 0 ? undefined : total;
}

/** `Retry-After`: delay-seconds or an HTTP date, in ms from `now`; undefined if it is neither. */
function parseRetryAfter(text: string, now: number): number | undefined {
  if (decimal.test(text)) return Number(text) * 1000;
  const date = clockTime.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait a response asks for in so many words, in ms, or undefined: `retry-after-ms`, else `retry-after`
 * (seconds or an HTTP date, relative to `now`); an unreadable header falls through to the next. This is what the
 * gateway passes on to its own client with an upstream error.
 */
export function explicitRetryAfter(headers: ResponseHeaders, now: number): number | undefined {
  const milliseconds = headerValue(headers, 'retry-after-ms');
  if (milliseconds !== undefined && decimal.test(milliseconds)) return Number(milliseconds);
  const retryAfter = headerValue(headers, 'retry-after');
  return retryAfter === undefined ? undefined : parseRetryAfter(retryAfter, now);
}

/**
 * How long the provider asked us to wait, in ms, or undefined if it did not say: `explicitRetryAfter`, else
 * the larger of `x-ratelimit-reset-requests` and `x-ratelimit-reset-tokens`.
 */
export function retryAfterFromHeaders(headers: ResponseHeaders, now: number): number | undefined {
  const explicit = explicitRetryAfter(headers, now);
  if (explicit !== undefined) return explicit;
  const resets = ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']
    .map((name) => headerValue(headers, name))
    .map((text) => (text === undefined ? undefined : parseResetDuration(text)))
    .filter((value): value is number => value !== undefined);
  return resets.length === 0 ? undefined : Math.max(...resets);
}

/**
 * The delay before retry number `attempt` (0 = the first retry): the provider's
 * Retry-After (capped by maxMs) when it sent one and `useRetryAfter` is set;
 * otherwise `backoffDelay` (the only case that calls `random`).
 */
export function retryDelay(attempt: number, options: RetryDelayOptions, headers: ResponseHeaders | undefined, random: () => number, now: number): number {
  const requested = options.useRetryAfter && headers ? retryAfterFromHeaders(headers, now) : undefined;
  if (requested !== undefined) return Math.min(requested, options.maxMs);
  return backoffDelay(attempt, options, random);
}

export interface RetryBudgetLimits {
  /** The most retries across all targets of one request. Unlimited if unset. */
  readonly maxRetries?: number;
  /** The most time spent waiting between retries, in ms. Unlimited if unset. */
  readonly maxWaitMs?: number;
}

/** What one request may still spend on retries, across all its targets. */
export class RetryBudget {
  private readonly maxRetries: number;
  private readonly maxWaitMs: number;
  private retries = 0;
  private waited = 0;

  /** A number is the most retries; an object may also limit the total wait. */
  constructor(limits: number | RetryBudgetLimits) {
    const resolved = typeof limits === 'number' ? { maxRetries: limits } : limits;
    this.maxRetries = resolved.maxRetries ?? Number.POSITIVE_INFINITY;
    this.maxWaitMs = resolved.maxWaitMs ?? Number.POSITIVE_INFINITY;
  }

  /** Takes one retry and `delayMs` of waiting from the budget if both fit; otherwise takes nothing and returns false. */
  tryConsume(delayMs: number): boolean {
    const delay = Math.max(0, delayMs);
    if (this.retries + 1 > this.maxRetries || this.waited + delay > this.maxWaitMs) return false;
    this.retries += 1;
    this.waited += delay;
    return true;
  }

  get retriesUsed(): number {
    return this.retries;
  }

  get waitedMs(): number {
    return this.waited;
  }

  get remainingRetries(): number {
    return this.maxRetries - this.retries;
  }

  get remainingWaitMs(): number {
    return this.maxWaitMs - this.waited;
  }
}
