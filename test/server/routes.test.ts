import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { sendJson, startMockServer, type MockUpstream } from '../mocks/mock-server.js';

let upstream: MockUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startMockServer((request, response) => {
    if (request.headers.authorization !== 'Bearer sk-up') return sendJson(response, 401, { error: { message: 'bad key', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    sendJson(response, 200, { path: request.path, query: Object.fromEntries(request.query), body: request.body, beta: request.headers['openai-beta'] ?? null }, { 'x-upstream': 'yes' });
  });
  gateway = await startGateway({
    config: {
      providers: { openai: { api_key: 'sk-up', base_url: `${upstream.url}/v1`, models: ['gpt-4o', 'gpt-4o-mini'] }, groq: { api_key: 'sk-up', base_url: `${upstream.url}/groq/v1` } },
      models: { fast: { provider: 'groq', model: 'llama-3.3-70b' } },
    },
  });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

describe('routes', () => {
  it('GET /v1/models lists the aliases and the configured providers\' models', async () => {
    const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'x' });
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['fast', 'openai/gpt-4o', 'openai/gpt-4o-mini']);
  });

  it('other /v1/* paths pass through unchanged, with the provider key, query and headers', async () => {
    const response = await fetch(`${gateway.url}/v1/responses?include=x`, { method: 'POST', headers: { 'content-type': 'application/json', 'openai-beta': 'assistants=v2', authorization: 'Bearer client' }, body: JSON.stringify({ model: 'gpt-4o', input: 'hi' }) });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-upstream')).toBe('yes');
    expect(await response.json()).toEqual({ path: '/v1/responses', query: { include: 'x' }, body: { model: 'gpt-4o', input: 'hi' }, beta: 'assistants=v2' });
  });

  it('a provider prefix in the body picks an OpenAI-dialect provider and is stripped', async () => {
    const response = await fetch(`${gateway.url}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'groq/llama-3.3-70b', input: 'hi' }) });
    expect(await response.json()).toMatchObject({ path: '/groq/v1/responses', body: { model: 'llama-3.3-70b' } });
    expect(response.headers.get('x-switchyard-provider')).toBe('groq');
  });

  it('GET passthrough works too, and x-request-id is propagated', async () => {
    const response = await fetch(`${gateway.url}/v1/files`, { headers: { 'x-request-id': 'req-abc.1' } });
    expect(await response.json()).toMatchObject({ path: '/v1/files' });
    expect(response.headers.get('x-request-id')).toBe('req-abc.1');
  });

  it('without x-request-id, the gateway makes UUIDv7 ids, which sort in the order the requests came', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 20; index++) {
      const response = await fetch(`${gateway.url}/v1/files`);
      await response.arrayBuffer();
      ids.push(response.headers.get('x-request-id') ?? '');
    }
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // The first 48 bits are the time in milliseconds.
    const millis = Number.parseInt(ids[0]!.replaceAll('-', '').slice(0, 12), 16);
    expect(Math.abs(millis - Date.now())).toBeLessThan(60_000);
  });
});
