import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheEntry } from '../../src/cache/cache-entry.js';
import { embedText } from '../../src/cache/embeddings/offline-embedder.js';
import type { EntryRef } from '../../src/cache/stores/cache-store.js';
import { MemoryStore } from '../../src/cache/stores/memory-store.js';
import { SqliteStore } from '../../src/cache/stores/sqlite-store.js';
import { openSqlite } from '../../src/storage/sqlite.js';

let now = 1_000_000;
const clock = (): number => now;
const removed: EntryRef[] = [];
const onRemoved = (refs: readonly EntryRef[]): void => {
  removed.push(...refs);
};

function entry(namespace: string, key: string, overrides: Partial<CacheEntry> = {}): CacheEntry {
  return {
    namespace,
    key,
    route: 'chat',
    createdAt: now,
    expiresAt: now + 60_000,
    completion: { id: `chatcmpl-${key}`, object: 'chat.completion', created: 1, model: 'm1', choices: [{ index: 0, message: { role: 'assistant', content: `answer for ${key}` }, finish_reason: 'stop' }] },
    usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    costUsd: 0.001,
    bytes: 500,
    ...overrides,
  };
}

afterEach(() => {
  now = 1_000_000;
  removed.length = 0;
});

describe('memory store', () => {
  it('expires entries at their TTL on the injected clock', async () => {
    const store = new MemoryStore({ maxEntries: 10, maxBytes: 10_000, clock, onRemoved });
    await store.set(entry('n', 'a'));
    now += 59_999;
    expect((await store.get('n', 'a'))?.completion.id).toBe('chatcmpl-a');
    now += 1;
    expect(await store.get('n', 'a')).toBeUndefined();
    expect(removed).toEqual([{ namespace: 'n', key: 'a' }]);
  });

  it('evicts the least recently used entry past max_entries, and reports it', async () => {
    const store = new MemoryStore({ maxEntries: 2, maxBytes: 10_000, clock, onRemoved });
    await store.set(entry('n', 'a'));
    await store.set(entry('n', 'b'));
    await store.get('n', 'a');
    await store.set(entry('n', 'c'));
    expect(await store.get('n', 'b')).toBeUndefined();
    expect((await store.get('n', 'a'))?.key).toBe('a');
    expect(removed).toEqual([{ namespace: 'n', key: 'b' }]);
    expect(store.evicted).toBe(1);
  });

  it('evicts past max_bytes', async () => {
    const store = new MemoryStore({ maxEntries: 100, maxBytes: 1200, clock, onRemoved });
    await store.set(entry('n', 'a'));
    await store.set(entry('n', 'b'));
    await store.set(entry('n', 'c'));
    expect(await store.size()).toEqual({ entries: 2, bytes: 1000 });
    expect(removed).toEqual([{ namespace: 'n', key: 'a' }]);
  });

  it('keeps its own copy of the completion', async () => {
    const store = new MemoryStore({ maxEntries: 10, maxBytes: 10_000, clock, onRemoved });
    const original = entry('n', 'a');
    await store.set(original);
    original.completion.choices[0]!.message.content = 'changed later';
    expect((await store.get('n', 'a'))?.completion.choices[0]!.message.content).toBe('answer for a');
  });

  it('purges by namespace, route and age, and sweeps expired entries', async () => {
    const store = new MemoryStore({ maxEntries: 10, maxBytes: 10_000, clock, onRemoved });
    await store.set(entry('n1', 'a'));
    await store.set(entry('n2', 'b', { route: 'other' }));
    now += 10_000;
    await store.set(entry('n2', 'c'));
    expect(await store.purge({ namespace: 'n1' })).toEqual([{ namespace: 'n1', key: 'a' }]);
    expect(await store.purge({ route: 'other' })).toEqual([{ namespace: 'n2', key: 'b' }]);
    await store.set(entry('n1', 'd', { createdAt: now - 20_000 }));
    expect(await store.purge({ createdBefore: now - 5_000 })).toEqual([{ namespace: 'n1', key: 'd' }]);
    now += 60_000;
    expect(await store.sweep()).toEqual([{ namespace: 'n2', key: 'c' }]);
    expect((await store.size()).entries).toBe(0);
  });
});

describe('SQLite store', () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  it('persists entries and their vectors across a restart', async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'cache-sqlite-'));
    const file = path.join(directory, 'gateway.db');
    const vector = embedText('What is the capital of Australia?', 512);
    const first = openSqlite(file);
    const store = new SqliteStore({ database: first, maxEntries: 10, clock, onRemoved });
    await store.set(entry('n', 'plain'));
    await store.set(entry('n', 'semantic', { semantic: { contextHash: 'h', embedderId: 'offline', vector } }));
    first.close();

    const second = openSqlite(file);
    const reopened = new SqliteStore({ database: second, maxEntries: 10, clock, onRemoved });
    expect(await reopened.get('n', 'plain')).toEqual(entry('n', 'plain'));
    const semantic = await reopened.get('n', 'semantic');
    expect(semantic?.semantic?.contextHash).toBe('h');
    expect(Array.from(semantic!.semantic!.vector)).toEqual(Array.from(vector));
    const records = [];
    for await (const record of reopened.semanticRecords()) records.push(record);
    expect(records.map((record) => [record.namespace, record.key, record.contextHash, record.vector.length, record.expiresAt])).toEqual([['n', 'semantic', 'h', 512, now + 60_000]]);
    expect(second.prepare("SELECT name FROM sqlite_master WHERE name = 'cache_vectors_512'").pluck().get()).toBe('cache_vectors_512');
    second.close();
  });

  it('expires, evicts the oldest past max_entries, and purges with the vectors', async () => {
    const database = openSqlite(':memory:');
    const store = new SqliteStore({ database, maxEntries: 2, clock, onRemoved });
    const vector = embedText('Why is the sky blue?', 512);
    await store.set(entry('n', 'a', { semantic: { contextHash: 'h', embedderId: 'offline', vector } }));
    now += 1;
    await store.set(entry('n', 'b'));
    now += 1;
    await store.set(entry('n', 'c'));
    expect(removed).toEqual([{ namespace: 'n', key: 'a' }]);
    expect(database.prepare('SELECT COUNT(*) FROM cache_vectors_512').pluck().get()).toBe(0);
    expect(await store.purge({ namespace: 'n', route: 'chat' })).toEqual([{ namespace: 'n', key: 'b' }, { namespace: 'n', key: 'c' }]);
    await store.set(entry('n', 'd'));
    now += 60_000;
    expect(await store.get('n', 'd')).toBeUndefined();
    expect(await store.size()).toEqual({ entries: 0, bytes: 0 });
    database.close();
  });

  it('replaces an entry stored again under the same key', async () => {
    const database = openSqlite(':memory:');
    const store = new SqliteStore({ database, maxEntries: 10, clock, onRemoved });
    await store.set(entry('n', 'a', { semantic: { contextHash: 'h', embedderId: 'offline', vector: embedText('one', 512) } }));
    await store.set(entry('n', 'a', { route: 'second' }));
    expect((await store.get('n', 'a'))?.route).toBe('second');
    expect((await store.get('n', 'a'))?.semantic).toBeUndefined();
    expect(database.prepare('SELECT COUNT(*) FROM cache_vectors_512').pluck().get()).toBe(0);
    database.close();
  });
});
