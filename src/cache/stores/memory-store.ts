/**
 * The default store: an in-process LRU (lru-cache), bounded both by entries
 * and by bytes. Expiry is checked against the injected clock on every read,
 * and swept on a timer; evictions are reported so the index forgets them.
 */
import { LRUCache } from 'lru-cache';
import type { CacheEntry } from '../cache-entry.js';
import { matchesFilter, semanticRecordOf, type CacheStore, type SemanticRecord, type EntryRef, type PurgeFilter, type RemovedListener, type StoreSize } from './cache-store.js';

export interface MemoryStoreOptions {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly clock: () => number;
  readonly onRemoved: RemovedListener;
}

const idOf = (namespace: string, key: string): string => `${namespace}\u0000${key}`;

export class MemoryStore implements CacheStore {
  readonly kind = 'memory';
  private readonly entries: LRUCache<string, CacheEntry>;
  private evictions = 0;

  constructor(private readonly options: MemoryStoreOptions) {
    this.entries = new LRUCache<string, CacheEntry>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: (entry) => Math.max(1, entry.bytes),
      dispose: (entry, _id, reason) => {
        if (reason !== 'evict') return;
        this.evictions += 1;
        options.onRemoved([{ namespace: entry.namespace, key: entry.key }]);
      },
    });
  }

  /** Entries dropped to stay within the bounds. */
  get evicted(): number {
    return this.evictions;
  }

  get(namespace: string, key: string): Promise<CacheEntry | undefined> {
    const id = idOf(namespace, key);
    const entry = this.entries.get(id);
    if (entry && entry.expiresAt <= this.options.clock()) {
      this.entries.delete(id);
      this.options.onRemoved([{ namespace, key }]);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(entry);
  }

  set(entry: CacheEntry): Promise<void> {
    this.entries.set(idOf(entry.namespace, entry.key), { ...entry, completion: structuredClone(entry.completion) });
    return Promise.resolve();
  }

  delete(namespace: string, key: string): Promise<boolean> {
    return Promise.resolve(this.entries.delete(idOf(namespace, key)));
  }

  purge(filter: PurgeFilter): Promise<EntryRef[]> {
    return Promise.resolve(this.removeWhere((entry) => matchesFilter(entry, filter)));
  }

  sweep(): Promise<EntryRef[]> {
    const now = this.options.clock();
    return Promise.resolve(this.removeWhere((entry) => entry.expiresAt <= now));
  }

  async *semanticRecords(): AsyncIterable<SemanticRecord> {
    const now = this.options.clock();
    for (const entry of this.entries.values()) {
      const record = semanticRecordOf(entry);
      if (record && entry.expiresAt > now) yield record;
    }
  }

  size(): Promise<StoreSize> {
    return Promise.resolve({ entries: this.entries.size, bytes: this.entries.calculatedSize });
  }

  close(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }

  private removeWhere(predicate: (entry: CacheEntry) => boolean): EntryRef[] {
    const removed: EntryRef[] = [];
    for (const [id, entry] of this.entries.entries()) {
      if (!predicate(entry)) continue;
      this.entries.delete(id);
      removed.push({ namespace: entry.namespace, key: entry.key });
    }
    return removed;
  }
}
