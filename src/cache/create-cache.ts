/**
 * Builds the cache from its config and the handles the gateway gives it:
 * the store (memory by default, SQLite or Redis), the embedder (offline, or
 * a provider model through the injected `embed`), the semantic index (filled
 * from the store at start, and kept in step across instances through Redis),
 * the stage, the admin routes, and `stop()`.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AdminRoute } from '../admin/router.js';
import type { Stage } from '../server/pipeline.js';
import type { SqliteDatabase } from '../storage/sqlite.js';
import { cacheAdminRoutes } from './admin-routes.js';
import { CacheEngine } from './cache-engine.js';
import { createCacheStage } from './cache-stage.js';
import { createCounters, type CacheCounters } from './cache-stats.js';
import { cacheConfigSchema, offlineDefaultThreshold, providerDefaultThreshold, type CacheConfig, type CacheConfigInput } from './config-schema.js';
import { createCachedEmbedder } from './embeddings/cached-embedder.js';
import type { EmbedFunction, Embedder } from './embeddings/embedder.js';
import { createOfflineEmbedder } from './embeddings/offline-embedder.js';
import { createProviderEmbedder } from './embeddings/provider-embedder.js';
import { SemanticIndex } from './index/semantic-index.js';
import type { CacheStore, EntryRef } from './stores/cache-store.js';
import { MemoryStore } from './stores/memory-store.js';
import { RedisIndexSync } from './stores/redis-index-sync.js';
import { RedisStore } from './stores/redis-store.js';
import { SqliteStore } from './stores/sqlite-store.js';

export interface CreateCacheOptions {
  /** The gateway config's `cache` key (validated here; `{}` is valid). */
  readonly config?: CacheConfigInput;
  /** The gateway's SQLite database; required by `store.type: sqlite`. */
  readonly sqlite?: SqliteDatabase;
  /** Required by `store.type: redis`. */
  readonly redisUrl?: string;
  /** The gateway's own embeddings routing; required when `embeddings.model` is set. */
  readonly embed?: EmbedFunction;
  readonly logger: Logger;
  /** Epoch ms; Date.now by default. */
  readonly clock?: () => number;
}

export interface Cache {
  readonly stage: Stage;
  readonly adminRoutes: AdminRoute[];
  readonly config: CacheConfig;
  /** The live counters (also served by GET /admin/cache/stats). */
  readonly counters: Readonly<CacheCounters>;
  readonly engine: CacheEngine;
  /** Resolves once every store write started so far is done. */
  flush(): Promise<void>;
  /** Waits for pending writes, stops the timers and closes the Redis connections. */
  stop(): Promise<void>;
}

function buildEmbedder(config: CacheConfig, embed: EmbedFunction | undefined): Embedder {
  const model = config.embeddings.model;
  if (model === undefined) return createOfflineEmbedder({ dimensions: config.embeddings.dimensions });
  if (!embed) throw new Error(`cache.embeddings.model is ${model}, but the cache was given no embed function`);
  return createProviderEmbedder(embed, model);
}

export async function createCache(options: CreateCacheOptions): Promise<Cache> {
  const config = cacheConfigSchema.parse(options.config ?? {});
  const clock = options.clock ?? Date.now;
  const logger = options.logger;
  const counters = createCounters();
  const embedder = createCachedEmbedder(buildEmbedder(config, options.embed), config.embeddings.cache_entries);
  const defaultThreshold = config.threshold ?? (config.embeddings.model === undefined ? offlineDefaultThreshold : providerDefaultThreshold);
  const index = new SemanticIndex({ bands: config.index.bands, bitsPerBand: config.index.bits_per_band, maxCandidates: config.index.max_candidates, seed: config.index.seed });
  let engine: CacheEngine | undefined;
  const onRemoved = (removed: readonly EntryRef[]): void => engine?.forget(removed);
  const reportRedis = (error: Error, operation: string): void => {
    counters.syncErrors += 1;
    logger.warn({ err: error, operation }, 'cache: Redis error');
  };

  let store: CacheStore;
  let sync: RedisIndexSync | undefined;
  if (config.store.type === 'sqlite') {
    if (!options.sqlite) throw new Error('cache.store.type is sqlite, but the cache was given no SQLite database');
    store = new SqliteStore({ database: options.sqlite, maxEntries: config.store.max_entries, clock, onRemoved });
  } else if (config.store.type === 'redis') {
    if (!options.redisUrl) throw new Error('cache.store.type is redis, but the cache was given no Redis URL');
    const redis = new RedisStore({ url: options.redisUrl, prefix: config.store.redis_prefix, clock, onError: reportRedis });
    await redis.connect();
    store = redis;
    sync = new RedisIndexSync(redis.client, config.store.redis_prefix, randomUUID(), {
      added: (record) => engine?.learn(record),
      removed: (refs) => engine?.forget(refs),
      resync: async () => {
        await engine?.warm();
      },
      error: reportRedis,
    });
  } else {
    store = new MemoryStore({ maxEntries: config.store.max_entries, maxBytes: config.store.max_bytes, clock, onRemoved });
  }

  const ready = new CacheEngine({ store, index, embedder, counters, clock, logger });
  engine = ready;
  if (sync) {
    ready.attachSync(sync);
    await sync.start();
  }
  const warmed = await ready.warm();
  logger.debug({ store: store.kind, embedder: embedder.id, indexed: warmed }, 'cache ready');

  const writes = new Set<Promise<void>>();
  const track = (write: Promise<void>): void => {
    writes.add(write);
    void write.finally(() => writes.delete(write));
  };
  const flush = async (): Promise<void> => {
    while (writes.size > 0) await Promise.all([...writes]);
  };

  const sweeper =
    store.kind === 'redis'
      ? undefined
      : setInterval(() => {
          ready.sweep().catch((error: unknown) => logger.warn({ err: error }, 'cache: the expiry sweep failed'));
        }, config.store.sweep_interval_seconds * 1000);
  sweeper?.unref();

  return {
    stage: createCacheStage({ config, defaultThreshold, engine: ready, counters, clock, logger, track }),
    adminRoutes: cacheAdminRoutes(ready, counters, clock),
    config,
    counters,
    engine: ready,
    flush,
    async stop() {
      if (sweeper) clearInterval(sweeper);
      await flush();
      await sync?.stop();
      await store.close();
    },
  };
}
