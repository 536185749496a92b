/**
 * PostgreSQL batches travel as chunks: the log rows as COPY text, the bodies
 * one text parameter each. The rows the server stores must be the ones one
 * parameter per value stored before: checked here by writing the same records
 * both ways, into two schemas, and comparing every column of both tables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresClient } from '../../src/storage/postgres.js';
import type { LogRecord } from '../../src/telemetry/record/log-record.js';
import { copyField, rowCopyChunks, rowCopyColumns, rowCopyLine, storableJsonText } from '../../src/telemetry/storage/postgres-batch.js';
import { BodyCopyWriter, type BodyRow } from '../../src/telemetry/storage/postgres-body-copy.js';
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
      requestBody: full ? JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: `question ${index} ${'x'.repeat(index * 13)} — “ü” \\n` }], temperature: 0.1 * (index % 10), nested: { list: [1, 2.5, null, true, 'text'] } }) : undefined,
      responseBody: full && index % 2 === 0 ? JSON.stringify({ id: `c-${index}`, choices: [{ message: { role: 'assistant', content: 'Hello\n\t"world" 😀' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10 } }) : undefined,
    });
  });
}

/** A line of COPY text back into its fields (the text format's escapes undone), NULL as null. */
function copyFields(line: string): (string | null)[] {
  return line.replace(/\n$/, '').split('\t').map((field) => (field === '\\N' ? null : field.replace(/\\(.)/g, (_, character: string) => ({ n: '\n', r: '\r', t: '\t' })[character] ?? character)));
}

describe('a PostgreSQL batch as COPY text', () => {
  it('carries every column of each record, its seq and its start time as ISO text', () => {
    const [record] = sampleRecords(6).slice(5);
    const fields = copyFields(rowCopyLine(record!, '42'));
    const columns = toColumns(record!) as unknown as Record<string, unknown>;
    expect(fields).toHaveLength(rowCopyColumns.length);
    const byName = Object.fromEntries(rowCopyColumns.map((name, index) => [name, fields[index]]));
    expect(byName.seq).toBe('42');
    expect(byName.started_at).toBe(new Date(record!.startedAt).toISOString());
    expect(JSON.parse(byName.metadata!)).toEqual(columns.metadata);
    expect(JSON.parse(byName.attempts!)).toEqual(columns.attempts);
    expect(byName.error_message).toBe(columns.error_message);
    expect(byName.streamed).toBe('f');
    expect(byName.trace_id).toBe(columns.trace_id);
  });

  it('escapes what the text format reserves and writes NULL, booleans and non-finite numbers as the server reads them', () => {
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect([copyField(null), copyField(undefined), copyField(true), copyField(false)]).toEqual(['\\N', '\\N', 't', 'f']);
    expect([copyField(Number.NaN), copyField(Number.POSITIVE_INFINITY), copyField(-1.5)]).toEqual(['NaN', 'Infinity', '-1.5']);
    // A value that looks like the NULL marker or the end-of-data marker stays data.
    expect([copyField('\\N'), copyField('\\.')]).toEqual(['\\\\N', '\\\\.']);
    expect(copyField({ text: 'line\none' })).toBe('{"text":"line\\\\none"}');
  });

  it('makes NUL and lone surrogates storable as U+FFFD, in text and in JSON (keys too), and leaves paired surrogates alone', () => {
    expect(copyField('a\u0000b')).toBe('a\ufffdb');
    expect(JSON.parse(storableJsonText({ 'k\ud800': ['cut \ud83d', 'nul \u0000', 'pair 😀', '\\ud800 is text'] }))).toEqual({ 'k\ufffd': ['cut \ufffd', 'nul \ufffd', 'pair 😀', '\\ud800 is text'] });
    expect(storableJsonText({ plain: 'é 😀' })).toBe(JSON.stringify({ plain: 'é 😀' }));
  });

  it('keeps rows in order across chunks of the size asked for', () => {
    const records = sampleRecords(60);
    const seqs = records.map((_, index) => String(index + 1));
    expect(rowCopyChunks(records, seqs, 1e9)).toHaveLength(1);
    const chunks = rowCopyChunks(records, seqs, 4000);
    expect(chunks.length).toBeGreaterThan(3);
    const rows = chunks.flatMap((chunk) => chunk.split('\n').filter((line) => line !== '').map(copyFields));
    expect(rows.map((fields) => [fields[0], fields[1]])).toEqual(records.map((record, index) => [seqs[index], record.id]));
    for (const chunk of chunks) if (chunk.split('\n').length > 2) expect(chunk.length).toBeLessThanOrEqual(4000);
  });
});

/** Binary COPY data back into rows: [seq, microseconds since 2000-01-01, request body, response body] (NULL as null). */
function binaryRows(data: Buffer): [string, bigint, string | null, string | null][] {
  expect(data.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
  expect([data.readInt32BE(11), data.readInt32BE(15)]).toEqual([0, 0]);
  const rows: [string, bigint, string | null, string | null][] = [];
  let at = 19;
  for (let count = data.readInt16BE(at); count !== -1; count = data.readInt16BE(at)) {
    expect(count).toBe(4);
    at += 2;
    const fields: Buffer[] = [];
    const nulls: boolean[] = [];
    for (let field = 0; field < 4; field += 1) {
      const length = data.readInt32BE(at);
      at += 4;
      nulls.push(length === -1);
      fields.push(length === -1 ? Buffer.alloc(0) : data.subarray(at, (at += length)));
    }
    expect([fields[0]!.length, fields[1]!.length]).toEqual([8, 8]);
    rows.push([String(fields[0]!.readBigInt64BE()), fields[1]!.readBigInt64BE(), nulls[2] ? null : fields[2]!.toString(), nulls[3] ? null : fields[3]!.toString()]);
  }
  expect(at + 2).toBe(data.length);
  return rows;
}

const micros = (startedAt: number): bigint => BigInt(Math.trunc(startedAt) - Date.UTC(2000, 0, 1)) * 1000n;

describe('the bodies of a PostgreSQL batch as binary COPY', () => {
  const bodyRows = (records: readonly LogRecord[]): BodyRow[] =>
    records.map((record, index) => ({ seq: String(index + 1), startedAt: record.startedAt, requestBody: record.requestBody === undefined ? undefined : Buffer.from(record.requestBody), responseBody: record.responseBody === undefined ? undefined : Buffer.from(record.responseBody) }));

  it('keeps bodies in order across chunks, only for records that have some, as the bytes they were packed as', () => {
    const records = sampleRecords(60);
    expect(new BodyCopyWriter(1e9).chunks(bodyRows(records)).chunks).toHaveLength(1);
    const { chunks } = new BodyCopyWriter(3000).chunks(bodyRows(records));
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(3000);
    const expected = records.flatMap((record, index) =>
      record.requestBody === undefined && record.responseBody === undefined ? [] : [[String(index + 1), micros(record.startedAt), record.requestBody ?? null, record.responseBody ?? null]],
    );
    expect(expected.length).toBeLessThan(records.length);
    expect(binaryRows(Buffer.concat(chunks))).toEqual(expected);
  });

  it('sends text that is not JSON.stringify\'s as it is, but NUL, which text cannot hold, as U+FFFD; and a start time to the millisecond', () => {
    const odd = 'a\\b\nc\td\re\u0000f “ü” 😀 \\\u0000';
    const { chunks } = new BodyCopyWriter().chunks([{ seq: '9007199254740993', startedAt: Date.UTC(1999, 11, 31, 23, 59, 59, 999) + 0.7, responseBody: Buffer.from(odd) }]);
    expect(binaryRows(Buffer.concat(chunks))).toEqual([['9007199254740993', -1000n, null, odd.replaceAll('\u0000', '\ufffd')]]);
    expect(new BodyCopyWriter().chunks([{ seq: '1', startedAt: 0 }]).chunks).toEqual([]);
    expect(() => new BodyCopyWriter().chunks([{ seq: '1', startedAt: Number.NaN, requestBody: Buffer.from('{}') }])).toThrow(RangeError);
  });

  it('reuses a batch\'s buffer once it was sent, and never while it may still be sending', () => {
    const writer = new BodyCopyWriter();
    const rows = bodyRows(sampleRecords(30));
    const first = writer.chunks(rows);
    const unfinished = writer.chunks(rows);
    expect(unfinished.chunks[0]!.buffer).not.toBe(first.chunks[0]!.buffer);
    first.done();
    const second = writer.chunks(rows);
    expect(second.chunks[0]!.buffer).toBe(first.chunks[0]!.buffer);
    expect(binaryRows(Buffer.concat(second.chunks))).toEqual(binaryRows(Buffer.concat(unfinished.chunks)));
    // `unfinished` never finished: its buffer is not handed out again.
    expect(writer.chunks(rows).chunks[0]!.buffer).not.toBe(unfinished.chunks[0]!.buffer);
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
        : [{ seq: seqs[index]!.seq, started_at: new Date(record.startedAt), request_body: record.requestBody ?? null, response_body: record.responseBody ?? null }],
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
    expect(rowCopyChunks(batches[0]!, seqs, 64 * 1024).length).toBeGreaterThan(1);
    expect(new BodyCopyWriter().chunks(batches[0]!.map((record, index) => ({ seq: seqs[index]!, startedAt: record.startedAt, requestBody: Buffer.from(record.requestBody ?? '') }))).chunks.length).toBeGreaterThan(1);
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

  it('stores NUL and lone surrogates as U+FFFD in the row, and the bodies exactly as logged, instead of failing the batch', async () => {
    const odd = makeRecord({
      id: 'unstorable',
      startedAt: base + 7,
      errorMessage: 'nul \u0000 here',
      metadata: { 'k\ud800': 'v \udc00', nul: 'a\u0000b' },
      guardrails: [{ name: 'g \u0000', stage: 'input', passed: true, action: 'log', latencyMs: 1, explanation: 'cut \ud83d' }],
      bodyMode: 'full',
      requestBody: JSON.stringify({ messages: [{ role: 'user', content: 'cut \ud83d and nul \u0000' }] }),
      responseBody: JSON.stringify({ choices: [{ message: { content: '\udc00 alone' } }] }),
    });
    await fastStore.write([odd]);
    const detail = await fastStore.get('unstorable');
    expect(detail?.error_message).toBe('nul \ufffd here');
    expect(detail?.metadata).toEqual({ 'k\ufffd': 'v \ufffd', nul: 'a\ufffdb' });
    expect(detail?.guardrails).toEqual([{ name: 'g \ufffd', stage: 'input', passed: true, action: 'log', latency_ms: 1, explanation: 'cut \ufffd' }]);
    // The bodies are JSON text, where the two are escapes: they read back as they were.
    expect(detail?.request_body).toEqual({ messages: [{ role: 'user', content: 'cut \ud83d and nul \u0000' }] });
    expect(detail?.response_body).toEqual({ choices: [{ message: { content: '\udc00 alone' } }] });
  });

  it('rejects a batch the server refuses, promptly, and leaves no connection in an aborted transaction', async () => {
    // A token count past bigint's range: the server refuses the row, and with it the COPY.
    const refused = makeRecord({ id: 'refused', startedAt: base + 9, usage: { prompt_tokens: 1e30, completion_tokens: 1, total_tokens: 1 } });
    const started = Date.now();
    await expect(fastStore.write([...sampleRecords(5), refused])).rejects.toThrow(/bigint|out of range|invalid input/);
    expect(Date.now() - started).toBeLessThan(3000);
    const aborted = await fast.sql`SELECT count(*)::int AS count FROM pg_stat_activity WHERE state = 'idle in transaction (aborted)' AND pid <> pg_backend_pid()`;
    expect(aborted[0]!.count).toBe(0);
    // Nothing of the refused batch was stored, and the next batch goes through.
    expect(await fastStore.get('refused')).toBeUndefined();
    await fastStore.write([makeRecord({ id: 'after-refused', startedAt: base + 10 })]);
    expect((await fastStore.get('after-refused'))?.id).toBe('after-refused');
  });
});
