/**
 * The cache's store-and-index logic, free of HTTP: exact lookups, semantic
 * lookups (index candidates, each re-checked against the stored entry:
 * namespace, context hash, embedder, expiry and the cosine of the stored
 * vector), saving, purging, and keeping the index in step with the store and
 * with the other instances.
 */
import type { Logger } from 'pino';
import type { CacheEntry } from './cache-entry.js';
import type { CacheCounters } from './cache-stats.js';
import type { CachedEmbedder } from './embeddings/cached-embedder.js';
import type { SemanticIndex } from './index/semantic-index.js';
import { cosine } from './index/vector-math.js';
import { semanticRecordOf, type CacheStore, type EntryRef, type PurgeFilter, type SemanticRecord } from './stores/cache-store.js';
import type { RedisIndexSync } from './stores/redis-index-sync.js';

export interface CacheEngineOptions {
  readonly store: CacheStore;
  readonly index: SemanticIndex;
  readonly embedder: CachedEmbedder;
  readonly counters: CacheCounters;
  readonly clock: () => number;
  readonly logger: Logger;
  /** How many index candidates a semantic lookup re-checks. */
  readonly candidates?: number;
}

export interface SimilarEntry {
  readonly entry: CacheEntry;
  readonly similarity: number;
}

export class CacheEngine {
  readonly store: CacheStore;
  readonly index: SemanticIndex;
  readonly embedder: CachedEmbedder;
  private sync: RedisIndexSync | undefined;

  constructor(private readonly options: CacheEngineOptions) {
    this.store = options.store;
    this.index = options.index;
    this.embedder = options.embedder;
  }

  attachSync(sync: RedisIndexSync): void {
    this.sync = sync;
  }

  findExact(namespace: string, key: string): Promise<CacheEntry | undefined> {
    return this.store.get(namespace, key);
  }

  async embed(text: string): Promise<Float32Array> {
    const [vector] = await this.embedder.embed([text]);
    return vector!;
  }

  async findSimilar(namespace: string, contextHash: string, vector: Float32Array, threshold: number): Promise<SimilarEntry | undefined> {
    const candidates = this.index.search({ namespace, contextHash, vector }, this.options.candidates ?? 4, threshold, this.options.clock());
    for (const candidate of candidates) {
      const entry = await this.store.get(namespace, candidate.key);
      if (!entry?.semantic) {
        this.index.remove(namespace, candidate.key);
        continue;
      }
      if (entry.namespace !== namespace || entry.semantic.contextHash !== contextHash || entry.semantic.embedderId !== this.embedder.id) continue;
      const similarity = cosine(entry.semantic.vector, vector);
      if (similarity >= threshold) return { entry, similarity };
    }
    return undefined;
  }

  async save(entry: CacheEntry): Promise<void> {
    await this.store.set(entry);
    const record = semanticRecordOf(entry);
    if (record) {
      this.index.add(record);
      await this.publish(() => this.sync?.publishAdded(record));
    } else if (this.index.remove(entry.namespace, entry.key)) {
      await this.publish(() => this.sync?.publishRemoved([{ namespace: entry.namespace, key: entry.key }]));
    }
  }

  async purge(filter: PurgeFilter): Promise<number> {
    const removed = await this.store.purge(filter);
    this.forget(removed);
    await this.publish(() => this.sync?.publishRemoved(removed));
    return removed.length;
  }

  async sweep(): Promise<number> {
    const removed = await this.store.sweep();
    this.forget(removed);
    return removed.length;
  }

  /** Entries the store dropped on its own (evictions, expiry). */
  forget(removed: readonly EntryRef[]): void {
    for (const ref of removed) this.index.remove(ref.namespace, ref.key);
  }

  /** Another instance's entry. */
  learn(record: SemanticRecord): void {
    if (record.expiresAt > this.options.clock()) this.index.add(record);
  }

  /** Fills the index from the store (at start, and after a Redis reconnection). */
  async warm(): Promise<number> {
    this.index.clear();
    let count = 0;
    for await (const record of this.store.semanticRecords()) {
      this.index.add(record);
      count += 1;
    }
    return count;
  }

  private async publish(send: () => Promise<void> | undefined): Promise<void> {
    try {
      await send();
    } catch (error) {
      this.options.counters.syncErrors += 1;
      this.options.logger.warn({ err: error }, 'cache: could not tell the other instances about an index change');
    }
  }
}
