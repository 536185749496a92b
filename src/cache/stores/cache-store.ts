/**
 * What every store (memory, SQLite, Redis) offers the cache. Stores check
 * expiry against the injected clock; entries they drop on their own
 * (eviction, expiry sweeps) are reported through `onRemoved`, so the
 * semantic index forgets them.
 */
import type { CacheEntry } from '../cache-entry.js';

/** What the semantic index holds of an entry. */
export interface SemanticRecord {
  readonly namespace: string;
  readonly key: string;
  readonly contextHash: string;
  readonly vector: Float32Array;
  readonly expiresAt: number;
}

export function semanticRecordOf(entry: CacheEntry): SemanticRecord | undefined {
  if (!entry.semantic) return undefined;
  return { namespace: entry.namespace, key: entry.key, contextHash: entry.semantic.contextHash, vector: entry.semantic.vector, expiresAt: entry.expiresAt };
}

export interface PurgeFilter {
  readonly namespace?: string;
  readonly route?: string;
  /** Entries created before this epoch ms. */
  readonly createdBefore?: number;
}

export interface EntryRef {
  readonly namespace: string;
  readonly key: string;
}

export interface StoreSize {
  readonly entries: number;
  readonly bytes: number;
}

export interface CacheStore {
  readonly kind: 'memory' | 'sqlite' | 'redis';
  get(namespace: string, key: string): Promise<CacheEntry | undefined>;
  set(entry: CacheEntry): Promise<void>;
  delete(namespace: string, key: string): Promise<boolean>;
  /** Removes every entry matching all the filter's fields; returns them. */
  purge(filter: PurgeFilter): Promise<EntryRef[]>;
  /** Every live semantic entry's index record, for filling the index at start. */
  semanticRecords(): AsyncIterable<SemanticRecord>;
  size(): Promise<StoreSize>;
  /** Removes expired entries now (memory and SQLite also do it on a timer). */
  sweep(): Promise<EntryRef[]>;
  close(): Promise<void>;
}

export type RemovedListener = (removed: readonly EntryRef[]) => void;

export function matchesFilter(entry: { namespace: string; route: string; createdAt: number }, filter: PurgeFilter): boolean {
  if (filter.namespace !== undefined && entry.namespace !== filter.namespace) return false;
  if (filter.route !== undefined && entry.route !== filter.route) return false;
  if (filter.createdBefore !== undefined && entry.createdAt >= filter.createdBefore) return false;
  return true;
}
