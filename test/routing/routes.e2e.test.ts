import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayConfigInput } from '../../src/routing/config-schema.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { startFaultMock, type FaultMock } from '../mocks/fault-mock.js';

let a: FaultMock;
let b: FaultMock;
let c: FaultMock;
const gateways: TestGateway[] = [];

beforeAll(async () => {
  [a, b, c] = await Promise.all([startFaultMock('a'), startFaultMock('b'), startFaultMock('c')]);
});
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  for (const mock of [a, b, c]) mock.reset();
});
afterAll(() => Promise.all([a, b, c].map((mock) => mock.close())));

function providers(): GatewayConfigInput['providers'] {
  return {
    pa: { type: 'openai', api_key: 'k', base_url: `${a.url}/v1` },
    pb: { type: 'openai', api_key: 'k', base_url: `${b.url}/v1` },
    pc: { type: 'openai', api_key: 'k', base_url: `${c.url}/v1` },
  };
}

async function gatewayWith(config: Partial<GatewayConfigInput>): Promise<TestGateway> {
  const gateway = await startGateway({ config: { providers: providers(), ...config } });
  gateways.push(gateway);
  return gateway;
}

async function chat(gateway: TestGateway, model: string, headers: Record<string, string> = {}, extra: object = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extra }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const fallbackRoute = { strategy: { mode: 'fallback' as const }, targets: [{ provider: 'pa', model: 'm1' }, { provider: 'pb', model: 'm2' }] };

describe('fallback', () => {
  it('falls back on a 503 and says so in the headers', async () => {
    const gateway = await gatewayWith({ routes: { smart: fallbackRoute } });
    a.script({ kind: 'status', status: 503 });
    const { status, headers, body } = await chat(gateway, 'smart');
    expect(status).toBe(200);
    expect(body.choices[0].message.content).toBe('served by b');
    expect(headers.get('x-switchyard-target')).toBe('targets[1]');
    expect(headers.get('x-switchyard-attempts')).toBe('2');
    expect(headers.get('x-switchyard-fallback-reason')).toBe('targets[0]: upstream_error 503 from pa');
    expect(headers.get('x-switchyard-provider')).toBe('pb');
    expect(headers.get('x-switchyard-model')).toBe('m2');
    expect(b.last().body.model).toBe('m2');
  });

  it('does not fall back on a client error (400) by default', async () => {
    const gateway = await gatewayWith({ routes: { smart: fallbackRoute } });
    a.script({ kind: 'status', status: 400, message: 'bad request' });
    const { status, body } = await chat(gateway, 'smart');
    expect(status).toBe(400);
    expect(body.error.message).toBe('pa: bad request');
    expect(b.requests).toHaveLength(0);
  });

  it('on_status_codes decides what counts as a failure', async () => {
    const gateway = await gatewayWith({ routes: { smart: { ...fallbackRoute, strategy: { mode: 'fallback', on_status_codes: [401] } } } });
    a.script({ kind: 'status', status: 401 });
    expect((await chat(gateway, 'smart')).body.choices[0].message.content).toBe('served by b');
    a.script({ kind: 'status', status: 503 });
    expect((await chat(gateway, 'smart')).status).toBe(503);
  });

  it('falls back on a reset before the headers, and on a first-byte time-out', async () => {
    const gateway = await gatewayWith({ routes: { smart: { ...fallbackRoute, timeouts: { first_byte_ms: 200 } } } });
    a.script({ kind: 'reset' });
    expect((await chat(gateway, 'smart')).body.choices[0].message.content).toBe('served by b');
    a.script({ kind: 'delay-headers', delayMs: 1500 });
    const started = Date.now();
    const slow = await chat(gateway, 'smart');
    expect(slow.body.choices[0].message.content).toBe('served by b');
    expect(slow.headers.get('x-switchyard-fallback-reason')).toBe('targets[0]: upstream_timeout from pa');
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it('the last failure is returned when every target fails, with the attempts counted', async () => {
    const gateway = await gatewayWith({ routes: { smart: fallbackRoute } });
    a.script({ kind: 'status', status: 503 });
    b.script({ kind: 'status', status: 502 });
    const { status, headers, body } = await chat(gateway, 'smart');
    expect(status).toBe(502);
    expect(body.error.provider).toBe('pb');
    expect(headers.get('x-switchyard-attempts')).toBe('2');
  });

  it('nested trees inherit params and credentials, and report the path', async () => {
    const gateway = await gatewayWith({
      routes: {
        nested: {
          strategy: { mode: 'fallback' },
          override_params: { temperature: 0.1 },
          targets: [
            { provider: 'pa', model: 'm1' },
            { strategy: { mode: 'single' }, provider: 'pc', override_params: { max_tokens: 9 }, targets: [{ model: 'm3' }] },
          ],
        },
      },
    });
    a.script({ kind: 'status', status: 500 });
    const { headers } = await chat(gateway, 'nested', {}, { temperature: 0.9 });
    expect(headers.get('x-switchyard-target')).toBe('targets[1].targets[0]');
    expect(c.last().body).toMatchObject({ model: 'm3', temperature: 0.1, max_tokens: 9 });
  });
});

describe('retries', () => {
  it('retries the same target with backoff, then serves', async () => {
    const gateway = await gatewayWith({ routes: { r: { provider: 'pa', model: 'm', retry: { attempts: 2, base_ms: 10, max_ms: 50 } } } });
    a.script({ kind: 'status', status: 503 }, { kind: 'status', status: 429 });
    const { status, headers } = await chat(gateway, 'r');
    expect(status).toBe(200);
    expect(a.requests).toHaveLength(3);
    expect(headers.get('x-switchyard-attempts')).toBe('3');
  });

  it('honours retry-after-ms, capped by max_ms', async () => {
    const gateway = await gatewayWith({ routes: { r: { provider: 'pa', model: 'm', retry: { attempts: 1, base_ms: 1, max_ms: 2000, use_retry_after: true } } } });
    a.script({ kind: 'status', status: 429, headers: { 'retry-after-ms': '400' } });
    await chat(gateway, 'r');
    expect(a.arrivals[a.arrivals.length - 1]! - a.arrivals[a.arrivals.length - 2]!).toBeGreaterThanOrEqual(380);
    const capped = await gatewayWith({ routes: { r: { provider: 'pa', model: 'm', retry: { attempts: 1, base_ms: 1, max_ms: 100, use_retry_after: true } } } });
    a.script({ kind: 'status', status: 429, headers: { 'retry-after': '30' } });
    const started = Date.now();
    expect((await chat(capped, 'r')).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('does not retry a 400', async () => {
    const gateway = await gatewayWith({ routes: { r: { provider: 'pa', model: 'm', retry: { attempts: 3, base_ms: 1 } } } });
    a.script({ kind: 'status', status: 400 });
    expect((await chat(gateway, 'r')).status).toBe(400);
    expect(a.requests).toHaveLength(1);
  });

  it('a total retry budget bounds retries across targets', async () => {
    const gateway = await gatewayWith({ routing: { retry_budget: 1 }, routes: { r: { ...fallbackRoute, retry: { attempts: 3, base_ms: 1, max_ms: 2 } } } });
    a.script({ kind: 'status', status: 503 }, { kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    b.script({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    const { status } = await chat(gateway, 'r');
    expect(status).toBe(503);
    expect(a.requests.length + b.requests.length).toBe(3);
  });
});

describe('streaming fallback', () => {
  async function stream(gateway: TestGateway, model: string): Promise<string> {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    return response.text();
  }

  it('a stream that fails before its first byte falls back transparently', async () => {
    const gateway = await gatewayWith({ routes: { smart: fallbackRoute } });
    a.script({ kind: 'stream', chunks: 3, dropAfter: 0 });
    const text = await stream(gateway, 'smart');
    expect(text).toContain('b-0');
    expect(text).not.toContain('"error"');
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
  });

  it('after the first byte, a drop ends the stream with an error event and no fallback', async () => {
    const gateway = await gatewayWith({ routes: { smart: fallbackRoute } });
    a.script({ kind: 'stream', chunks: 5, dropAfter: 2, gapMs: 30 });
    const text = await stream(gateway, 'smart');
    expect(text).toContain('a-1');
    expect(text).toContain('"code":"stream_interrupted"');
    expect(text).not.toContain('[DONE]');
    expect(b.requests).toHaveLength(0);
  });

  it('a stream that stalls after it started ends with a time-out error event', async () => {
    const gateway = await gatewayWith({ routes: { smart: { ...fallbackRoute, timeouts: { stream_idle_ms: 200 } } } });
    a.script({ kind: 'stream', chunks: 5, stallAfter: 2 });
    const text = await stream(gateway, 'smart');
    expect(text).toContain('"code":"upstream_timeout"');
    expect(text).not.toContain('[DONE]');
  });
});

describe('load balancing and conditions', () => {
  it('a weight of 0 is never picked', async () => {
    const gateway = await gatewayWith({ routes: { lb: { strategy: { mode: 'loadbalance' }, targets: [{ provider: 'pa', model: 'm', weight: 0 }, { provider: 'pb', model: 'm', weight: 1 }] } } });
    for (let index = 0; index < 20; index += 1) await chat(gateway, 'lb');
    expect(a.requests).toHaveLength(0);
    expect(b.requests).toHaveLength(20);
  });

  it('least-busy sends concurrent requests to the idle target', async () => {
    const gateway = await gatewayWith({ routes: { lb: { strategy: { mode: 'loadbalance', policy: 'least-busy' }, targets: [{ provider: 'pa', model: 'm' }, { provider: 'pb', model: 'm' }] } } });
    a.script({ kind: 'ok', delayMs: 300 }, { kind: 'ok', delayMs: 300 });
    b.script({ kind: 'ok', delayMs: 300 }, { kind: 'ok', delayMs: 300 });
    await Promise.all([0, 1, 2, 3].map(() => chat(gateway, 'lb')));
    expect(a.requests).toHaveLength(2);
    expect(b.requests).toHaveLength(2);
  });

  it('conditional routing reads metadata and params, with a default', async () => {
    const gateway = await gatewayWith({
      routes: {
        cond: {
          strategy: { mode: 'conditional', conditions: [{ query: { 'metadata.tier': { $eq: 'pro' } }, then: 'big' }, { query: { 'params.temperature': { $gt: 1 } }, then: 'hot' }], default: 'small' },
          targets: [{ name: 'big', provider: 'pa', model: 'm' }, { name: 'small', provider: 'pb', model: 'm' }, { name: 'hot', provider: 'pc', model: 'm' }],
        },
      },
    });
    expect((await chat(gateway, 'cond', { 'x-switchyard-metadata': '{"tier":"pro"}' })).body.choices[0].message.content).toBe('served by a');
    expect((await chat(gateway, 'cond', {}, { temperature: 1.5 })).body.choices[0].message.content).toBe('served by c');
    expect((await chat(gateway, 'cond')).body.choices[0].message.content).toBe('served by b');
  });
});

describe('regional routing', () => {
  const regional = (mode: 'require' | 'prefer') => ({
    strategy: { mode: 'fallback' as const },
    region_policy: { mode, allowed: { eu: ['eu-west-1', 'eu-central-1'] } },
    targets: [
      { provider: 'pa', model: 'm', region: 'us-east-1' },
      { provider: 'pb', model: 'm', region: 'eu-west-1' },
      { provider: 'pc', model: 'm', region: 'eu-central-1' },
    ],
  });

  it('require: an EU request is served only in the EU, falling back within it', async () => {
    const gateway = await gatewayWith({ routes: { geo: regional('require') } });
    b.script({ kind: 'status', status: 503 });
    const { body, headers } = await chat(gateway, 'geo', { 'x-switchyard-region': 'eu' });
    expect(body.choices[0].message.content).toBe('served by c');
    expect(headers.get('x-switchyard-target')).toBe('targets[2]');
    expect(a.requests).toHaveLength(0);
  });

  it('require: when the region has no working target the request fails, and never leaves it', async () => {
    const gateway = await gatewayWith({ routes: { geo: regional('require') } });
    b.script({ kind: 'status', status: 503 });
    c.script({ kind: 'status', status: 503 });
    expect((await chat(gateway, 'geo', { 'x-switchyard-metadata': '{"region":"eu"}' })).status).toBe(503);
    expect(a.requests).toHaveLength(0);
    const none = await chat(gateway, 'geo', { 'x-switchyard-region': 'ap' });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('no_compliant_target');
    expect(a.requests.length + b.requests.length + c.requests.length).toBe(2);
  });

  it('prefer: the caller\'s region goes first, others still serve as a fallback', async () => {
    const gateway = await gatewayWith({ routes: { geo: regional('prefer') } });
    expect((await chat(gateway, 'geo', { 'x-switchyard-region': 'eu' })).body.choices[0].message.content).toBe('served by b');
    b.script({ kind: 'status', status: 503 });
    c.script({ kind: 'status', status: 503 });
    expect((await chat(gateway, 'geo', { 'x-switchyard-region': 'eu' })).body.choices[0].message.content).toBe('served by a');
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, skips the target, then lets one probe through', async () => {
    const gateway = await gatewayWith({ routing: { circuit_breaker: { consecutive_failures: 2, cooldown_ms: 400 } }, routes: { smart: fallbackRoute } });
    a.script({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    await chat(gateway, 'smart');
    await chat(gateway, 'smart');
    expect(a.requests).toHaveLength(2);
    const skipped = await chat(gateway, 'smart');
    expect(skipped.body.choices[0].message.content).toBe('served by b');
    expect(skipped.headers.get('x-switchyard-fallback-reason')).toBe('targets[0]: circuit_open from pa');
    expect(a.requests).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect((await chat(gateway, 'smart')).body.choices[0].message.content).toBe('served by a');
    expect(a.requests).toHaveLength(3);
  });
});

describe('per-request config', () => {
  it('x-switchyard-config takes inline JSON', async () => {
    const gateway = await gatewayWith({ routing: { allow_private_custom_hosts: true } });
    const config = JSON.stringify({ strategy: { mode: 'fallback' }, targets: [{ provider: 'pa', model: 'x' }, { provider: 'openai', base_url: `${c.url}/v1`, api_key: 'k', model: 'y' }] });
    a.script({ kind: 'status', status: 503 });
    const { body, headers } = await chat(gateway, 'ignored', { 'x-switchyard-config': config });
    expect(body.choices[0].message.content).toBe('served by c');
    expect(headers.get('x-switchyard-target')).toBe('targets[1]');
  });

  it('a bad config is a 400 naming the path of the error', async () => {
    const gateway = await gatewayWith({});
    const bad = await chat(gateway, 'm', { 'x-switchyard-config': JSON.stringify({ strategy: { mode: 'fallback' }, targets: [{ provider: 'pa', weight: -1 }] }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_config');
    expect(bad.body.error.message).toContain('x-switchyard-config targets.0.weight');
    const mode = await chat(gateway, 'm', { 'x-switchyard-config': JSON.stringify({ strategy: { mode: 'roundrobin' }, targets: [{ provider: 'pa' }] }) });
    expect(mode.body.error.message).toContain('x-switchyard-config strategy.mode');
    const notJson = await chat(gateway, 'm', { 'x-switchyard-config': '{nope' });
    expect(notJson.body.error.code).toBe('invalid_config');
  });

  it('a saved config is referred to by id; an unknown id is a 400', async () => {
    const gateway = await gatewayWith({ configs: { 'cfg-1': { provider: 'pb', model: 'saved' } } });
    expect((await chat(gateway, 'whatever', { 'x-switchyard-config': 'cfg-1' })).body.choices[0].message.content).toBe('served by b');
    expect(b.last().body.model).toBe('saved');
    const missing = await chat(gateway, 'whatever', { 'x-switchyard-config': 'cfg-404' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('config_not_found');
  });

  it('client-supplied hosts may not reach private addresses unless allowed', async () => {
    const gateway = await gatewayWith({});
    const config = JSON.stringify({ provider: 'openai', api_key: 'k', base_url: `${c.url}/v1`, model: 'y' });
    const refused = await chat(gateway, 'm', { 'x-switchyard-config': config });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('custom_host_forbidden');
    expect(c.requests).toHaveLength(0);
  });

  it('the OpenAI SDK sees the route headers', async () => {
    const gateway = await gatewayWith({ routes: { smart: fallbackRoute } });
    a.script({ kind: 'status', status: 500 });
    const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'x', maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(data.choices[0]!.message.content).toBe('served by b');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
  });
});
