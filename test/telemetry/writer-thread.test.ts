/**
 * The request log's writer thread: batches written by the worker's own connection are read on the main
 * thread's, `close` waits for the batches in flight, a thread that cannot open its database fails the write
 * with the reason (and the next write starts a new one), and the log gets a SQLite file of its own.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { logDatabaseFile, logSqlitePageSize, openLogSqlite, openSqlite, type SqliteDatabase } from '../../src/storage/sqlite.js';
import { parseLogQuery } from '../../src/telemetry/query/query-schema.js';
import { createPostgresStore } from '../../src/telemetry/storage/postgres-store.js';
import { createSqliteStore, walCheckpointBytes } from '../../src/telemetry/storage/sqlite-store.js';
import { RecordsRejectedError, rejectsRecords } from '../../src/telemetry/storage/rejection.js';
import { BatchBuffers } from '../../src/telemetry/storage/writer-batch.js';
import { createWriterThread, withWriterThread } from '../../src/telemetry/storage/writer-thread.js';
import { postgresGate } from '../helpers/services.js';
import { isolatedPostgres, makeRecord, temporaryDirectory } from './helpers.js';

const options = { retentionDays: 36_500, maxBytes: 1024 * 1024 * 1024 };

describe('the writer thread, SQLite', () => {
  const directory = temporaryDirectory('writer-thread');
  let database: SqliteDatabase | undefined;
  afterEach(() => database?.close());
  afterAll(() => directory.remove());

  it('writes from its own connection what the main connection then reads, and close waits for batches in flight', async () => {
    const file = path.join(directory.path, 'log.db');
    database = openLogSqlite(file);
    const store = withWriterThread(createSqliteStore(database, options), { sink: 'sqlite', file, ...options });
    const batches = [0, 1, 2].map((batch) =>
      store.write(Array.from({ length: 40 }, (_, index) => makeRecord({ id: `r-${batch}-${index}`, startedAt: Date.UTC(2025, 0, 15) + batch * 1000 + index, requestBody: JSON.stringify({ text: `body ${batch}/${index}` }) }))),
    );
    // Not awaited first: close must let all three finish.
    await store.close();
    await Promise.all(batches);
    expect(database.prepare('SELECT count(*) FROM request_log').pluck().get()).toBe(120);
    expect(database.prepare('SELECT count(*) FROM request_log_bodies').pluck().get()).toBe(120);
    // The log's own file has large pages, and checkpoints less often than SQLite's default (1000 pages).
    expect(database.pragma('page_size', { simple: true })).toBe(logSqlitePageSize);
    expect(database.pragma('wal_autocheckpoint', { simple: true })).toBe(walCheckpointBytes / logSqlitePageSize);
    const detail = await store.get('r-2-39');
    expect(detail?.request_body).toEqual({ text: 'body 2/39' });
    const page = await store.list(parseLogQuery(new URLSearchParams({ limit: '5' })));
    expect(page.data.map((row) => row.id)).toEqual(['r-2-39', 'r-2-38', 'r-2-37', 'r-2-36', 'r-2-35']);
    await expect(store.write([makeRecord()])).rejects.toThrow(/closed/);
  });

  it('gets each batch buffer back with the answer, and copies the next batch into it', async () => {
    const file = path.join(directory.path, 'buffers.db');
    database = openLogSqlite(file);
    createSqliteStore(database, options);
    const buffers = new BatchBuffers();
    const thread = createWriterThread({ sink: 'sqlite', file, ...options }, buffers);
    const batch = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => makeRecord({ id: `${prefix}-${index}`, startedAt: Date.UTC(2025, 0, 15) + index, requestBody: JSON.stringify({ text: `${prefix} ${index}` }) }));
    await thread.write(batch('big', 30));
    expect(buffers.size).toBe(1);
    // The next, smaller batch is copied into that buffer (so none is kept while it is away), and it comes back again.
    const smaller = thread.write(batch('small', 10));
    expect(buffers.size).toBe(0);
    await smaller;
    expect(buffers.size).toBe(1);
    await thread.close();
    expect(database.prepare('SELECT count(*) FROM request_log').pluck().get()).toBe(40);
    // What a reused buffer held before its batch is not read: the small batch's records are whole.
    expect(database.prepare("SELECT request_body FROM request_log_bodies b JOIN request_log r USING (seq) WHERE r.id = 'small-9'").pluck().get()).toBe('{"text":"small 9"}');
  });

  it('stores through the thread exactly what an inline write stores (the batch travels as packed bytes)', async () => {
    const records = [
      makeRecord({ id: 'odd-1', latencyMs: 0.1 + 0.2, timeToFirstTokenMs: undefined, cost: { usd: Number.NaN, estimated: true, unpriced: false }, metadata: { 'ключ': 'значение 😀', empty: '' }, errorMessage: 'line\nbreak\t"quoted" \\ back', bodyMode: 'full', requestBody: JSON.stringify({ nested: [1, 2.5, null, true, { deep: 'é' }], big: 'x'.repeat(70_000) }), responseBody: undefined }),
      makeRecord({ id: 'odd-2', principal: undefined, usage: undefined, cost: undefined, attempts: [], guardrails: [{ name: 'g:pii', stage: 'output', passed: false, action: 'redact', latencyMs: 0.25, explanation: 'found 1 email' }] }),
    ];
    const threadFile = path.join(directory.path, 'through-thread.db');
    const inlineFile = path.join(directory.path, 'inline.db');
    database = openSqlite(threadFile);
    const inlineDatabase = openSqlite(inlineFile);
    const threaded = withWriterThread(createSqliteStore(database, options), { sink: 'sqlite', file: threadFile, ...options });
    const inline = createSqliteStore(inlineDatabase, options);
    await threaded.write(records);
    await inline.write(records);
    for (const record of records) expect(await threaded.get(record.id)).toEqual(await inline.get(record.id));
    expect((await threaded.get('odd-1'))?.latency_ms).toBe(0.1 + 0.2);
    await threaded.close();
    inlineDatabase.close();
  });

  it('refuses a batch that cannot be encoded without leaving it pending, so close still ends', async () => {
    const file = path.join(directory.path, 'unserializable.db');
    database = openSqlite(file);
    const thread = createWriterThread({ sink: 'sqlite', file, ...options });
    const unserializable = makeRecord({ id: 'bad', metadata: { big: 1n as unknown as string } });
    await expect(thread.write([unserializable])).rejects.toThrow(/serialize a BigInt/i);
    await thread.write([makeRecord({ id: 'good' })]);
    await thread.close();
    expect(database.prepare('SELECT id FROM request_log').pluck().all()).toEqual(['good']);
  });

  it('tells a batch the database rejected from a failing database, so the pipeline can split it', async () => {
    const file = path.join(directory.path, 'rejected.db');
    database = openLogSqlite(file);
    const thread = createWriterThread({ sink: 'sqlite', file, ...options });
    const failure = await thread.write([makeRecord({ id: 'ok' }), makeRecord({ id: 'nan', latencyMs: Number.NaN })]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RecordsRejectedError);
    expect(rejectsRecords(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/NOT NULL constraint failed: request_log\.latency_ms/);
    await thread.write([makeRecord({ id: 'ok' })]);
    await thread.close();
    expect(database.prepare('SELECT id FROM request_log').pluck().all()).toEqual(['ok']);
  });

  it('fails a write with the reason when the thread cannot open its database, then recovers with a new thread', async () => {
    const blocker = path.join(directory.path, 'not-a-directory');
    writeFileSync(blocker, 'a file where the database directory should be');
    const file = path.join(blocker, 'log.db');
    const thread = createWriterThread({ sink: 'sqlite', file, ...options });
    const failure = await thread.write([makeRecord({ id: 'first' })]).catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(/request log writer thread: .*(ENOTDIR|EEXIST|not a directory)/i);
    expect(rejectsRecords(failure)).toBe(false);

    rmSync(blocker);
    mkdirSync(blocker);
    database = openSqlite(file);
    createSqliteStore(database, options);
    await thread.write([makeRecord({ id: 'second' })]);
    await thread.close();
    expect(database.prepare('SELECT id FROM request_log').pluck().all()).toEqual(['second']);
  });

  it('gives the request log a file of its own next to the main database', () => {
    expect(logDatabaseFile('./data/switchyard.db')).toBe('./data/switchyard-log.db');
    expect(logDatabaseFile('/var/lib/sy/main.sqlite3')).toBe('/var/lib/sy/main-log.sqlite3');
    expect(logDatabaseFile('/var/lib/sy/main')).toBe('/var/lib/sy/main-log.db');
    expect(logDatabaseFile(':memory:')).toBe(':memory:');
    expect(logDatabaseFile('./data/switchyard.db', '/logs/requests.db')).toBe('/logs/requests.db');
  });
});

const gate = postgresGate();

describe.skipIf(gate.skip)('the writer thread, PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof isolatedPostgres>>;
  beforeAll(async () => {
    database = await isolatedPostgres(gate.url!);
  });
  afterAll(async () => database?.drop());

  it('writes rows and bodies from its own pool, into the schema of the URL', async () => {
    const store = withWriterThread(await createPostgresStore(database.sql, { retentionDays: 36_500 }), { sink: 'postgres', url: database.url, retentionDays: 36_500 });
    await store.write([makeRecord({ id: 'pg-1', requestBody: JSON.stringify({ text: 'kept' }) }), makeRecord({ id: 'pg-2' })]);
    await store.close();
    const ids = (await database.sql`SELECT id FROM request_log ORDER BY id`).map((row) => row.id);
    expect(ids).toEqual(['pg-1', 'pg-2']);
    expect((await store.get('pg-1'))?.request_body).toEqual({ text: 'kept' });
  });

  it('tells a batch the database rejected (a model name too long for its index) from a failing database', async () => {
    const store = withWriterThread(await createPostgresStore(database.sql, { retentionDays: 36_500 }), { sink: 'postgres', url: database.url, retentionDays: 36_500 });
    // What a client may send as its model; the error record names it. Random, so that the index cannot compress it.
    const model = randomBytes(8000).toString('hex');
    const failure = await store.write([makeRecord({ id: 'pg-bad', modelRequested: model, modelServed: undefined, status: 404 })]).catch((error: unknown) => error);
    await store.close();
    expect(failure).toBeInstanceOf(RecordsRejectedError);
    expect((failure as Error).message).toMatch(/index row requires/);
    expect(await database.sql`SELECT id FROM request_log WHERE id = 'pg-bad'`).toHaveLength(0);
  });

  it('stores a provider\'s fractional token counts rounded, rather than have the bigint columns refuse them', async () => {
    const store = await createPostgresStore(database.sql, { retentionDays: 36_500 });
    await store.write([makeRecord({ id: 'pg-fractional', usage: { prompt_tokens: 1.5, completion_tokens: 2.4, total_tokens: 3.9, prompt_tokens_details: { cached_tokens: Number.NaN } } })]);
    const [row] = await database.sql`SELECT prompt_tokens, completion_tokens, cached_tokens FROM request_log WHERE id = 'pg-fractional'`;
    expect(row).toEqual({ prompt_tokens: '2', completion_tokens: '2', cached_tokens: null });
  });
});
