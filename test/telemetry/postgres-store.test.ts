/** The PostgreSQL sink against the real server: day partitions are created and dropped by retention, and the query API answers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, type PostgresClient } from '../../src/storage/postgres.js';
import { postgresMigrations } from '../../src/telemetry/storage/postgres-schema.js';
import { parseAnalyticsQuery, parseLogQuery } from '../../src/telemetry/query/query-schema.js';
import { createPostgresStore, type PostgresStore } from '../../src/telemetry/storage/postgres-store.js';
import { postgresGate } from '../helpers/services.js';
import { isolatedPostgres, makeRecord } from './helpers.js';

const gate = postgresGate();
const hour = 3_600_000;
const day = 24 * hour;
const base = Date.UTC(2025, 0, 15);

describe.skipIf(gate.skip)('the PostgreSQL log store', () => {
  let database: Awaited<ReturnType<typeof isolatedPostgres>>;
  let sql: PostgresClient;
  let store: PostgresStore;

  beforeAll(async () => {
    database = await isolatedPostgres(gate.url!);
    sql = database.sql;
    store = await createPostgresStore(sql, { retentionDays: 30 });
  });
  afterAll(() => database?.drop());

  it('creates a day partition of both tables for each day written, and retention drops whole ones', async () => {
    await store.write([
      makeRecord({ id: 'p-old', startedAt: base - 40 * day }),
      makeRecord({ id: 'p-edge', startedAt: base - 30 * day + hour }),
      makeRecord({ id: 'p-new', startedAt: base + hour }),
    ]);
    expect(await store.partitions.list('request_log')).toEqual(['request_log_p20241206', 'request_log_p20241216', 'request_log_p20250115']);
    expect(await store.partitions.list('request_log_bodies')).toEqual(['request_log_bodies_p20241206', 'request_log_bodies_p20241216', 'request_log_bodies_p20250115']);
    const rows = await sql`SELECT id, tableoid::regclass::text AS partition FROM request_log ORDER BY started_at`;
    expect(rows.map((row) => [row.id, row.partition])).toEqual([['p-old', 'request_log_p20241206'], ['p-edge', 'request_log_p20241216'], ['p-new', 'request_log_p20250115']]);

    const report = await store.maintain(base + 2 * hour);
    expect(report.droppedPartitions).toEqual(['request_log_p20241206', 'request_log_bodies_p20241206']);
    expect(await store.partitions.list('request_log')).toEqual(['request_log_p20241216', 'request_log_p20250115', 'request_log_p20250116', 'request_log_p20250117']);
    expect((await sql`SELECT id FROM request_log ORDER BY started_at`).map((row) => row.id)).toEqual(['p-edge', 'p-new']);
    expect((await sql`SELECT count(*)::int AS count FROM request_log_bodies`)[0]!.count).toBe(2);

    const later = await store.maintain(base + 16 * day);
    expect(later.droppedPartitions).toEqual(['request_log_p20241216', 'request_log_bodies_p20241216']);
    expect((await sql`SELECT id FROM request_log`).map((row) => row.id)).toEqual(['p-new']);
    await sql`TRUNCATE request_log, request_log_bodies`;
  });

  it('answers the query API: filters, cursor pages, a detail and analytics', async () => {
    await store.write([
      makeRecord({ id: 'a', startedAt: base + 1 * hour, latencyMs: 100, cost: { usd: 0.01, estimated: false, unpriced: false } }),
      makeRecord({ id: 'b', startedAt: base + 2 * hour, latencyMs: 200, provider: 'anthropic', modelServed: 'claude', principal: { keyId: 'key-2', teamId: 'team-2', metadata: {} }, metadata: { env: 'dev' }, cost: { usd: 0.02, estimated: true, unpriced: false } }),
      makeRecord({ id: 'c', startedAt: base + 2 * hour + 60_000, latencyMs: 300, status: 503, errorCode: 'upstream_error', usage: undefined, cost: undefined }),
      makeRecord({ id: 'd', startedAt: base + 3 * hour, latencyMs: 400, cacheStatus: 'HIT', cost: { usd: 0, estimated: false, unpriced: false, savedUsd: 0.005 } }),
    ]);
    const ids = async (query: string): Promise<string[]> => (await store.list(parseLogQuery(new URLSearchParams(query)))).data.map((row) => row.id);
    expect(await ids('')).toEqual(['d', 'c', 'b', 'a']);
    expect(await ids(`from=${base + 2 * hour}&to=${base + 3 * hour}`)).toEqual(['c', 'b']);
    expect(await ids('key=key-2')).toEqual(['b']);
    expect(await ids('team=team-1&provider=openai')).toEqual(['d', 'c', 'a']);
    expect(await ids('model=claude')).toEqual(['b']);
    expect(await ids('status=5xx')).toEqual(['c']);
    expect(await ids('min_cost=0.01')).toEqual(['b', 'a']);
    expect(await ids('max_cost=0.001')).toEqual(['d']);
    expect(await ids('metadata.env=dev')).toEqual(['b']);
    expect(await ids('metadata.env=prod&metadata.feature=search')).toEqual(['d', 'c', 'a']);

    const first = await store.list(parseLogQuery(new URLSearchParams('limit=3')));
    expect(first.data.map((row) => row.id)).toEqual(['d', 'c', 'b']);
    const second = await store.list(parseLogQuery(new URLSearchParams(`limit=3&cursor=${first.next_cursor}`)));
    expect(second.data.map((row) => row.id)).toEqual(['a']);
    expect(second.next_cursor).toBeNull();

    const detail = await store.get('a');
    expect(detail).toMatchObject({ id: 'a', started_at: '2025-01-15T01:00:00.000Z', prompt_tokens: 10, cached_tokens: 2, reasoning_tokens: 1, cost_usd: 0.01, metadata: { env: 'prod', feature: 'search' }, streamed: false, fallback: false });
    expect(detail?.attempts).toEqual([{ target: 'targets[0]', provider: 'openai', model: 'gpt-4o', status: 200, latency_ms: 100, error: null, code: null, retry: 0 }]);
    expect(detail?.request_body).toEqual({ model: 'smart', messages: [{ role: 'user', content_chars: 2 }] });

    const analytics = await store.analytics(parseAnalyticsQuery(new URLSearchParams(`from=${base}&to=${base + day}&bucket=day&group_by=provider`), 0));
    expect(analytics).toEqual([
      { start: '2025-01-15T00:00:00.000Z', group: 'anthropic', requests: 1, errors: 0, error_rate: 0, prompt_tokens: 10, completion_tokens: 5, cached_tokens: 2, reasoning_tokens: 1, cost_usd: 0.02, p50_ms: 200, p95_ms: 200, p50_ttft_ms: 80, cache_hits: 0, cache_savings_usd: 0, rate_limited: 0, fallbacks: 0 },
      { start: '2025-01-15T00:00:00.000Z', group: 'openai', requests: 3, errors: 1, error_rate: 0.3333, prompt_tokens: 20, completion_tokens: 10, cached_tokens: 4, reasoning_tokens: 2, cost_usd: 0.01, p50_ms: 300, p95_ms: 390, p50_ttft_ms: 80, cache_hits: 1, cache_savings_usd: 0.005, rate_limited: 0, fallbacks: 0 },
    ]);
    const hourly = await store.analytics(parseAnalyticsQuery(new URLSearchParams(`from=${base}&to=${base + day}&bucket=hour`), 0));
    expect(hourly.map((bucket) => [bucket.start, bucket.requests])).toEqual([['2025-01-15T01:00:00.000Z', 1], ['2025-01-15T02:00:00.000Z', 2], ['2025-01-15T03:00:00.000Z', 1]]);
  });

  it('answers a 50,000-row query in time order through the partitions', async () => {
    const count = 50_000;
    const records = Array.from({ length: count }, (_, index) => makeRecord({ id: `bulk-${index}`, startedAt: base + 5 * day + Math.floor((index * 10 * day) / count), principal: { keyId: `key-${index % 50}`, teamId: `team-${index % 5}`, metadata: {} }, requestBody: undefined, responseBody: undefined }));
    for (let offset = 0; offset < count; offset += 5000) await store.write(records.slice(offset, offset + 5000));
    expect((await store.partitions.list('request_log')).length).toBeGreaterThanOrEqual(10);
    const page = await store.list(parseLogQuery(new URLSearchParams(`key=key-7&from=${base + 6 * day}&limit=20`)));
    expect(page.data.map((row) => row.id)).toEqual(Array.from({ length: 20 }, (_, index) => `bulk-${count - 43 - 50 * index}`));
    const analytics = await store.analytics(parseAnalyticsQuery(new URLSearchParams(`from=${base + 5 * day}&to=${base + 15 * day}&bucket=day&group_by=team`), 0));
    expect(analytics).toHaveLength(50);
    expect(analytics.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(count);
  }, 60_000);

  it('keeps bodies as JSON text, lz4-compressed on the table and on every partition; an older log is converted in place', async () => {
    const older = await isolatedPostgres(gate.url!);
    try {
      // A log made before bodies were text: jsonb bodies, in a partition that exists before the upgrade.
      await migratePostgres(older.sql, 'telemetry', postgresMigrations.slice(0, 2));
      await older.sql.unsafe(`CREATE TABLE request_log_p20250115 PARTITION OF request_log FOR VALUES FROM ('2025-01-15') TO ('2025-01-16')`);
      await older.sql.unsafe(`CREATE TABLE request_log_bodies_p20250115 PARTITION OF request_log_bodies FOR VALUES FROM ('2025-01-15') TO ('2025-01-16')`);
      await older.sql.unsafe(`INSERT INTO request_log_bodies VALUES (1, '2025-01-15T01:00:00Z', '{"model": "smart"}'::jsonb, NULL)`);
      const upgraded = await createPostgresStore(older.sql, { retentionDays: 30 });
      await upgraded.write([makeRecord({ id: 'after', startedAt: base + 5 * day, bodyMode: 'full', requestBody: '{"a":  1,"z":"\\u0000"}', responseBody: undefined })]);
      const columns = await older.sql<{ relation: string; type: string; compression: string }[]>`
        SELECT attrelid::regclass::text AS relation, atttypid::regtype::text AS type, attcompression::text AS compression
        FROM pg_attribute WHERE attname = 'request_body' AND attrelid::regclass::text LIKE 'request_log_bodies%' ORDER BY 1`;
      const hasLz4 = (await older.sql`SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`).length > 0;
      expect(columns.map((column) => column.relation)).toEqual(['request_log_bodies', 'request_log_bodies_p20250115', 'request_log_bodies_p20250120']);
      for (const column of columns) expect([column.type, column.compression]).toEqual(['text', hasLz4 ? 'l' : '']);
      // The old body reads back as its JSON; the new one is stored as the very text it was logged as.
      expect((await older.sql`SELECT request_body FROM request_log_bodies WHERE seq = 1`)[0]!.request_body).toBe('{"model": "smart"}');
      expect((await older.sql`SELECT request_body FROM request_log_bodies WHERE started_at > '2025-01-19'`)[0]!.request_body).toBe('{"a":  1,"z":"\\u0000"}');
      expect((await upgraded.get('after'))?.request_body).toEqual({ a: 1, z: '\u0000' });
    } finally {
      await older.drop();
    }
  });
});
