/**
 * The cache as a request stage (chat completions only).
 *
 * - `before` works out the request's settings, namespace and keys, looks up
 *   (exact first, then semantic), and on a hit answers: the stored completion,
 *   or its replay as chunks for a `stream: true` request. It sets
 *   `exchange.cacheStatus`, the `x-switchyard-cache*` headers, and on a hit the
 *   cost (free by default, with what it saved) and the usage (zero by default).
 * - `afterCompletion` and `wrapStream` capture a miss's complete answer (the
 *   stream is passed through unchanged while it is assembled).
 * - `finish`, off the client's path, stores what was captured, if the
 *   request succeeded; by then the cost of the answer is known.
 */
import type { Logger } from 'pino';
import type { ChatCompletion, Usage } from '../api/chat-schema.js';
import type { CacheStatus, CostRecord } from '../api/request-record.js';
import type { Exchange, Stage, StageAnswer, StreamObserver } from '../server/pipeline.js';
import { entryBytes, type CacheEntry } from './cache-entry.js';
import type { CacheEngine } from './cache-engine.js';
import type { CacheCounters } from './cache-stats.js';
import type { CacheConfig } from './config-schema.js';
import { namespaceOf } from './namespace.js';
import { requestKeys, routeIdentity, type RequestKeys, type RouteIdentity } from './request-key.js';
import { resolveRequestSettings, type RequestCacheSettings } from './request-settings.js';
import { StreamAssembler } from './stream-assembler.js';
import { replayStream } from './stream-replay.js';

export const cacheStatusHeader = 'x-switchyard-cache';
export const cacheSimilarityHeader = 'x-switchyard-cache-similarity';
export const cacheAgeHeader = 'x-switchyard-cache-age';

interface ExchangeCacheState {
  readonly settings: RequestCacheSettings;
  readonly namespace: string;
  readonly route: RouteIdentity;
  readonly keys: RequestKeys;
  status: CacheStatus;
  vector?: Float32Array;
  /** The complete answer to store once the exchange is over. */
  completion?: ChatCompletion;
}

export interface CacheStageOptions {
  readonly config: CacheConfig;
  readonly defaultThreshold: number;
  readonly engine: CacheEngine;
  readonly counters: CacheCounters;
  readonly clock: () => number;
  readonly logger: Logger;
  /** Writes in flight, so `flush()` and `stop()` can wait for them. */
  readonly track: (write: Promise<void>) => void;
}

const zeroUsage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/** Complete and successful: at least one choice, each with a finish reason other than a content filter. */
export function isStorable(completion: ChatCompletion): boolean {
  return completion.choices.length > 0 && completion.choices.every((choice) => choice.finish_reason !== null && choice.finish_reason !== 'content_filter');
}

export function createCacheStage(options: CacheStageOptions): Stage {
  const { config, engine, counters, clock, logger } = options;
  const states = new WeakMap<Exchange, ExchangeCacheState>();

  function mark(exchange: Exchange, status: CacheStatus): void {
    exchange.cacheStatus = status;
    if (!exchange.context.response.headersSent) exchange.context.response.setHeader(cacheStatusHeader, status);
  }

  function hitCost(entry: CacheEntry): CostRecord {
    if (config.accounting.charge_hits) return { usd: entry.costUsd, estimated: false, unpriced: entry.costUsd === undefined, savedUsd: 0 };
    return { usd: 0, estimated: false, unpriced: false, savedUsd: entry.costUsd };
  }

  function answer(exchange: Exchange, state: ExchangeCacheState, entry: CacheEntry, status: 'HIT' | 'SEMANTIC_HIT', similarity: number | undefined): StageAnswer {
    state.status = status;
    mark(exchange, status);
    const response = exchange.context.response;
    if (similarity !== undefined) response.setHeader(cacheSimilarityHeader, similarity.toFixed(4));
    response.setHeader(cacheAgeHeader, String(Math.max(0, Math.floor((clock() - entry.createdAt) / 1000))));
    exchange.cost = hitCost(entry);
    exchange.usage = config.accounting.count_hit_tokens ? (entry.usage ?? entry.completion.usage ?? zeroUsage) : { ...zeroUsage };
    counters[status === 'HIT' ? 'hits' : 'semanticHits'] += 1;
    if (!config.accounting.charge_hits && entry.costUsd !== undefined) counters.savedUsd += entry.costUsd;
    logger.debug({ requestId: exchange.context.id, namespace: state.namespace, status, similarity, savedUsd: exchange.cost.savedUsd }, 'cache hit');
    const completion = structuredClone(entry.completion);
    if (exchange.chat?.stream !== true) return { completion };
    exchange.completion = completion;
    return { chunks: replayStream(completion) };
  }

  async function lookup(exchange: Exchange, state: ExchangeCacheState): Promise<StageAnswer | undefined> {
    const exact = await engine.findExact(state.namespace, state.keys.exact);
    if (exact) return answer(exchange, state, exact, 'HIT', undefined);
    const semantic = state.keys.semantic;
    if (!semantic) return undefined;
    try {
      state.vector = await engine.embed(semantic.text);
    } catch (error) {
      counters.embedErrors += 1;
      logger.warn({ err: error, requestId: exchange.context.id }, 'cache: the embedding failed; the request is looked up exactly only');
      return undefined;
    }
    const similar = await engine.findSimilar(state.namespace, semantic.contextHash, state.vector, state.settings.threshold);
    return similar ? answer(exchange, state, similar.entry, 'SEMANTIC_HIT', similar.similarity) : undefined;
  }

  async function buildEntry(exchange: Exchange, state: ExchangeCacheState, completion: ChatCompletion): Promise<CacheEntry | undefined> {
    const semantic = state.keys.semantic;
    if (semantic && !state.vector) {
      try {
        state.vector = await engine.embed(semantic.text);
      } catch (error) {
        counters.embedErrors += 1;
        logger.warn({ err: error, requestId: exchange.context.id }, 'cache: the embedding failed; the answer is stored for exact matches only');
      }
    }
    const vector = semantic ? state.vector : undefined;
    const bytes = entryBytes(JSON.stringify(completion), vector);
    if (bytes > config.store.max_entry_bytes) {
      counters.notStoredTooLarge += 1;
      logger.warn({ requestId: exchange.context.id, bytes, limit: config.store.max_entry_bytes }, 'cache: the answer is over max_entry_bytes and was not stored');
      return undefined;
    }
    const now = clock();
    const cost = exchange.cost;
    return {
      namespace: state.namespace,
      key: state.keys.exact,
      route: state.route.label,
      createdAt: now,
      expiresAt: now + state.settings.ttlSeconds * 1000,
      completion,
      usage: completion.usage ?? exchange.usage,
      costUsd: cost && !cost.unpriced ? cost.usd : undefined,
      served: exchange.served ? { provider: exchange.served.provider, model: exchange.served.model } : undefined,
      semantic: semantic && vector ? { contextHash: semantic.contextHash, embedderId: engine.embedder.id, vector } : undefined,
      bytes,
    };
  }

  async function store(exchange: Exchange, state: ExchangeCacheState, completion: ChatCompletion): Promise<void> {
    try {
      const entry = await buildEntry(exchange, state, completion);
      if (!entry) return;
      await engine.save(entry);
      counters.stored += 1;
    } catch (error) {
      counters.storeErrors += 1;
      logger.warn({ err: error, requestId: exchange.context.id }, 'cache: an answer could not be stored');
    }
  }

  /** Assembles a miss's stream; only a stream that ended normally is kept. */
  function assemble(state: ExchangeCacheState): StreamObserver {
    const assembler = new StreamAssembler();
    return {
      chunk: (chunk) => assembler.add(chunk),
      end: () => {
        const completion = assembler.result();
        if (completion && isStorable(completion)) state.completion = completion;
      },
    };
  }

  const capturing = (state: ExchangeCacheState | undefined): state is ExchangeCacheState => state !== undefined && (state.status === 'MISS' || state.status === 'REFRESH');

  return {
    name: 'cache',

    async before(exchange) {
      if (exchange.kind !== 'chat' || !exchange.chat) return undefined;
      const headers = exchange.context.request.headers;
      const settings = resolveRequestSettings(config, options.defaultThreshold, exchange.route?.cache, headers);
      if (settings.mode === 'off' || settings.directive === 'no-store') {
        if (settings.mode !== 'off' || headers[cacheStatusHeader] !== undefined) {
          counters.bypasses += 1;
          mark(exchange, 'BYPASS');
        }
        return undefined;
      }
      const chat = exchange.chat;
      const route = routeIdentity(exchange.route, exchange.context.routeName, chat.model);
      const keys = requestKeys(chat, route, { embedderId: engine.embedder.id, maxTextChars: config.embeddings.max_text_chars, semantic: settings.mode === 'semantic' });
      const state: ExchangeCacheState = { settings, namespace: namespaceOf(exchange.principal, settings.namespaceBy, exchange.clientProviderKey), route, keys, status: 'MISS' };
      states.set(exchange, state);
      if (settings.directive === 'force-refresh') {
        state.status = 'REFRESH';
        counters.refreshes += 1;
        mark(exchange, 'REFRESH');
        return undefined;
      }
      try {
        const found = await lookup(exchange, state);
        if (found) return found;
      } catch (error) {
        counters.lookupErrors += 1;
        logger.warn({ err: error, requestId: exchange.context.id }, 'cache: the lookup failed; the request goes to the provider');
      }
      counters.misses += 1;
      mark(exchange, 'MISS');
      return undefined;
    },

    afterCompletion(exchange, completion) {
      const state = states.get(exchange);
      if (!capturing(state)) return completion;
      if (isStorable(completion)) state.completion = completion;
      else counters.notStoredIncomplete += 1;
      return completion;
    },

    observeStream(exchange) {
      const state = states.get(exchange);
      return capturing(state) ? assemble(state) : undefined;
    },

    finish(exchange) {
      const state = states.get(exchange);
      states.delete(exchange);
      if (!capturing(state)) return;
      if (exchange.status !== 200 || exchange.error !== undefined) {
        counters.notStoredFailed += 1;
        return;
      }
      if (!state.completion) {
        if (exchange.chat?.stream === true) counters.notStoredIncomplete += 1;
        return;
      }
      options.track(store(exchange, state, state.completion));
    },
  };
}
