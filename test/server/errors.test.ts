import OpenAI from 'openai';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalog, GatewayError } from '../../src/api/errors.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { sendJson } from '../mocks/mock-server.js';
import { startOpenAIMock, type OpenAIMock } from '../mocks/openai-mock.js';

let mock: OpenAIMock;
let gateway: TestGateway;

beforeAll(async () => {
  mock = await startOpenAIMock({ apiKey: 'k' });
  gateway = await startGateway({
    config: {
      server: { body_limit_bytes: 2048 },
      timeouts: { first_byte_ms: 300 },
      providers: { openai: { api_key: 'k', base_url: `${mock.url}/v1` }, dead: { type: 'openai', api_key: 'k', base_url: 'http://127.0.0.1:1/v1' } },
    },
  });
});
afterAll(async () => {
  await gateway.close();
  await mock.close();
});

async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: await response.json() };
}

const chat = (model: string, extra: object = {}): string => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extra });

describe('client errors get a 4xx in the OpenAI shape', () => {
  it('malformed JSON → 400 invalid_json', async () => {
    const { status, body } = await post('/v1/chat/completions', '{"model": ');
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json', param: null });
    expect(body.error.message).toMatch(/not valid JSON/);
  });

  it('a schema violation names the field path', async () => {
    const { status, body } = await post('/v1/chat/completions', JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'x' }], temperature: 7 }));
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.param).toBe('temperature');
    expect(body.error.message).toContain('temperature');
    const nested = await post('/v1/chat/completions', JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] }));
    expect(nested.status).toBe(400);
    expect(nested.body.error.param).toBe('messages.0.content');
  });

  it('a model name over 256 characters → 400 naming model, for chat and embeddings alike', async () => {
    const long = `openai/${'x'.repeat(250)}`;
    for (const [path, body] of [
      ['/v1/chat/completions', chat(long)],
      ['/v1/embeddings', JSON.stringify({ model: long, input: 'hi' })],
    ] as const) {
      const { status, body: answer } = await post(path, body);
      expect(status).toBe(400);
      expect(answer.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request', param: 'model' });
      expect(answer.error.message).toMatch(/model: .*256/);
    }
    expect((await post('/v1/chat/completions', chat(`nosuch/${'x'.repeat(249)}`))).body.error.code).toBe('unknown_provider');
  });

  it('an unknown provider → 400 unknown_provider; an unknown bare model → 404', async () => {
    const unknown = await post('/v1/chat/completions', chat('nosuch/model-x'));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('unknown_provider');
    expect(unknown.body.error.message).toContain("'nosuch'");
    expect(unknown.body.error.param).toBe('model');
  });

  it('a body over the limit → 413', async () => {
    const { status, body } = await post('/v1/chat/completions', chat('openai/gpt-4o', { padding: 'x'.repeat(4096) }));
    expect(status).toBe(413);
    expect(body.error.code).toBe('body_too_large');
  });

  it('an unknown route → 404 and a wrong method → 405, both in the OpenAI shape', async () => {
    const notFound = await fetch(`${gateway.url}/nope`);
    expect(notFound.status).toBe(404);
    expect((await notFound.json()).error.code).toBe('not_found');
    const wrongMethod = await fetch(`${gateway.url}/v1/chat/completions`);
    expect(wrongMethod.status).toBe(405);
  });
});

describe('upstream failures', () => {
  it('an unreachable upstream → 502 upstream_unreachable', async () => {
    const { status, body } = await post('/v1/chat/completions', chat('dead/gpt-4o'));
    expect(status).toBe(502);
    expect(body.error.code).toBe('upstream_unreachable');
    expect(body.error.provider).toBe('dead');
  });

  it('a timed-out upstream → 504 upstream_timeout', async () => {
    mock.next(async (_request, response) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      sendJson(response, 200, {});
    });
    const { status, body } = await post('/v1/chat/completions', chat('openai/gpt-4o'));
    expect(status).toBe(504);
    expect(body.error.code).toBe('upstream_timeout');
  });

  it.each([400, 401, 403, 404, 408, 413, 422, 429, 500, 503])('the provider status %i is kept, with its message', async (code) => {
    mock.next((_request, response) => sendJson(response, code, { error: { message: `upstream said ${code}`, type: 'some_type', param: null, code: `c${code}` } }));
    const { status, body } = await post('/v1/chat/completions', chat('openai/gpt-4o'));
    expect(status).toBe(code);
    expect(body.error).toMatchObject({ message: `openai: upstream said ${code}`, code: `c${code}`, type: 'some_type', provider: 'openai' });
  });

  it('the SDK sees a 429 as RateLimitError', async () => {
    mock.next((_request, response) => sendJson(response, 429, { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, { 'retry-after': '3' }));
    const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'x', maxRetries: 0 });
    const error = await client.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('3');
  });

  it('passes on the wait an upstream asked for in so many words, and no other', async () => {
    // A gateway of its own: the tests above leave this file's openai target behind an open circuit breaker.
    const upstream = await startOpenAIMock({ apiKey: 'k' });
    const own = await startGateway({ config: { providers: { openai: { api_key: 'k', base_url: `${upstream.url}/v1` } } } });
    try {
      const ask = (): Promise<Response> => fetch(`${own.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chat('openai/gpt-4o') });
      upstream.next((_request, response) => sendJson(response, 429, { error: { message: 'slow down', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, { 'retry-after-ms': '2500' }));
      const inMilliseconds = await ask();
      expect(inMilliseconds.status).toBe(429);
      expect(inMilliseconds.headers.get('retry-after')).toBe('3');
      // OpenAI sends its rate-limit resets on every answer; they are not a request to wait.
      upstream.next((_request, response) => sendJson(response, 400, { error: { message: 'bad', type: 'invalid_request_error', param: null, code: null } }, { 'x-ratelimit-reset-requests': '2s' }));
      const resetOnly = await ask();
      expect(resetOnly.status).toBe(400);
      expect(resetOnly.headers.get('retry-after')).toBeNull();
    } finally {
      await own.close();
      await upstream.close();
    }
  });
});

describe('the error catalog', () => {
  it('retryability follows the status: 408, 409, 429 and 5xx, network failures and time-outs', () => {
    expect(new GatewayError('upstream_error', { status: 429 }).isRetryable).toBe(true);
    expect(new GatewayError('upstream_error', { status: 503 }).isRetryable).toBe(true);
    expect(new GatewayError('upstream_error', { status: 408 }).isRetryable).toBe(true);
    expect(new GatewayError('upstream_error', { status: 400 }).isRetryable).toBe(false);
    expect(new GatewayError('upstream_unreachable').isRetryable).toBe(true);
    expect(new GatewayError('upstream_timeout').isRetryable).toBe(true);
    expect(new GatewayError('invalid_request').isRetryable).toBe(false);
  });

  it('every code is documented in docs/errors.md, and nothing else is', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((match) => [match[1], Number(match[2])]);
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(Object.entries(errorCatalog).map(([code, entry]) => [code, entry.status])));
  });
});
