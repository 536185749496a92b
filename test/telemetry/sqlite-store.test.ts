/** The SQLite sink: writes, every /admin/logs filter, cursor pages, one record's detail, analytics, retention and the size cap. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDatabase } from '../../src/storage/sqlite.js';
import { parseAnalyticsQuery, parseLogQuery } from '../../src/telemetry/query/query-schema.js';
import type { LogStore } from '../../src/telemetry/storage/log-store.js';
import { packRecord } from '../../src/telemetry/record/packed-record.js';
import { createSqliteStore } from '../../src/telemetry/storage/sqlite-store.js';
import { makeRecord } from './helpers.js';

const hour = 3_600_000;
const day = 24 * hour;
const base = Date.UTC(2025, 0, 15, 0, 0, 0);

let database: SqliteDatabase;
let store: LogStore;

beforeEach(() => {
  database = openSqlite(':memory:');
  store = createSqliteStore(database, { retentionDays: 30, maxBytes: 1024 * 1024 * 1024 });
});
afterEach(() => database.close());

async function seed(): Promise<void> {
  await store.write([
    makeRecord({ id: 'a', startedAt: base + 1 * hour, latencyMs: 100, provider: 'openai', modelServed: 'gpt-4o', cost: { usd: 0.01, estimated: false, unpriced: false } }),
    makeRecord({ id: 'b', startedAt: base + 2 * hour, latencyMs: 200, provider: 'anthropic', modelServed: 'claude', principal: { keyId: 'key-2', teamId: 'team-2', metadata: {} }, metadata: { env: 'dev' }, cost: { usd: 0.02, estimated: true, unpriced: false } }),
    makeRecord({ id: 'c', startedAt: base + 2 * hour + 60_000, latencyMs: 300, status: 503, errorCode: 'upstream_error', errorMessage: 'down', usage: undefined, cost: undefined }),
    makeRecord({ id: 'd', startedAt: base + 3 * hour, latencyMs: 400, cacheStatus: 'HIT', cost: { usd: 0, estimated: false, unpriced: false, savedUsd: 0.005 } }),
    makeRecord({ id: 'e', startedAt: base + 3 * hour + 1, latencyMs: 500, status: 429, errorCode: 'invalid_request', provider: undefined, modelServed: undefined, attempts: [], usage: undefined, cost: undefined }),
  ]);
}

const ids = async (query: string): Promise<string[]> => (await store.list(parseLogQuery(new URLSearchParams(query)))).data.map((row) => row.id);

describe('the SQLite log store', () => {
  it('filters on time, key, team, model, provider, status, cost and metadata', async () => {
    await seed();
    expect(await ids('')).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(await ids(`from=${base + 2 * hour}&to=${base + 3 * hour}`)).toEqual(['c', 'b']);
    expect(await ids(`from=${new Date(base + 2 * hour).toISOString()}`)).toEqual(['e', 'd', 'c', 'b']);
    expect(await ids('key=key-2')).toEqual(['b']);
    expect(await ids('team=team-1')).toEqual(['e', 'd', 'c', 'a']);
    expect(await ids('model=claude')).toEqual(['b']);
    expect(await ids('model=smart')).toEqual(['e']);
    expect(await ids('provider=anthropic')).toEqual(['b']);
    expect(await ids('status=503')).toEqual(['c']);
    expect(await ids('status=error')).toEqual(['e', 'c']);
    expect(await ids('status=4xx')).toEqual(['e']);
    expect(await ids('status=success')).toEqual(['d', 'b', 'a']);
    expect(await ids('min_cost=0.01')).toEqual(['b', 'a']);
    expect(await ids('min_cost=0.005&max_cost=0.015')).toEqual(['a']);
    expect(await ids('metadata.env=dev')).toEqual(['b']);
    expect(await ids('metadata.env=prod&metadata.feature=search')).toEqual(['e', 'd', 'c', 'a']);
    expect(await ids('metadata.env=prod&key=key-2')).toEqual([]);
    expect(await ids('cache_status=HIT')).toEqual(['d']);
    expect(await ids('error_code=upstream_error')).toEqual(['c']);
  });

  it('rejects unknown filters and bad values with a 400', () => {
    expect(() => parseLogQuery(new URLSearchParams('colour=red'))).toThrow(/colour/);
    expect(() => parseLogQuery(new URLSearchParams('status=teapot'))).toThrow(/status/);
    expect(() => parseLogQuery(new URLSearchParams('from=yesterday'))).toThrow(/from/);
    expect(() => parseLogQuery(new URLSearchParams('limit=501'))).toThrow(/limit/);
  });

  it('pages with a cursor, newest first, without gaps or repeats', async () => {
    await seed();
    const first = await store.list(parseLogQuery(new URLSearchParams('limit=2')));
    expect(first.data.map((row) => row.id)).toEqual(['e', 'd']);
    const second = await store.list(parseLogQuery(new URLSearchParams(`limit=2&cursor=${first.next_cursor}`)));
    expect(second.data.map((row) => row.id)).toEqual(['c', 'b']);
    const third = await store.list(parseLogQuery(new URLSearchParams(`limit=2&cursor=${second.next_cursor}`)));
    expect(third.data.map((row) => row.id)).toEqual(['a']);
    expect(third.next_cursor).toBeNull();
    expect(() => parseLogQuery(new URLSearchParams('cursor=')).cursor).toThrow();
    await expect(store.list(parseLogQuery(new URLSearchParams('cursor=bm9wZQ')))).rejects.toThrow(/cursor/);
  });

  it('answers a list row and a detail with exactly the stored fields', async () => {
    await store.write([makeRecord()]);
    const page = await store.list(parseLogQuery(new URLSearchParams('')));
    expect(page.data[0]).toEqual({
      id: 'req-1',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      started_at: '2025-01-15T12:00:00.000Z',
      kind: 'chat',
      method: 'POST',
      endpoint: '/v1/chat/completions',
      key_id: 'key-1',
      key_name: 'ci',
      team_id: 'team-1',
      user_id: 'user-1',
      metadata: { env: 'prod', feature: 'search' },
      route: 'smart',
      model_requested: 'smart',
      model_served: 'gpt-4o',
      provider: 'openai',
      status: 200,
      error_code: null,
      error_message: null,
      streamed: false,
      latency_ms: 120,
      ttft_ms: 80,
      prompt_tokens: 10,
      completion_tokens: 5,
      cached_tokens: 2,
      reasoning_tokens: 1,
      tokens_estimated: false,
      cost_usd: 0.001,
      cost_estimated: false,
      cost_unpriced: false,
      cache_status: 'MISS',
      cache_savings_usd: null,
      attempt_count: 1,
      fallback: false,
    });
    const detail = await store.get('req-1');
    expect(detail).toEqual({
      ...page.data[0],
      attempts: [{ target: 'targets[0]', provider: 'openai', model: 'gpt-4o', status: 200, latency_ms: 100, error: null, code: null, retry: 0 }],
      guardrails: [],
      body_mode: 'metadata',
      request_body: { model: 'smart', messages: [{ role: 'user', content_chars: 2 }] },
      response_body: { id: 'chatcmpl-1', model: 'gpt-4o', choices: [{ finish_reason: 'stop', content_chars: 5 }] },
    });
    expect(await store.get('nope')).toBeUndefined();
  });

  it('stores a packed record as it stores the record: the same detail, and its bodies as text', async () => {
    const requestBody = '{"messages":[{"role":"user","content":"naïve café 😀"}]}';
    const responseBody = '{"choices":[{"message":{"content":"déjà vu"}}]}';
    await store.write([makeRecord({ id: 'whole', startedAt: base, requestBody, responseBody })]);
    await store.writePacked!([packRecord(makeRecord({ id: 'packed', startedAt: base, requestBody, responseBody }))]);
    const whole = await store.get('whole');
    const packed = await store.get('packed');
    expect(packed).toEqual({ ...whole, id: 'packed' });
    expect(packed?.request_body).toEqual(JSON.parse(requestBody));
    const stored = database.prepare('SELECT typeof(request_body) AS request, typeof(response_body) AS response, response_body AS text FROM request_log_bodies').all();
    expect(stored).toEqual([
      { request: 'text', response: 'text', text: responseBody },
      { request: 'text', response: 'text', text: responseBody },
    ]);
  });

  it('keeps bodies out of the log table', () => {
    const columns = (database.prepare("SELECT name FROM pragma_table_info('request_log')").pluck().all() as string[]).filter((name) => name.includes('body'));
    expect(columns).toEqual(['body_mode']);
  });

  it('aggregates per bucket and group', async () => {
    await seed();
    const answer = await store.analytics(parseAnalyticsQuery(new URLSearchParams(`from=${base}&to=${base + day}&bucket=hour&group_by=provider`), 0));
    expect(answer).toEqual([
      { start: '2025-01-15T01:00:00.000Z', group: 'openai', requests: 1, errors: 0, error_rate: 0, prompt_tokens: 10, completion_tokens: 5, cached_tokens: 2, reasoning_tokens: 1, cost_usd: 0.01, p50_ms: 100, p95_ms: 100, p50_ttft_ms: 80, cache_hits: 0, cache_savings_usd: 0, rate_limited: 0, fallbacks: 0 },
      { start: '2025-01-15T02:00:00.000Z', group: 'anthropic', requests: 1, errors: 0, error_rate: 0, prompt_tokens: 10, completion_tokens: 5, cached_tokens: 2, reasoning_tokens: 1, cost_usd: 0.02, p50_ms: 200, p95_ms: 200, p50_ttft_ms: 80, cache_hits: 0, cache_savings_usd: 0, rate_limited: 0, fallbacks: 0 },
      { start: '2025-01-15T02:00:00.000Z', group: 'openai', requests: 1, errors: 1, error_rate: 1, prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0, reasoning_tokens: 0, cost_usd: 0, p50_ms: 300, p95_ms: 300, p50_ttft_ms: 80, cache_hits: 0, cache_savings_usd: 0, rate_limited: 0, fallbacks: 0 },
      { start: '2025-01-15T03:00:00.000Z', group: null, requests: 1, errors: 1, error_rate: 1, prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0, reasoning_tokens: 0, cost_usd: 0, p50_ms: 500, p95_ms: 500, p50_ttft_ms: 80, cache_hits: 0, cache_savings_usd: 0, rate_limited: 1, fallbacks: 0 },
      { start: '2025-01-15T03:00:00.000Z', group: 'openai', requests: 1, errors: 0, error_rate: 0, prompt_tokens: 10, completion_tokens: 5, cached_tokens: 2, reasoning_tokens: 1, cost_usd: 0, p50_ms: 400, p95_ms: 400, p50_ttft_ms: 80, cache_hits: 1, cache_savings_usd: 0.005, rate_limited: 0, fallbacks: 0 },
    ]);
    const daily = await store.analytics(parseAnalyticsQuery(new URLSearchParams(`from=${base}&to=${base + day}&bucket=day`), 0));
    expect(daily).toEqual([
      { start: '2025-01-15T00:00:00.000Z', group: null, requests: 5, errors: 2, error_rate: 0.4, prompt_tokens: 30, completion_tokens: 15, cached_tokens: 6, reasoning_tokens: 3, cost_usd: 0.03, p50_ms: 300, p95_ms: 480, p50_ttft_ms: 80, cache_hits: 1, cache_savings_usd: 0.005, rate_limited: 1, fallbacks: 0 },
    ]);
    const filtered = await store.analytics(parseAnalyticsQuery(new URLSearchParams(`from=${base}&to=${base + day}&bucket=day&group_by=key&status=success`), 0));
    expect(filtered.map((bucket) => [bucket.group, bucket.requests])).toEqual([['key-1', 2], ['key-2', 1]]);
  });

  it('defaults analytics to the last 24 hours and refuses too many buckets', () => {
    const now = base + 5 * day;
    const query = parseAnalyticsQuery(new URLSearchParams(''), now);
    expect([query.filter.from, query.filter.to, query.bucket, query.groupBy]).toEqual([now - day, now, 'hour', undefined]);
    expect(() => parseAnalyticsQuery(new URLSearchParams(`from=0&to=${now}&bucket=minute`), now)).toThrow(/buckets/);
    expect(() => parseAnalyticsQuery(new URLSearchParams(`from=${now}&to=${now}`), now)).toThrow(/before/);
  });

  it('retention removes records older than the retention days, with their bodies and metadata', async () => {
    await store.write([makeRecord({ id: 'old', startedAt: base - 31 * day }), makeRecord({ id: 'edge', startedAt: base - 30 * day + 1 }), makeRecord({ id: 'new', startedAt: base })]);
    const report = await store.maintain(base);
    expect(report).toEqual({ removedRecords: 1, droppedPartitions: [] });
    expect(await ids('')).toEqual(['new', 'edge']);
    expect(database.prepare('SELECT count(*) FROM request_log_bodies').pluck().get()).toBe(2);
    expect(database.prepare('SELECT count(*) FROM request_log_metadata').pluck().get()).toBe(4);
  });

  it('the size cap removes the oldest records until the database fits', async () => {
    const capped = openSqlite(':memory:');
    const small = createSqliteStore(capped, { retentionDays: 365, maxBytes: 1024 * 1024 * 1024 });
    const bigStore = createSqliteStore(database, { retentionDays: 365, maxBytes: 1024 * 1024 * 1024 });
    const records = Array.from({ length: 3000 }, (_, index) => makeRecord({ id: `r${index}`, startedAt: base + index * 1000 }));
    await small.write(records);
    await bigStore.write(records);
    const used = (db: SqliteDatabase): number => ((db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number)) * (db.pragma('page_size', { simple: true }) as number);
    const full = used(capped);
    const limited = createSqliteStore(capped, { retentionDays: 365, maxBytes: Math.floor(full / 2) });
    const report = await limited.maintain(base);
    expect(report.removedRecords).toBeGreaterThan(0);
    expect(used(capped)).toBeLessThanOrEqual(Math.floor(full / 2));
    const left = capped.prepare('SELECT min(started_at) AS oldest, count(*) AS count FROM request_log').get() as { oldest: number; count: number };
    expect(left.count).toBe(3000 - report.removedRecords);
    expect(left.count).toBeGreaterThan(1000);
    expect(left.oldest).toBe(base + report.removedRecords * 1000);
    expect(await bigStore.maintain(base)).toEqual({ removedRecords: 0, droppedPartitions: [] });
    capped.close();
  });
});
