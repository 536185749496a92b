/**
 * Embedding calls are cached: an LRU of text → vector in front of any
 * embedder, so a repeated question costs no provider call. Identical texts
 * asked for at the same time share one call.
 */
import { LRUCache } from 'lru-cache';
import type { Embedder } from './embedder.js';

export interface EmbeddingCacheStats {
  hits: number;
  misses: number;
  /** Calls made to the embedder behind the cache. */
  calls: number;
}

export interface CachedEmbedder extends Embedder {
  readonly stats: Readonly<EmbeddingCacheStats>;
}

export function createCachedEmbedder(inner: Embedder, maxEntries: number): CachedEmbedder {
  const vectors = maxEntries > 0 ? new LRUCache<string, Float32Array>({ max: maxEntries }) : undefined;
  const pending = new Map<string, Promise<Float32Array>>();
  const stats: EmbeddingCacheStats = { hits: 0, misses: 0, calls: 0 };

  function start(missing: string[]): void {
    stats.calls += 1;
    const call = inner.embed(missing);
    missing.forEach((text, index) => {
      const vector = call.then((found) => found[index] ?? Promise.reject(new Error('the embedder returned too few vectors')));
      vector.catch(() => undefined); // the caller sees the rejection through Promise.all below
      pending.set(text, vector);
    });
    call
      .then(
        (found) => missing.forEach((text, index) => found[index] && vectors?.set(text, found[index])),
        () => undefined,
      )
      .finally(() => missing.forEach((text) => pending.delete(text)));
  }

  return {
    id: inner.id,
    stats,
    embed(texts) {
      const missing: string[] = [];
      for (const text of texts) {
        if (vectors?.has(text) || pending.has(text) || missing.includes(text)) stats.hits += 1;
        else {
          stats.misses += 1;
          missing.push(text);
        }
      }
      if (missing.length > 0) start(missing);
      return Promise.all(texts.map((text) => vectors?.get(text) ?? pending.get(text)!));
    },
  };
}
