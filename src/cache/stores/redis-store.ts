/**
 * The shared store: every instance reads and writes the same Redis, so an
 * answer cached by one instance is a hit on another.
 *
 * - An entry is a hash `<prefix>:e:<namespace, URI-encoded>:<key>` with fields
 *   `m` (metadata JSON), `c` (the completion JSON) and `v` (the vector's raw
 *   float32 bytes), written in one MULTI with a relative PEXPIRE, so Redis
 *   drops it when it expires.
 * - Purges SCAN the namespace's keys (or all) and read only `m` to filter.
 * - What it reads back is validated; a damaged entry is deleted and is a miss.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { entryFromParts, entryMeta, entryMetaSchema, type CacheEntry } from '../cache-entry.js';
import { bufferToVector, vectorToBuffer } from '../index/vector-math.js';
import { matchesFilter, type CacheStore, type EntryRef, type PurgeFilter, type SemanticRecord, type StoreSize } from './cache-store.js';

export interface RedisStoreOptions {
  readonly url: string;
  readonly prefix: string;
  readonly clock: () => number;
  readonly redisOptions?: RedisOptions;
  /** Redis errors outside a request (connection drops). */
  readonly onError: (error: Error, operation: string) => void;
}

/** A SCAN MATCH pattern for keys that start with `text` literally. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export class RedisStore implements CacheStore {
  readonly kind = 'redis';
  readonly client: Redis;

  constructor(private readonly options: RedisStoreOptions) {
    this.client = new Redis(options.url, { ...options.redisOptions, lazyConnect: true, maxRetriesPerRequest: 2 });
    this.client.on('error', (error: unknown) => options.onError(asError(error), 'connection'));
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  entryKey(namespace: string, key: string): string {
    return `${this.options.prefix}:e:${encodeURIComponent(namespace)}:${key}`;
  }

  async get(namespace: string, key: string): Promise<CacheEntry | undefined> {
    const redisKey = this.entryKey(namespace, key);
    const [meta, completion, vector] = await this.client.hmgetBuffer(redisKey, 'm', 'c', 'v');
    if (!meta || !completion) return undefined;
    const entry = entryFromParts(meta.toString('utf8'), completion.toString('utf8'), vector ? bufferToVector(vector) : undefined);
    if (!entry || entry.expiresAt <= this.options.clock() || entry.namespace !== namespace || entry.key !== key) {
      await this.client.del(redisKey);
      return undefined;
    }
    return entry;
  }

  async set(entry: CacheEntry): Promise<void> {
    const redisKey = this.entryKey(entry.namespace, entry.key);
    const ttlMs = Math.max(1, entry.expiresAt - this.options.clock());
    const fields: (string | Buffer)[] = ['m', JSON.stringify(entryMeta(entry)), 'c', JSON.stringify(entry.completion)];
    if (entry.semantic) fields.push('v', vectorToBuffer(entry.semantic.vector));
    await this.client.multi().del(redisKey).hset(redisKey, ...fields).pexpire(redisKey, ttlMs).exec();
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    return (await this.client.del(this.entryKey(namespace, key))) > 0;
  }

  async purge(filter: PurgeFilter): Promise<EntryRef[]> {
    const removed: EntryRef[] = [];
    for await (const batch of this.scanEntries(filter.namespace)) {
      const metas = await this.readField(batch, 'm');
      const doomed: string[] = [];
      for (const [index, text] of metas.entries()) {
        const meta = text ? parseMeta(text) : undefined;
        if (meta && !matchesFilter(meta, filter)) continue;
        doomed.push(batch[index]!);
        if (meta) removed.push({ namespace: meta.namespace, key: meta.key });
      }
      if (doomed.length > 0) await this.client.del(...doomed);
    }
    return removed;
  }

  /** Redis expires entries itself. */
  sweep(): Promise<EntryRef[]> {
    return Promise.resolve([]);
  }

  async *semanticRecords(): AsyncIterable<SemanticRecord> {
    const now = this.options.clock();
    for await (const batch of this.scanEntries(undefined)) {
      const pipeline = this.client.pipeline();
      for (const key of batch) pipeline.hmgetBuffer(key, 'm', 'v');
      const results = (await pipeline.exec()) ?? [];
      for (const [error, value] of results) {
        if (error) continue;
        const [meta, vector] = value as [Buffer | null, Buffer | null];
        const parsed = meta ? parseMeta(meta.toString('utf8')) : undefined;
        if (!parsed?.semantic || !vector || parsed.expiresAt <= now) continue;
        const unpacked = bufferToVector(vector);
        if (unpacked.length !== parsed.semantic.dimensions) continue;
        yield { namespace: parsed.namespace, key: parsed.key, contextHash: parsed.semantic.contextHash, vector: unpacked, expiresAt: parsed.expiresAt };
      }
    }
  }

  async size(): Promise<StoreSize> {
    let entries = 0;
    let bytes = 0;
    for await (const batch of this.scanEntries(undefined)) {
      for (const text of await this.readField(batch, 'm')) {
        const meta = text ? parseMeta(text) : undefined;
        if (!meta) continue;
        entries += 1;
        bytes += meta.bytes;
      }
    }
    return { entries, bytes };
  }

  async close(): Promise<void> {
    if (this.client.status === 'end') return;
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private async readField(keys: readonly string[], field: string): Promise<(string | null)[]> {
    const pipeline = this.client.pipeline();
    for (const key of keys) pipeline.hget(key, field);
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => (error ? null : (value as string | null)));
  }

  private async *scanEntries(namespace: string | undefined): AsyncIterable<string[]> {
    const base = `${this.options.prefix}:e:`;
    const match = namespace === undefined ? `${globEscape(base)}*` : `${globEscape(`${base}${encodeURIComponent(namespace)}:`)}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', match, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }
}

function parseMeta(text: string): ReturnType<typeof entryMetaSchema.parse> | undefined {
  try {
    const parsed = entryMetaSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
