/**
 * Open circuit breakers shared through Redis, so that when one gateway
 * instance trips a breaker every instance skips the target within milliseconds.
 *
 * - `open` writes `SET <prefix>:<key> <until> PX <ttl>` and publishes
 *   `{"key","until"}` on channel `<prefix>`; `close` deletes the key and
 *   publishes `{"key","closed":true}`.
 * - A second connection subscribes to the channel and keeps a local map up to
 *   date; `start()` loads the keys already there (SCAN), and does so again
 *   after every reconnection, since messages sent meanwhile are lost.
 * - Reads come from the local map only: no Redis I/O on the request path.
 *   Local writes update the map at once and go to Redis in the background.
 * - Redis errors are counted (`errors`) and passed to `onError` (by default a
 *   warning on stderr); they are never thrown into the request path.
 * - The half-open probe is arbitrated locally: each instance may send one.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { z } from 'zod';
import type { BreakerChangeListener, BreakerStore } from './circuit-breaker.js';

export interface RedisBreakerStoreOptions {
  /** A redis:// or rediss:// URL. */
  readonly url: string;
  /** More connection settings (TLS, retries, ...). */
  readonly redisOptions?: RedisOptions;
  /** Keys are `<prefix>:<key>`; changes go out on channel `<prefix>`. Default `sy:cb`. */
  readonly prefix?: string;
  /**
   * How long an entry outlives its cooldown, in ms, so a half-open breaker is
   * remembered until a probe reports. Default 10 minutes; after that the
   * target counts as closed again.
   */
  readonly retentionMs?: number;
  /** Called for every Redis error, with what was being done. Default: a warning on stderr. */
  readonly onError?: (error: Error, operation: string) => void;
  readonly clock?: () => number;
}

interface CachedEntry {
  readonly until: number;
  /** When this entry is forgotten locally, mirroring the key's TTL in Redis. */
  readonly expiresAt: number;
}

const changeMessageSchema = z.union([z.strictObject({ key: z.string(), until: z.number() }), z.strictObject({ key: z.string(), closed: z.literal(true) })]);

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** A SCAN MATCH pattern for keys that start with `text` literally. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}

function warnOnStderr(error: Error, operation: string): void {
  console.warn(`switchyard: circuit breaker store: Redis ${operation} failed: ${error.message}`);
}

export class RedisBreakerStore implements BreakerStore {
  private readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly channel: string;
  private readonly retentionMs: number;
  private readonly reportError: (error: Error, operation: string) => void;
  private readonly clock: () => number;
  private readonly cache = new Map<string, CachedEntry>();
  private readonly listeners = new Set<BreakerChangeListener>();
  private readonly writes = new Set<Promise<void>>();
  /** Keys changed by a message while a load was running: the load must not overwrite them. */
  private changedDuringLoad: Set<string> | undefined;
  private started = false;
  private errorCount = 0;

  constructor(options: RedisBreakerStoreOptions) {
    this.prefix = options.prefix ?? 'sy:cb';
    this.channel = this.prefix;
    this.retentionMs = options.retentionMs ?? 10 * 60_000;
    this.clock = options.clock ?? Date.now;
    const onError = options.onError ?? warnOnStderr;
    this.reportError = (error, operation) => {
      this.errorCount += 1;
      onError(error, operation);
    };
    this.client = new Redis(options.url, { ...options.redisOptions, lazyConnect: true });
    this.subscriber = this.client.duplicate();
    this.client.on('error', (error: unknown) => this.reportError(asError(error), 'connection'));
    this.subscriber.on('error', (error: unknown) => this.reportError(asError(error), 'subscriber connection'));
    this.subscriber.on('message', (channel: string, message: string) => this.handleMessage(channel, message));
    this.subscriber.on('ready', () => {
      if (this.started) this.load().catch((error: unknown) => this.reportError(asError(error), 'reload after reconnecting'));
    });
  }

  /** Redis errors seen so far. */
  get errors(): number {
    return this.errorCount;
  }

  /** Connects, subscribes, then loads the breakers already open. Rejects if Redis cannot be reached. */
  async start(): Promise<void> {
    try {
      await Promise.all([this.client.connect(), this.subscriber.connect()]);
      await this.subscriber.subscribe(this.channel);
      await this.load();
      this.started = true;
    } catch (error) {
      this.reportError(asError(error), 'start');
      throw error;
    }
  }

  isOpenUntil(key: string): number | undefined {
    const entry = this.cache.get(key);
    if (entry === undefined) return undefined;
    if (this.clock() >= entry.expiresAt) {
      this.cache.delete(key);
      return undefined;
    }
    return entry.until;
  }

  open(key: string, untilEpochMs: number): void {
    const now = this.clock();
    const ttlMs = Math.max(1, Math.ceil(untilEpochMs - now)) + this.retentionMs;
    this.remember(key, { until: untilEpochMs, expiresAt: now + ttlMs });
    this.write('open', this.client.multi().set(this.redisKey(key), String(untilEpochMs), 'PX', ttlMs).publish(this.channel, JSON.stringify({ key, until: untilEpochMs })).exec());
  }

  close(key: string): void {
    this.forget(key);
    this.write('close', this.client.multi().del(this.redisKey(key)).publish(this.channel, JSON.stringify({ key, closed: true })).exec());
  }

  onChange(listener: BreakerChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for the writes already sent to Redis to finish (their errors are reported, not thrown). */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.all(this.writes);
  }

  /** Finishes pending writes and closes both connections. */
  async stop(): Promise<void> {
    this.started = false;
    await this.flush();
    await Promise.all([this.quit(this.client), this.quit(this.subscriber)]);
  }

  private async quit(connection: Redis): Promise<void> {
    if (connection.status === 'end' || connection.status === 'wait') {
      connection.disconnect();
      return;
    }
    try {
      await connection.quit();
    } catch {
      connection.disconnect();
    }
  }

  private redisKey(key: string): string {
    return `${this.prefix}:${key}`;
  }

  private write(operation: string, reply: Promise<[error: Error | null, result: unknown][] | null>): void {
    const done = reply
      .then((results) => {
        const failed = results?.find(([error]) => error !== null)?.[0];
        if (results === null) throw new Error('transaction aborted');
        if (failed) throw failed;
      })
      .catch((error: unknown) => this.reportError(asError(error), operation))
      .finally(() => this.writes.delete(done));
    this.writes.add(done);
  }

  private remember(key: string, entry: CachedEntry): void {
    const previous = this.cache.get(key);
    this.cache.set(key, entry);
    if (previous?.until !== entry.until) this.notify(key, entry.until);
  }

  private forget(key: string): void {
    if (this.cache.delete(key)) this.notify(key, undefined);
  }

  private notify(key: string, openUntil: number | undefined): void {
    for (const listener of this.listeners) listener(key, openUntil);
  }

  private handleMessage(channel: string, message: string): void {
    if (channel !== this.channel) return;
    let parsed: z.infer<typeof changeMessageSchema>;
    try {
      parsed = changeMessageSchema.parse(JSON.parse(message));
    } catch (error) {
      this.reportError(new Error(`unreadable message on ${channel}: ${message.slice(0, 200)} (${asError(error).message.split('\n')[0]})`), 'message');
      return;
    }
    this.changedDuringLoad?.add(parsed.key);
    if ('closed' in parsed) this.forget(parsed.key);
    else this.remember(parsed.key, { until: parsed.until, expiresAt: parsed.until + this.retentionMs });
  }

  /** Replaces the local map with what Redis holds, except keys a message changed meanwhile. */
  private async load(): Promise<void> {
    const changed = new Set<string>();
    this.changedDuringLoad = changed;
    try {
      const found = await this.scanEntries();
      for (const [key, entry] of found) if (!changed.has(key)) this.remember(key, entry);
      for (const key of [...this.cache.keys()]) if (!found.has(key) && !changed.has(key)) this.forget(key);
    } finally {
      if (this.changedDuringLoad === changed) this.changedDuringLoad = undefined;
    }
  }

  private async scanEntries(): Promise<Map<string, CachedEntry>> {
    const found = new Map<string, CachedEntry>();
    const keyStart = this.prefix.length + 1;
    let cursor = '0';
    do {
      const [next, redisKeys] = await this.client.scan(cursor, 'MATCH', `${globEscape(this.prefix)}:*`, 'COUNT', 200);
      cursor = next;
      if (redisKeys.length === 0) continue;
      const pipeline = this.client.pipeline();
      for (const redisKey of redisKeys) pipeline.get(redisKey).pttl(redisKey);
      const replies = (await pipeline.exec()) ?? [];
      const now = this.clock();
      for (const [index, redisKey] of redisKeys.entries()) {
        const [valueError, value] = replies[index * 2] ?? [];
        const [ttlError, ttl] = replies[index * 2 + 1] ?? [];
        if (valueError || ttlError) {
          this.reportError(asError(valueError ?? ttlError), 'load');
          continue;
        }
        const until = Number(value);
        if (value === null || typeof ttl !== 'number' || ttl === -2) continue;
        if (!Number.isFinite(until)) {
          this.reportError(new Error(`${redisKey} holds ${JSON.stringify(value)}, not an epoch in ms`), 'load');
          continue;
        }
        found.set(redisKey.slice(keyStart), { until, expiresAt: ttl < 0 ? until + this.retentionMs : now + ttl });
      }
    } while (cursor !== '0');
    return found;
  }
}
