/**
 * The response cache: exact and semantic, per route or per request, isolated
 * per key or team, on memory, SQLite or Redis. What the gateway wires in.
 */
export { cacheConfigSchema, routeCacheSchema, offlineDefaultThreshold, providerDefaultThreshold, type CacheConfig, type CacheConfigInput, type CacheMode } from './config-schema.js';
export { createCache, type Cache, type CreateCacheOptions } from './create-cache.js';
export { cacheStatusHeader, cacheSimilarityHeader, cacheAgeHeader } from './cache-stage.js';
export type { EmbedFunction, Embedder } from './embeddings/embedder.js';
export { createOfflineEmbedder } from './embeddings/offline-embedder.js';
export type { CacheCounters } from './cache-stats.js';
export { benchmarkSemanticLookup, type SemanticLookupBenchmark } from './benchmark.js';
