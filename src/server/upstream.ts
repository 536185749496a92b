/**
 * Upstream transport: one undici Agent (a pool per origin) and `request()`,
 * with connect, first-byte, idle and total time-outs, and client aborts.
 * undici's errors are turned into GatewayErrors here and nowhere else.
 */
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { isIP } from 'node:net';
import { GatewayError } from '../api/errors.js';
import { AbortEmitter } from './abort-emitter.js';
import { guardedLookup, isPublicAddress } from './ssrf-guard.js';
import type { Readable } from 'node:stream';

export interface Timeouts {
  connectMs: number;
  firstByteMs: number;
  totalMs: number;
  streamIdleMs: number;
}

export interface OutgoingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer | Readable;
}

export interface SendOptions {
  /** The host came from a client (a custom host): only public addresses may be reached. */
  readonly guarded?: boolean;
  /** Per-target overrides of the time-outs. */
  readonly timeouts?: Partial<Omit<Timeouts, 'connectMs'>>;
  /** Headers added to the request (trace context). */
  readonly headers?: Record<string, string>;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

interface ParsedUrl {
  readonly origin: string;
  readonly path: string;
  readonly hostname: string;
  readonly host: string;
}

/** Upstream URLs repeat (a provider's base and path, per model at most): parsed once each, ~2 µs a request saved. */
const parsedUrls = new Map<string, ParsedUrl>();
const parsedUrlsKept = 512;

/** `new URL(text)`'s parts that a request needs; throws what `new URL` throws. */
export function parsedUrl(text: string): ParsedUrl {
  const known = parsedUrls.get(text);
  if (known) return known;
  const url = new URL(text);
  const parsed = { origin: url.origin, path: url.pathname + url.search, hostname: url.hostname, host: url.host };
  // Custom hosts come from clients: the cache is bounded, and simply starts again when full.
  if (parsedUrls.size >= parsedUrlsKept) parsedUrls.clear();
  parsedUrls.set(text, parsed);
  return parsed;
}

export class UpstreamClient {
  private readonly agent: Agent;
  private readonly guardedAgent: Agent;

  constructor(
    private readonly timeouts: Timeouts,
    private readonly allowPrivateCustomHosts = false,
  ) {
    const options = { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 };
    this.agent = new Agent({ ...options, connect: { timeout: timeouts.connectMs } });
    this.guardedAgent = new Agent({ ...options, connect: { timeout: timeouts.connectMs, lookup: guardedLookup(allowPrivateCustomHosts) } });
  }

  /**
   * The total time-out covers the whole exchange, body included: its timer is cleared when the
   * response body closes. (AbortSignal.any and AbortSignal.timeout cost ~35 µs a request on Node 20,
   * so one signal and one timer are used instead.) Both the client's signal and the attempt's own
   * are `AbortEmitter`s, not AbortControllers (`abort-emitter.ts`).
   */
  async send(request: OutgoingRequest, provider: string, signal: AbortEmitter, options: SendOptions = {}): Promise<UpstreamResponse> {
    const url = parsedUrl(request.url);
    if (options.guarded && !this.allowPrivateCustomHosts) {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) && !isPublicAddress(host)) throw new GatewayError('custom_host_forbidden', { provider, message: `The custom host ${url.host} is a non-public address; set routing.allow_private_custom_hosts to allow it.` });
    }
    const totalMs = options.timeouts?.totalMs ?? this.timeouts.totalMs;
    const controller = new AbortEmitter();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('The total time-out passed.', 'TimeoutError'));
    }, totalMs);
    const onClientAbort = (): void => controller.abort(signal.reason);
    if (signal.aborted) onClientAbort();
    else signal.once('abort', onClientAbort);
    const release = (): void => {
      clearTimeout(timer);
      signal.removeListener('abort', onClientAbort);
    };
    try {
      const dispatcher = options.guarded ? this.guardedAgent : this.agent;
      const response = await dispatcher.request({
        origin: url.origin,
        path: url.path,
        method: request.method as Dispatcher.HttpMethod,
        headers: options.headers ? { ...request.headers, ...options.headers } : request.headers,
        body: request.body,
        signal: controller,
        headersTimeout: options.timeouts?.firstByteMs ?? this.timeouts.firstByteMs,
        bodyTimeout: options.timeouts?.streamIdleMs ?? this.timeouts.streamIdleMs,
      });
      response.body.once('close', release);
      return { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      release();
      throw toUpstreamError(error, provider, timedOut);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.agent.close(), this.guardedAgent.close()]);
  }
}

/** Classifies a transport failure: time-outs → 504, everything else → 502. */
export function toUpstreamError(error: unknown, provider: string, totalTimedOut = false): GatewayError {
  if (error instanceof GatewayError) return error;
  if ((error as { code?: string }).code === 'EFORBIDDENADDRESS') {
    return new GatewayError('custom_host_forbidden', { provider, cause: error, message: `${(error as Error).message}; set routing.allow_private_custom_hosts to allow it.` });
  }
  if (
    totalTimedOut ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError ||
    (error instanceof Error && error.name === 'TimeoutError')
  ) {
    return new GatewayError('upstream_timeout', { provider, cause: error, message: `The provider did not answer in time (${describe(error)}).` });
  }
  return new GatewayError('upstream_unreachable', { provider, cause: error, message: `The provider could not be reached: ${describe(error)}.` });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
