/**
 * The request log record of real requests through the gateway, read back
 * through GET /admin/logs/:id: a plain, a streamed, a fallen-back, a cached
 * and a refused request.
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/api/errors.js';
import type { Stage } from '../../src/server/pipeline.js';
import { startFaultMock, type FaultMock } from '../mocks/fault-mock.js';
import { eventually, refusingStage, startTelemetryGateway, type TelemetryGateway } from './helpers.js';

let a: FaultMock;
let b: FaultMock;
let harness: TelemetryGateway;

const cacheStage: Stage = {
  name: 'cache',
  before(exchange) {
    if (exchange.context.request.headers['x-test-cache'] !== 'hit') {
      exchange.cacheStatus = 'MISS';
      return;
    }
    exchange.cacheStatus = 'HIT';
    exchange.usage = { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 };
    exchange.cost = { usd: 0, estimated: false, unpriced: false, savedUsd: 0.0042 };
    return {
      completion: { id: 'chatcmpl-cached', object: 'chat.completion', created: 1, model: 'm1', choices: [{ index: 0, message: { role: 'assistant', content: 'from the cache' }, finish_reason: 'stop', logprobs: null }], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } },
    };
  },
};

beforeAll(async () => {
  [a, b] = await Promise.all([startFaultMock('a'), startFaultMock('b')]);
  harness = await startTelemetryGateway({
    config: {
      providers: { pa: { type: 'openai', api_key: 'sk-test-provider-key-aaaaaaaaaaaa', base_url: `${a.url}/v1` }, pb: { type: 'openai', api_key: 'k', base_url: `${b.url}/v1` } },
      routes: { smart: { strategy: { mode: 'fallback' }, targets: [{ provider: 'pa', model: 'm1' }, { provider: 'pb', model: 'm2' }] } },
    },
    stages: [refusingStage(() => new GatewayError('invalid_request', { status: 429, message: 'Rate limit reached for key-9.' })), cacheStage],
    telemetry: { logging: { bodies: 'full' } },
  });
});
afterEach(() => {
  a.reset();
  b.reset();
});
afterAll(async () => {
  await harness.close();
  await Promise.all([a.close(), b.close()]);
});

function client(headers: Record<string, string> = {}): OpenAI {
  return new OpenAI({ apiKey: 'unused', baseURL: harness.gateway.baseURL, defaultHeaders: headers, maxRetries: 0 });
}

async function record(id: string): Promise<any> {
  return eventually(async () => {
    await harness.telemetry.flush();
    const answer = await harness.admin(`/admin/logs/${id}`);
    expect(answer.status).toBe(200);
    return answer.body;
  });
}

describe('the request log record', () => {
  it('of a plain request', async () => {
    const completion = await client({ 'x-request-id': 'plain-1', 'x-switchyard-metadata': JSON.stringify({ feature: 'search' }) }).chat.completions.create({ model: 'pa/m1', messages: [{ role: 'user', content: 'hello sk-proj-abcdefghijklmnopqrstuvwxyz1234' }], temperature: 0.2 });
    expect(completion.choices[0]!.message.content).toBe('served by a');
    const row = await record('plain-1');
    expect(row).toMatchObject({
      id: 'plain-1',
      kind: 'chat',
      method: 'POST',
      endpoint: '/v1/chat/completions',
      key_id: 'key-9',
      key_name: 'blocked',
      team_id: 'team-9',
      user_id: 'user-9',
      metadata: { tier: 'free', feature: 'search' },
      route: null,
      model_requested: 'pa/m1',
      model_served: 'm1',
      provider: 'pa',
      status: 200,
      error_code: null,
      streamed: false,
      prompt_tokens: 5,
      completion_tokens: 2,
      cached_tokens: null,
      reasoning_tokens: null,
      tokens_estimated: false,
      cache_status: 'MISS',
      cache_savings_usd: null,
      attempt_count: 1,
      fallback: false,
      body_mode: 'full',
      guardrails: [],
    });
    expect(row.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(Date.parse(row.started_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(row.latency_ms).toBeGreaterThan(0);
    expect(row.ttft_ms).toBeLessThanOrEqual(row.latency_ms);
    expect(row.attempts).toEqual([{ target: 'root', provider: 'pa', model: 'm1', status: 200, latency_ms: row.attempts[0].latency_ms, error: null, code: null, retry: 0 }]);
    expect(row.request_body.messages).toEqual([{ role: 'user', content: 'hello [REDACTED …1234]' }]);
    expect(row.request_body.temperature).toBe(0.2);
    expect(row.response_body.choices[0].message.content).toBe('served by a');
  });

  it('of a streamed request', async () => {
    const stream = await client({ 'x-request-id': 'stream-1' }).chat.completions.create({ model: 'pa/m1', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('a-0 a-1 ');
    const row = await record('stream-1');
    expect(row).toMatchObject({ id: 'stream-1', streamed: true, status: 200, model_served: 'm1', provider: 'pa', attempt_count: 1, fallback: false });
    expect(row.ttft_ms).toBeGreaterThan(0);
    expect(row.ttft_ms).toBeLessThanOrEqual(row.latency_ms);
    expect(row.response_body.choices[0].message.content).toBe('a-0 a-1 ');
    // This upstream's stream carries no usage, and the gateway counted none: the record says so rather than guessing.
    expect([row.prompt_tokens, row.completion_tokens, row.tokens_estimated]).toEqual([null, null, false]);
  });

  it('of a request that fell back', async () => {
    a.script({ kind: 'status', status: 503 });
    const completion = await client({ 'x-request-id': 'fallback-1' }).chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]!.message.content).toBe('served by b');
    const row = await record('fallback-1');
    expect(row).toMatchObject({ route: 'smart', model_requested: 'smart', model_served: 'm2', provider: 'pb', status: 200, attempt_count: 2, fallback: true });
    expect(row.attempts.map((attempt: any) => [attempt.target, attempt.provider, attempt.model, attempt.status, attempt.code, attempt.retry])).toEqual([
      ['targets[0]', 'pa', 'm1', 503, 'upstream_error', 0],
      ['targets[1]', 'pb', 'm2', 200, null, 0],
    ]);
    expect(row.attempts[0].error).toBe('a failed with 503');
  });

  it('of a cached request', async () => {
    const completion = await client({ 'x-request-id': 'cached-1', 'x-test-cache': 'hit' }).chat.completions.create({ model: 'pa/m1', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]!.message.content).toBe('from the cache');
    expect(a.requests).toHaveLength(0);
    const row = await record('cached-1');
    expect(row).toMatchObject({ status: 200, cache_status: 'HIT', cache_savings_usd: 0.0042, cost_usd: 0, attempt_count: 0, model_served: null, provider: null, prompt_tokens: 5, completion_tokens: 2 });
    expect(row.attempts).toEqual([]);
  });

  it('of a refused request', async () => {
    const error = await client({ 'x-request-id': 'refused-1', 'x-test-refuse': 'yes' })
      .chat.completions.create({ model: 'pa/m1', messages: [{ role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
    const row = await record('refused-1');
    expect(row).toMatchObject({ status: 429, error_code: 'invalid_request', error_message: 'Rate limit reached for key-9.', key_id: 'key-9', attempt_count: 0, model_requested: 'pa/m1', model_served: null, provider: null, prompt_tokens: null, cost_usd: null });
    expect(a.requests).toHaveLength(0);
  });

  it('of a request whose body is not JSON (it never reached the stages)', async () => {
    const response = await fetch(`${harness.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'x-request-id': 'bad-json-1', 'content-type': 'application/json' }, body: '{' });
    expect(response.status).toBe(400);
    const row = await record('bad-json-1');
    expect(row).toMatchObject({ status: 400, error_code: 'invalid_json', model_requested: null, key_id: null, request_body: null });
  });
});
