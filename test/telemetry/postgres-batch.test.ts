/**
 * PostgreSQL batches travel as chunks: the log rows as JSON, the bodies one
 * text parameter each. The rows the server stores must be the ones one
 * parameter per value stored before: checked here by writing the same records
 * both ways, into two schemas, and comparing every column of both tables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresClient } from '../../src/storage/postgres.js';
import type { LogRecord } from '../../src/telemetry/record/log-record.js';
import { bodyInsertSql, rowJson, toBodyChunks, toRowChunks } from '../../src/telemetry/storage/postgres-batch.js';
import { createPostgresStore, type PostgresStore } from '../../src/telemetry/storage/postgres-store.js';
import { logColumnNames, toColumns } from '../../src/telemetry/storage/record-columns.js';
import { postgresGate } from '../helpers/services.js';
import { isolatedPostgres, makeRecord } from './helpers.js';

const base = Date.UTC(2025, 0, 15, 12);

/** Records that exercise every column type, bodies or none, odd text, and days on both sides of midnight. */
function sampleRecords(count: number): LogRecord[] {
  return Array.from({ length: count }, (_, index) => {
    const full = index % 3 !== 2;
    return makeRecord({
      id: `batch-${index}`,
      startedAt: base + index * 977_000,
      latencyMs: 100 + index / 10,
      ...(index % 7 === 0 ? { usage: undefined, cost: undefined, principal: undefined, traceId: undefined } : {}),
      ...(index % 5 === 0 ? { status: 502, errorCode: 'upstream_error', errorMessage: `failed ${'“quoted” \\ back\nslash é 😀 '.repeat(index % 4)}` } : {}),
      metadata: index % 4 === 0 ? {} : { env: 'prod', note: `n${index} \u0001 "q"` },
      guardrails: index % 6 === 0 ? [{ name: 'pii', stage: 'input', passed: false, action: 'redact', latencyMs: 1.25, explanation: 'found an email' }] : [],
      bodyMode: full ? 'full' : 'none',
      requestBody: full ? { model: 'smart', messages: [{ role: 'user', content: `question ${index} ${'x'.repeat(index * 13)} — “ü” \\n` }], temperature: 0.1 * (index % 10), nested: { list: [1, 2.5, null, true, 'text'] } } : undefined,
      responseBody: full && index % 2 === 0 ? { id: `c-${index}`, choices: [{ message: { role: 'assistant', content: 'Hello\n\t"world" 😀' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10 } } : undefined,
    });
  });
}

describe('a PostgreSQL batch as JSON', () => {
  it('carries every column of each record, its seq and its start time as ISO text', () => {
    const [record] = sampleRecords(1);
    const row = JSON.parse(rowJson(record!, '42'));
    const columns = toColumns(record!);
    expect(Object.keys(row).sort()).toEqual([...logColumnNames, 'seq'].sort());
    expect(row).toEqual({ ...JSON.parse(JSON.stringify(columns)), seq: '42', started_at: new Date(columns.started_at).toISOString() });
  });

  it('keeps rows in order across chunks of the size asked for', () => {
    const records = sampleRecords(60);
    const seqs = records.map((_, index) => String(index + 1));
    expect(toRowChunks(records, seqs, 1e9)).toHaveLength(1);
    const chunks = toRowChunks(records, seqs, 4000);
    expect(chunks.length).toBeGreaterThan(3);
    const rows = chunks.flatMap((chunk) => JSON.parse(chunk) as { seq: string; id: string }[]);
    expect(rows.map((row) => [row.seq, row.id])).toEqual(records.map((record, index) => [seqs[index], record.id]));
    // Brackets aside, a chunk of several rows stays within the size.
    for (const chunk of chunks) if (JSON.parse(chunk).length > 1) expect(chunk.length).toBeLessThanOrEqual(4000 + 2);
  });

  it('keeps bodies in order across chunks, only for records that have some, each body its own parameter', () => {
    const records = sampleRecords(60);
    const seqs = records.map((_, index) => String(index + 1));
    expect(toBodyChunks(records, seqs, 1e9)).toHaveLength(1);
    const chunks = toBodyChunks(records, seqs, 3000);
    expect(chunks.length).toBeGreaterThan(3);
    const parameters = chunks.flatMap((chunk) => chunk.parameters);
    const expected = records.flatMap((record, index) =>
      record.requestBody === undefined && record.responseBody === undefined
        ? []
        : [seqs[index], new Date(record.startedAt).toISOString(), record.requestBody === undefined ? null : JSON.stringify(record.requestBody), record.responseBody === undefined ? null : JSON.stringify(record.responseBody)],
    );
    expect(parameters).toEqual(expected);
    for (const chunk of chunks) expect(chunk.parameters).toHaveLength(chunk.count * 4);
    expect(bodyInsertSql(2)).toBe('INSERT INTO request_log_bodies (seq, started_at, request_body, response_body) VALUES ($1::bigint, $2::timestamptz, $3::text::jsonb, $4::text::jsonb), ($5::bigint, $6::timestamptz, $7::text::jsonb, $8::text::jsonb)');
  });

  it('writes a lone surrogate in a text column as U+FFFD and a non-finite number as its text, as a separate parameter was', () => {
    const record = makeRecord({ errorMessage: 'cut \ud83d', route: '\udc00 route', latencyMs: Number.NaN, cost: { usd: Number.POSITIVE_INFINITY, estimated: false, unpriced: false } });
    const row = JSON.parse(rowJson(record, '1'));
    expect([row.error_message, row.route, row.latency_ms, row.cost_usd]).toEqual(['cut \ufffd', '\ufffd route', 'NaN', 'Infinity']);
  });
});

const gate = postgresGate();

/** How a batch was written before the JSON batches: one parameter per value (the reference). */
async function writeOnePerValue(sql: PostgresClient, store: PostgresStore, records: readonly LogRecord[]): Promise<void> {
  await store.partitions.ensure(records.map((record) => record.startedAt));
  await sql.begin(async (transaction) => {
    const seqs = await transaction<{ seq: string }[]>`SELECT nextval('request_log_seq') AS seq FROM generate_series(1, ${records.length})`;
    const rows = records.map((record, index) => {
      const columns = toColumns(record);
      return { ...columns, seq: seqs[index]!.seq, started_at: new Date(columns.started_at), metadata: transaction.json(columns.metadata), attempts: transaction.json(columns.attempts as never), guardrails: transaction.json(columns.guardrails as never) };
    });
    await transaction`INSERT INTO request_log ${transaction(rows, 'seq', ...logColumnNames)}`;
    const bodies = records.flatMap((record, index) =>
      record.requestBody === undefined && record.responseBody === undefined
        ? []
        : [{ seq: seqs[index]!.seq, started_at: new Date(record.startedAt), request_body: record.requestBody === undefined ? null : transaction.json(record.requestBody as never), response_body: record.responseBody === undefined ? null : transaction.json(record.responseBody as never) }],
    );
    if (bodies.length > 0) await transaction`INSERT INTO request_log_bodies ${transaction(bodies, 'seq', 'started_at', 'request_body', 'response_body')}`;
  });
}

describe.skipIf(gate.skip)('the PostgreSQL batches against the server', () => {
  let fast: Awaited<ReturnType<typeof isolatedPostgres>>;
  let reference: Awaited<ReturnType<typeof isolatedPostgres>>;
  let fastStore: PostgresStore;
  let referenceStore: PostgresStore;

  beforeAll(async () => {
    [fast, reference] = await Promise.all([isolatedPostgres(gate.url!), isolatedPostgres(gate.url!)]);
    [fastStore, referenceStore] = await Promise.all([createPostgresStore(fast.sql, { retentionDays: 30 }), createPostgresStore(reference.sql, { retentionDays: 30 })]);
  });
  afterAll(async () => {
    await Promise.all([fast?.drop(), reference?.drop()]);
  });

  it('stores exactly the rows that one parameter per value stored, over several chunks and days', async () => {
    const odd = makeRecord({ id: 'odd', startedAt: base + 5, errorMessage: 'cut \ud83d', latencyMs: Number.NaN });
    const batches = [sampleRecords(400), [odd], sampleRecords(3)];
    const seqs = batches[0]!.map((_, index) => String(index));
    // The first batch takes several statements of each kind.
    expect(toRowChunks(batches[0]!, seqs).length).toBeGreaterThan(1);
    expect(toBodyChunks(batches[0]!, seqs).length).toBeGreaterThan(1);
    for (const batch of batches) {
      await fastStore.write(batch);
      await writeOnePerValue(reference.sql, referenceStore, batch);
    }
    for (const table of ['request_log', 'request_log_bodies']) {
      const fastRows = await fast.sql.unsafe(`SELECT * FROM ${table} ORDER BY seq`);
      const referenceRows = await reference.sql.unsafe(`SELECT * FROM ${table} ORDER BY seq`);
      expect(fastRows.length).toBeGreaterThan(0);
      expect([...fastRows]).toEqual([...referenceRows]);
      const asText = `SELECT t::text AS row FROM ${table} t ORDER BY seq`;
      expect((await fast.sql.unsafe(asText)).map((row) => row.row)).toEqual((await reference.sql.unsafe(asText)).map((row) => row.row));
    }
    const detail = await fastStore.get('odd');
    expect([detail?.error_message, detail?.latency_ms]).toEqual(['cut \ufffd', Number.NaN]);
  });
});
