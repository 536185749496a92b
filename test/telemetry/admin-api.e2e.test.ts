/** The admin endpoints over HTTP: auth, /admin/logs, /admin/logs/:id, /admin/analytics, the live tail (SSE), /metrics, and JSON lines. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createJsonLinesWriter } from '../../src/telemetry/pipeline/json-lines.js';
import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/api/errors.js';
import { startFaultMock, type FaultMock } from '../mocks/fault-mock.js';
import { adminToken, eventually, makeRecord, refusingStage, startTelemetryGateway, temporaryDirectory, type TelemetryGateway } from './helpers.js';

let upstream: FaultMock;
let harness: TelemetryGateway;
let directory: ReturnType<typeof temporaryDirectory>;

beforeAll(async () => {
  upstream = await startFaultMock('up');
  directory = temporaryDirectory('telemetry-admin');
  harness = await startTelemetryGateway({
    config: { providers: { up: { type: 'openai', api_key: 'k', base_url: `${upstream.url}/v1` } } },
    stages: [refusingStage(() => new GatewayError('invalid_request', { status: 429, message: 'Slow down.' }))],
    telemetry: { logging: { jsonl: path.join(directory.path, 'requests.jsonl'), bodies: 'none' } },
  });
});
afterAll(async () => {
  await harness.close();
  await upstream.close();
  directory.remove();
});

async function chat(id: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': id, ...headers },
    body: JSON.stringify({ model: 'up/m', messages: [{ role: 'user', content: 'hi' }], metadata: { feature: id.startsWith('x') ? 'x' : 'y' } }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('the telemetry admin API', () => {
  it('needs the admin token', async () => {
    for (const route of ['/admin/logs', '/admin/logs/any', '/admin/analytics', '/admin/logs/stream']) {
      const response = await fetch(`${harness.gateway.url}${route}`, { headers: { authorization: 'Bearer wrong' } });
      expect([route, response.status]).toEqual([route, 401]);
      await response.arrayBuffer();
    }
  });

  it('lists, filters and pages records, and answers one by id', async () => {
    expect(await chat('x-1')).toBe(200);
    expect(await chat('x-2')).toBe(200);
    expect(await chat('y-1', { 'x-test-refuse': 'yes' })).toBe(429);
    await harness.telemetry.flush();
    const page = await harness.admin('/admin/logs?limit=2');
    expect(page.status).toBe(200);
    expect(page.body.data.map((row: { id: string }) => row.id)).toEqual(['y-1', 'x-2']);
    expect(typeof page.body.next_cursor).toBe('string');
    const next = await harness.admin(`/admin/logs?limit=2&cursor=${page.body.next_cursor}`);
    expect(next.body).toMatchObject({ data: [{ id: 'x-1' }], next_cursor: null });
    expect((await harness.admin('/admin/logs?status=429')).body.data.map((row: { id: string }) => row.id)).toEqual(['y-1']);
    expect((await harness.admin('/admin/logs?metadata.feature=x')).body.data.map((row: { id: string }) => row.id)).toEqual(['x-2', 'x-1']);
    const detail = await harness.admin('/admin/logs/x-1');
    expect(detail.body).toMatchObject({ id: 'x-1', status: 200, body_mode: 'none', request_body: null, response_body: null, attempts: [{ target: 'root', provider: 'up', model: 'm', status: 200 }] });
    const missing = await harness.admin('/admin/logs/nope');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found']);
    const bad = await harness.admin('/admin/logs?status=weird');
    expect([bad.status, bad.body.error.code, bad.body.error.param]).toEqual([400, 'invalid_request', 'status']);
  });

  it('answers analytics in the documented shape', async () => {
    const now = Date.now();
    const answer = await harness.admin(`/admin/analytics?from=${now - 3_600_000}&to=${now + 60_000}&bucket=day&group_by=team`);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(['from', 'to', 'bucket', 'group_by', 'buckets']);
    expect(answer.body.bucket).toBe('day');
    expect(answer.body.group_by).toBe('team');
    const total = answer.body.buckets.reduce((sum: number, bucket: { requests: number }) => sum + bucket.requests, 0);
    const errors = answer.body.buckets.reduce((sum: number, bucket: { errors: number }) => sum + bucket.errors, 0);
    expect([total, errors]).toEqual([3, 1]);
    expect(answer.body.buckets[0]).toEqual(expect.objectContaining({ group: 'team-9', p50_ms: expect.any(Number), p95_ms: expect.any(Number), cache_hits: 0, cache_savings_usd: 0 }));
  });

  it('streams new records as Server-Sent Events, filtered', async () => {
    const controller = new AbortController();
    const response = await fetch(`${harness.gateway.url}/admin/logs/stream?status=success`, { headers: { authorization: `Bearer ${adminToken}` }, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events: { event?: string; data: string }[] = [];
    const parser = createParser({ onEvent: (event) => events.push({ event: event.event, data: event.data }) });
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body!) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      } catch {
        // aborted at the end of the test
      }
    })();
    await eventually(() => expect(harness.telemetry.store).toBeDefined());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await chat('y-2', { 'x-test-refuse': 'yes' })).toBe(429);
    expect(await chat('x-3')).toBe(200);
    await eventually(() => expect(events).toHaveLength(1));
    controller.abort();
    await reading;
    expect(events[0]!.event).toBeUndefined();
    const row = JSON.parse(events[0]!.data);
    expect(row).toMatchObject({ id: 'x-3', status: 200, model_served: 'm', provider: 'up', metadata: { feature: 'x', tier: 'free' } });
    expect(row).not.toHaveProperty('attempts');
  });

  it('serves Prometheus metrics', async () => {
    await harness.telemetry.flush();
    const response = await fetch(`${harness.gateway.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('switchyard_requests_total{route="none",provider="up",model="m",kind="chat",status="200"} 3');
    expect(text).toContain('switchyard_requests_total{route="none",provider="none",model="up/m",kind="chat",status="429"} 2');
    expect(text).toContain('switchyard_tokens_total{provider="up",model="m",type="prompt"} 15');
    expect(text).toContain('switchyard_tokens_total{provider="up",model="m",type="completion"} 6');
    expect(text).toMatch(/switchyard_request_duration_seconds_count\{route="none",provider="up",model="m"\} 3/);
    expect(text).toMatch(/switchyard_upstream_duration_seconds_count\{provider="up",model="m",status="200"\} 3/);
    expect(text).toMatch(/switchyard_time_to_first_token_seconds_count\{provider="up",model="m",streamed="false"\} 3/);
    expect(text).toContain('switchyard_log_queue_depth 0');
    harness.telemetry.metrics.setBreakerState('up/m', 'open');
    harness.telemetry.metrics.countRateLimited('requests');
    harness.telemetry.metrics.countBudgetRefused('team');
    const after = await (await fetch(`${harness.gateway.url}/metrics`)).text();
    expect(after).toContain('switchyard_circuit_breaker_state{target="up/m"} 2');
    expect(after).toContain('switchyard_rate_limited_total{kind="requests"} 1');
    expect(after).toContain('switchyard_budget_refused_total{scope="team"} 1');
  });

  it('writes every record as a JSON line', async () => {
    await harness.telemetry.flush();
    const lines = readFileSync(path.join(directory.path, 'requests.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.id)).toEqual(['x-1', 'x-2', 'y-1', 'y-2', 'x-3']);
    expect(lines[0]).toMatchObject({ id: 'x-1', status: 200, kind: 'chat', provider: 'up', bodyMode: 'none' });
  });
});

describe('/metrics behind the admin token', () => {
  it('answers 401 without it and 200 with it', async () => {
    const guarded = await startTelemetryGateway({ telemetry: { metrics: { require_admin_token: true } } });
    try {
      expect((await fetch(`${guarded.gateway.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${guarded.gateway.url}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('JSON lines to stdout drop (counted) what a stalled destination cannot take', async () => {
    const received: string[] = [];
    let stalled = false;
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk.toString('utf8'));
        if (!stalled) callback();
      },
    });
    const drops: [string, number][] = [];
    const writer = createJsonLinesWriter('stdout', (reason, count) => void drops.push([reason, count]), { stdout, maxPendingBytes: 10 })!;
    writer.write(makeRecord({ id: 'out-1' }));
    await writer.flush();
    stalled = true;
    writer.write(makeRecord({ id: 'out-2' }));
    void writer.flush();
    writer.write(makeRecord({ id: 'out-3' }));
    writer.write(makeRecord({ id: 'out-4' }));
    await writer.flush();
    expect(received.join('').trim().split('\n').map((line) => JSON.parse(line).id)).toEqual(['out-1', 'out-2']);
    expect(drops).toEqual([['jsonl_backpressure', 2]]);
  });
});
