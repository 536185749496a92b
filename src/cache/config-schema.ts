/**
 * The cache's settings, in zod: the module config (the gateway config's
 * `cache` key, every field defaulted so `{}` is valid) and the per-route or
 * per-request form, which also accepts Portkey's `{ mode, max_age }`.
 */
import { z } from 'zod';

export const cacheModeSchema = z.enum(['off', 'simple', 'semantic']);
export type CacheMode = z.infer<typeof cacheModeSchema>;

/** Whose entries a request shares: the virtual key's, or its team's. */
export const namespaceBySchema = z.enum(['key', 'team']);
export type NamespaceBy = z.infer<typeof namespaceBySchema>;

/** The threshold the offline embedder was calibrated at: no false hit on test/data/cache-pairs.jsonl. */
export const offlineDefaultThreshold = 0.85;
/** The default for a provider's embedding model, which the project could not calibrate: deliberately strict. */
export const providerDefaultThreshold = 0.95;

const thresholdSchema = z.number().gt(0).max(1);
const ttlSchema = z.number().int().positive().max(365 * 24 * 3600);

/** A route's (or a per-request config's) `cache`: a mode name, Switchyard's object, or Portkey's. */
export const routeCacheSchema = z.union([
  cacheModeSchema,
  z
    .strictObject({
      mode: cacheModeSchema,
      /** Seconds an entry lives. */
      ttl: ttlSchema.optional(),
      /** Portkey's name for ttl, in seconds. */
      max_age: ttlSchema.optional(),
      threshold: thresholdSchema.optional(),
      namespace: namespaceBySchema.optional(),
    })
    .refine((value) => value.ttl === undefined || value.max_age === undefined || value.ttl === value.max_age, {
      message: 'ttl and max_age are the same setting; give one',
      path: ['max_age'],
    }),
]);
export type RouteCacheInput = z.input<typeof routeCacheSchema>;

export const cacheStoreConfigSchema = z.strictObject({
  /** memory (default, per instance), sqlite (persistent, the gateway's SQLite file), redis (shared by instances). */
  type: z.enum(['memory', 'sqlite', 'redis']).default('memory'),
  /** The most entries kept (memory and sqlite; Redis is bounded by TTLs and its own maxmemory policy). */
  max_entries: z.number().int().positive().default(10_000),
  /** The most bytes of responses kept in memory. */
  max_bytes: z.number().int().positive().default(256 * 1024 * 1024),
  /** A larger response is not stored (and is counted). */
  max_entry_bytes: z.number().int().positive().default(1024 * 1024),
  /** Prefix of every Redis key and of the index channel. */
  redis_prefix: z.string().min(1).default('sy:cache'),
  /** How often expired entries are swept from memory and SQLite, in seconds. */
  sweep_interval_seconds: z.number().int().positive().default(60),
});

export const cacheEmbeddingsConfigSchema = z.strictObject({
  /** A model or route the gateway serves on /v1/embeddings (e.g. `text-embedding-3-small`); unset = the offline embedder. */
  model: z.string().min(1).optional(),
  /** The offline embedder's dimensions. */
  dimensions: z.number().int().min(64).max(4096).default(512),
  /** Embeddings kept in the embedding cache (LRU). */
  cache_entries: z.number().int().nonnegative().default(10_000),
  /** A final user turn longer than this is matched exactly only (never embedded, never truncated). */
  max_text_chars: z.number().int().positive().default(8000),
});

export const cacheAccountingConfigSchema = z.strictObject({
  /** Charge a hit to budgets at the original response's cost (default: free). */
  charge_hits: z.boolean().default(false),
  /** Count a hit's tokens in token limits and usage (default: zero usage). */
  count_hit_tokens: z.boolean().default(false),
});

export const cacheIndexConfigSchema = z.strictObject({
  bands: z.number().int().min(2).max(128).default(32),
  bits_per_band: z.number().int().min(4).max(20).default(10),
  max_candidates: z.number().int().positive().default(256),
  seed: z.number().int().default(0x5eed),
});

export const cacheConfigSchema = z.strictObject({
  /** The mode of every route that sets none; off unless enabled here, per route or per request. */
  mode: cacheModeSchema.default('off'),
  /** Seconds an entry lives. */
  ttl: ttlSchema.default(3600),
  /** Semantic threshold (cosine); by default 0.85 with the offline embedder, 0.95 with a provider model. */
  threshold: thresholdSchema.optional(),
  namespace: namespaceBySchema.default('key'),
  store: cacheStoreConfigSchema.default(cacheStoreConfigSchema.parse({})),
  embeddings: cacheEmbeddingsConfigSchema.default(cacheEmbeddingsConfigSchema.parse({})),
  accounting: cacheAccountingConfigSchema.default(cacheAccountingConfigSchema.parse({})),
  index: cacheIndexConfigSchema.default(cacheIndexConfigSchema.parse({})),
});
export type CacheConfigInput = z.input<typeof cacheConfigSchema>;
export type CacheConfig = z.output<typeof cacheConfigSchema>;
