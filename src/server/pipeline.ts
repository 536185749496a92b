/**
 * The stages a request passes through, in the gateway's order: governance
 * (keys, limits, budgets), guardrails, cache, and telemetry last. A stage is
 * a small object of optional hooks, built by a factory, like a middleware.
 * The core runs the hooks; it knows nothing of what a stage does.
 */
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, EmbeddingRequest, Usage } from '../api/chat-schema.js';
import type { GatewayError } from '../api/errors.js';
import type { CacheStatus, CostRecord, GuardrailVerdict, Principal } from '../api/request-record.js';
import type { RouteNode } from '../routing/route-schema.js';
import type { RoutePlan } from './route-request.js';
import type { GatewayState, RequestContext } from './context.js';

export type ExchangeKind = 'chat' | 'embeddings' | 'models' | 'passthrough';

/** A provider and model a route may send the request to (for worst-case budget reservations and prices). */
export interface Candidate {
  readonly provider: string;
  readonly model: string;
}

/** Everything a stage may read or fill in about one request. */
export interface Exchange {
  readonly kind: ExchangeKind;
  readonly context: RequestContext;
  readonly state: GatewayState;
  /** The parsed body (chat or embeddings); stages may replace it (e.g. redaction). */
  chat?: ChatRequest;
  embeddings?: EmbeddingRequest;
  /** The targets the route may use, known before the call. */
  candidates: readonly Candidate[];
  /** The root of the chosen route (config or per-request), whose `cache` and `*_guardrails` settings stages read. */
  route?: RouteNode;
  /** The core's route plan (see route-request.ts). */
  plan?: RoutePlan;
  principal?: Principal;
  /** The bearer token when it is a provider key (zero-config), not a virtual key. */
  clientProviderKey?: string;
  /**
   * Provider API keys from a virtual key's stored credentials, by provider name. When a
   * target's provider is listed here, its key is used, never the client's bearer token.
   */
  providerKeys?: Readonly<Record<string, string>>;
  /** Where a bare model name goes when the config does not say: the inbound API's own provider (`anthropic` for /v1/messages). */
  preferredProvider?: string;
  /** A virtual key's default route and saved config, for a request that names neither. */
  keyDefaults?: { readonly route?: string; readonly config?: string };
  /** Filled by the core once known. */
  served?: Candidate;
  usage?: Usage;
  /** Usage was counted by the gateway (no provider figure). */
  usageEstimated?: boolean;
  cost?: CostRecord;
  cacheStatus?: CacheStatus;
  readonly guardrails: GuardrailVerdict[];
  /** performance.now() when the first token reached the client. */
  firstTokenAt?: number;
  /** The final HTTP status and error, set before `finish` runs. */
  status?: number;
  error?: GatewayError;
  /** The answer sent (non-streamed), or assembled from the stream, for logs. */
  completion?: ChatCompletion;
  /** The JSON text (and its bytes) sent for a non-streamed `completion`, so the log need not serialize or encode it again. */
  completionText?: { readonly of: ChatCompletion; readonly text: string; readonly bytes: Buffer };
}

/**
 * A stage's view of a stream: called synchronously as each chunk goes out. An observer
 * sees what the stages before it in order produced (e.g. what the provider sent, if no
 * stage before it changes chunks), and must not change a chunk or keep it to read later.
 */
export interface StreamObserver {
  chunk(chunk: ChatCompletionChunk): void;
  /** The provider's stream ended normally; runs before the end of the response is written. */
  end?(): void;
  /** The stream is over, however it ended (after `end`, a failure, or the client leaving). */
  close?(): void;
}

/** A stage's answer to a request, short-circuiting the route (a cache hit). */
export type StageAnswer = { readonly completion: ChatCompletion } | { readonly chunks: AsyncIterable<ChatCompletionChunk> };

export interface Stage {
  readonly name: string;
  /** Before routing. May replace the body, throw a GatewayError (401, 429, 446...), or answer the request. */
  before?(exchange: Exchange): Promise<StageAnswer | void> | StageAnswer | void;
  /** Inside each attempt, on a complete non-streamed answer: throw a retryable GatewayError to fall back to the next target. */
  checkCompletion?(exchange: Exchange, completion: ChatCompletion): Promise<void> | void;
  /** On the final non-streamed answer before it is sent; may rewrite it. */
  afterCompletion?(exchange: Exchange, completion: ChatCompletion): Promise<ChatCompletion> | ChatCompletion;
  /** Wraps the chunks on their way to the client, to change them; returns `chunks` itself when it has nothing to do. */
  wrapStream?(exchange: Exchange, chunks: AsyncIterable<ChatCompletionChunk>): AsyncIterable<ChatCompletionChunk>;
  /** Watches the chunks without changing them (cheaper than wrapStream: no async step per chunk). */
  observeStream?(exchange: Exchange): StreamObserver | undefined;
  /** Once the exchange is over, success or failure, in stage order. Must not throw. */
  finish?(exchange: Exchange): Promise<void> | void;
}

export async function runBefore(stages: readonly Stage[], exchange: Exchange): Promise<StageAnswer | undefined> {
  for (const stage of stages) {
    const answer = await stage.before?.(exchange);
    if (answer) return answer;
  }
  return undefined;
}

export async function runCheckCompletion(stages: readonly Stage[], exchange: Exchange, completion: ChatCompletion): Promise<void> {
  for (const stage of stages) await stage.checkCompletion?.(exchange, completion);
}

export async function runAfterCompletion(stages: readonly Stage[], exchange: Exchange, completion: ChatCompletion): Promise<ChatCompletion> {
  let current = completion;
  for (const stage of stages) if (stage.afterCompletion) current = await stage.afterCompletion(exchange, current);
  return current;
}

export interface StagedStream {
  readonly chunks: AsyncIterable<ChatCompletionChunk>;
  /** Observers the stream writer calls as it writes each chunk. */
  readonly observers: readonly StreamObserver[];
  /** No stage changed the stream, so chunks are exactly what the provider mapping made. */
  readonly unchanged: boolean;
}

/**
 * Applies the stages to a stream in order. Observers after the last stage that changes
 * chunks (all of them, usually) run inside the stream writer's loop; observers before a
 * changing stage get one pass of their own in front of it, so each still sees the
 * chunks at its place in the order.
 */
export function stageStream(stages: readonly Stage[], exchange: Exchange, chunks: AsyncIterable<ChatCompletionChunk>): StagedStream {
  let current = chunks;
  let observers: StreamObserver[] = [];
  for (const stage of stages) {
    if (stage.wrapStream) {
      // An async generator does nothing until it is iterated, so an unused `source` costs nothing.
      const source = observers.length > 0 ? observed(current, observers) : current;
      const wrapped = stage.wrapStream(exchange, source);
      if (wrapped !== source) {
        current = wrapped;
        observers = [];
      }
    }
    const observer = stage.observeStream?.(exchange);
    if (observer) observers.push(observer);
  }
  return { chunks: current, observers, unchanged: current === chunks };
}

/** The chunks, each shown to `observers` first (with `end` and `close` as the writer calls them). */
async function* observed(chunks: AsyncIterable<ChatCompletionChunk>, observers: readonly StreamObserver[]): AsyncIterable<ChatCompletionChunk> {
  try {
    for await (const chunk of chunks) {
      for (const observer of observers) observer.chunk(chunk);
      yield chunk;
    }
    for (const observer of observers) observer.end?.();
  } finally {
    for (const observer of observers) observer.close?.();
  }
}

/** Runs every `finish` hook; a hook that throws is reported, never allowed to break the others. */
export async function runFinish(stages: readonly Stage[], exchange: Exchange, report: (stage: string, error: unknown) => void): Promise<void> {
  for (const stage of stages) {
    try {
      await stage.finish?.(exchange);
    } catch (error) {
      report(stage.name, error);
    }
  }
}
