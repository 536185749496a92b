import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/routing/load-config.js';
import { composeGateway, type ComposedGateway } from '../../src/server/compose.js';
import { fixturesDir } from '../mocks/mock-server.js';
import { startOpenAIMock, type OpenAIMock } from '../mocks/openai-mock.js';

/** The whole gateway as `npm start` builds it (embedded mode): every stage wired, in order. */
let mock: OpenAIMock;
let composed: ComposedGateway;
let url: string;
const admin = { authorization: 'Bearer admin-test', 'content-type': 'application/json' };

beforeAll(async () => {
  mock = await startOpenAIMock({ apiKey: 'sk-up' });
  const env = { SWITCHYARD_DB: path.join(mkdtempSync(path.join(tmpdir(), 'sy-compose-')), 'switchyard.db'), SWITCHYARD_ADMIN_TOKEN: 'admin-test', SWITCHYARD_MASTER_KEY: randomBytes(32).toString('base64') };
  const config = parseConfig(
    {
      providers: { openai: { api_key: 'sk-up', base_url: `${mock.url}/v1` } },
      routes: {
        cached: { provider: 'openai', model: 'gpt-4.1-nano', cache: { mode: 'simple', ttl: 60 } },
        guarded: { provider: 'openai', model: 'gpt-4.1-nano', input_guardrails: [{ 'default.regexMatch': { rule: 'DROP TABLE', not: true }, deny: true }] },
      },
      telemetry: { logging: { flush_interval_ms: 50 } },
    },
    env,
  );
  composed = await composeGateway(config, env, pino({ level: 'silent' }));
  const address = await composed.gateway.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await composed.stop(1000);
  await mock.close();
});

async function logsFor(requestId: string): Promise<any> {
  for (let tries = 0; tries < 100; tries += 1) {
    const response = await fetch(`${url}/admin/logs/${requestId}`, { headers: admin });
    if (response.status === 200) return response.json();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no log record for ${requestId}`);
}

describe('the composed gateway', () => {
  it('runs open until a key exists, then needs one; the key is never sent upstream', async () => {
    const open = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
    expect((await open.chat.completions.create({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }] })).choices[0]!.message.content).toBeTruthy();

    const created = await fetch(`${url}/admin/keys`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'e2e', limits: { rpm: 100 } }) });
    expect(created.status).toBe(201);
    const { secret } = await created.json();
    expect(secret).toMatch(/^sy-/);

    const refused = await open.chat.completions.create({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);

    const keyed = new OpenAI({ baseURL: `${url}/v1`, apiKey: secret, maxRetries: 0 });
    const { data, response } = await keyed.chat.completions.create({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(data.choices[0]!.message.content).toBeTruthy();
    expect(mock.last().headers.authorization).toBe('Bearer sk-up');
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('100');
    expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeGreaterThan(0);
    expect(mock.last().headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);

    const record = await logsFor(response.headers.get('x-request-id')!);
    expect(record).toMatchObject({ key_name: 'e2e', provider: 'openai', model_served: 'gpt-4.1-nano', status: 200 });
    expect(record.cost_usd).toBeGreaterThan(0);
    process.env.E2E_SECRET = secret;
  });

  it('a cached route answers the second request from the cache, free, and logs it as a hit', async () => {
    const keyed = new OpenAI({ baseURL: `${url}/v1`, apiKey: process.env.E2E_SECRET!, maxRetries: 0 });
    const before = mock.requests.length;
    const first = await keyed.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: 'same question' }] }).withResponse();
    expect(first.response.headers.get('x-switchyard-cache')).toBe('MISS');
    // The cache writes in `finish`, after the response: give it a moment.
    let second;
    for (let tries = 0; tries < 50; tries += 1) {
      second = await keyed.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: 'same question' }] }).withResponse();
      if (second.response.headers.get('x-switchyard-cache') === 'HIT') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(second!.response.headers.get('x-switchyard-cache')).toBe('HIT');
    expect(second!.data.choices[0]!.message.content).toBe(first.data.choices[0]!.message.content);
    expect(mock.requests.length - before).toBeLessThan(3);
    const record = await logsFor(second!.response.headers.get('x-request-id')!);
    expect(record.cache_status).toBe('HIT');
    expect(record.cost_usd).toBe(0);
  });

  it('a stream through every stage keeps the provider\'s chunk text, and is still metered, logged and cached', async () => {
    const lines = readFileSync(path.join(fixturesDir, 'openai/chat/openai-text.chunks.txt'), 'utf8').split('\n').filter(Boolean);
    // The second frame is sent with a space after each key: only the original text keeps it.
    const spaced = lines[1]!.replaceAll('":', '": ');
    mock.next((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(lines.map((line, index) => `data: ${index === 1 ? spaced : line}\n\n`).join(''));
    });
    const headers = { authorization: `Bearer ${process.env.E2E_SECRET}`, 'content-type': 'application/json' };
    const body = { model: 'cached', messages: [{ role: 'user', content: 'a streamed question' }], stream: true, stream_options: { include_usage: true } };
    const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await response.text();
    expect(response.headers.get('x-switchyard-cache')).toBe('MISS');
    // The governance, cache and log observers do not stop the unchanged text from going out as it came.
    expect(text).toContain(`data: ${spaced.replace(',"usage": null', '')}\n\n`);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const record = await logsFor(response.headers.get('x-request-id')!);
    expect(record).toMatchObject({ streamed: true, status: 200 });
    expect(record.cost_usd).toBeGreaterThan(0);
    expect(record.completion_tokens).toBeGreaterThan(0);
    let again: Response | undefined;
    for (let tries = 0; tries < 50; tries += 1) {
      again = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
      await again.text();
      if (again.headers.get('x-switchyard-cache') === 'HIT') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(again!.headers.get('x-switchyard-cache')).toBe('HIT');
  });

  it('a route\'s input guardrail denies with 446 and the request never reaches the provider', async () => {
    const before = mock.requests.length;
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${process.env.E2E_SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'guarded', messages: [{ role: 'user', content: 'please DROP TABLE users' }] }),
    });
    expect(response.status).toBe(446);
    expect((await response.json()).error.code).toBe('guardrail_denied');
    expect(mock.requests.length).toBe(before);
  });

  it('serves /metrics and the dashboard', async () => {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('switchyard_requests_total{');
    // `npm ci` builds the dashboard into dist/web (the prepare script), so it is there to serve.
    const dashboard = await fetch(`${url}/dashboard/`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('<div id="app"');
  });
});
