/** Per-gateway state shared by every handler, and the per-request context. */
import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayConfig } from '../routing/config-schema.js';
import type { RouteDependencies } from '../routing/execute-route.js';
import type { ModelResolver } from '../routing/resolve-model.js';
import type { RouteRun } from '../routing/route-types.js';
import type { ImageInliner } from './inline-images.js';
import type { Logger } from 'pino';
import type { Exchange, Stage } from './pipeline.js';
import type { UpstreamClient } from './upstream.js';
import { AbortEmitter } from './abort-emitter.js';

export interface GatewayState {
  readonly config: GatewayConfig;
  readonly resolver: ModelResolver;
  readonly upstream: UpstreamClient;
  readonly images: ImageInliner;
  readonly env: NodeJS.ProcessEnv;
  readonly routeDependencies: RouteDependencies;
  /** The request stages, in order (governance, guardrails, cache, telemetry). */
  readonly stages: Stage[];
  readonly logger: Logger;
  /** Headers for each upstream attempt (W3C traceparent), when tracing is on. */
  readonly traceHeaders?: (exchange: Exchange) => Record<string, string>;
}

export interface RequestContext {
  readonly id: string;
  readonly startedAt: number;
  /** Date.now() when the request arrived. */
  readonly startedAtEpoch: number;
  /** Aborted when the client disconnects before the response is complete (`toSignal()` where an AbortSignal is needed). */
  readonly abort: AbortEmitter;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** The route's attempts, for the request log. */
  route?: RouteRun;
  /** The config route's name, when the request used one. */
  routeName?: string;
  metadata?: Record<string, string>;
}

const requestIdPattern = /^[\w.:-]{1,128}$/;

/** Random bytes for ids, drawn from the OS a pool at a time. */
const randomPool = new Uint8Array(4096);
let randomOffset = randomPool.length;

function sixteenRandomBytes(): Uint8Array {
  if (randomOffset + 16 > randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  randomOffset += 16;
  return randomPool.subarray(randomOffset - 16, randomOffset);
}

/** The last id's millisecond and counter, so ids made in the same millisecond still sort in order. */
const v7State = { msecs: -Infinity, seq: 0 };

/**
 * A new request id: a UUIDv7, so ids the gateway makes sort by time. The logs index
 * request ids; time-ordered ids land at the index's end instead of on a random page
 * per insert (measured in SQLite: ~6 KB of WAL per full-body record, flat, against
 * 10 KB and growing with the table for random UUIDv4s).
 *
 * `uuid` lays the id out; its own stateful path is not used because it draws each
 * id's 16 random bytes with a `getRandomValues` call of their own, a system call that
 * measured ~4.6 µs here when idle and ~20 µs a request in a gateway under load. The
 * bytes come from a pool instead, and the counter is kept here the way `uuid` keeps
 * it: a new millisecond starts from random bits, the same one counts up.
 */
export function newRequestId(): string {
  const random = sixteenRandomBytes();
  const now = Date.now();
  if (now > v7State.msecs) {
    v7State.msecs = now;
    v7State.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    v7State.seq = (v7State.seq + 1) | 0;
    if (v7State.seq === 0) v7State.msecs += 1;
  }
  return uuidv7({ random, msecs: v7State.msecs, seq: v7State.seq });
}

export function createRequestContext(request: IncomingMessage, response: ServerResponse): RequestContext {
  const inbound = request.headers['x-request-id'];
  const id = typeof inbound === 'string' && requestIdPattern.test(inbound) ? inbound : newRequestId();
  const abort = new AbortEmitter();
  response.on('close', () => {
    if (!response.writableFinished) abort.abort(new Error('client disconnected'));
  });
  response.setHeader('x-request-id', id);
  return { id, startedAt: performance.now(), startedAtEpoch: Date.now(), abort, request, response };
}
