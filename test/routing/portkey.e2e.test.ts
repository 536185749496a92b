import { Portkey } from 'portkey-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portkeyConfigToRoute } from '../../src/routing/portkey-config.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { startFaultMock, type FaultMock } from '../mocks/fault-mock.js';

let a: FaultMock;
let b: FaultMock;
let gateway: TestGateway;

beforeAll(async () => {
  [a, b] = await Promise.all([startFaultMock('a'), startFaultMock('b')]);
  gateway = await startGateway({ config: { routing: { allow_private_custom_hosts: true } } });
});
afterAll(async () => {
  await gateway.close();
  await Promise.all([a.close(), b.close()]);
});

function portkey(options: Record<string, unknown>): Portkey {
  return new Portkey({ apiKey: 'portkey-key', baseURL: gateway.baseURL, ...options });
}

describe('the portkey-ai SDK, unchanged, against Switchyard', () => {
  it('chat with x-portkey-provider and a custom host', async () => {
    const client = portkey({ provider: 'openai', customHost: `${a.url}/v1`, Authorization: 'Bearer sk-provider' });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices![0]!.message!.content).toBe('served by a');
    expect(a.last().body.model).toBe('gpt-4o-mini');
    expect(a.last().headers.authorization).toBe('Bearer sk-provider');
  });

  it('streaming', async () => {
    const client = portkey({ provider: 'openai', customHost: `${a.url}/v1`, Authorization: 'Bearer sk-provider' });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const chunk of stream as AsyncIterable<{ choices: { delta: { content?: string } }[] }>) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('a-0 a-1 ');
  });

  it('a fallback config in Portkey\'s schema', async () => {
    const config = {
      strategy: { mode: 'fallback', on_status_codes: [503] },
      retry: { attempts: 0 },
      targets: [
        { provider: 'openai', api_key: 'sk-a', custom_host: `${a.url}/v1`, override_params: { model: 'model-a' } },
        { provider: 'openai', api_key: 'sk-b', custom_host: `${b.url}/v1`, override_params: { model: 'model-b', temperature: 0 } },
      ],
    };
    a.script({ kind: 'status', status: 503 });
    const client = portkey({ config });
    const completion = await client.chat.completions.create({ model: 'ignored', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices![0]!.message!.content).toBe('served by b');
    expect(b.last().body).toMatchObject({ model: 'model-b', temperature: 0 });
    expect(b.last().headers.authorization).toBe('Bearer sk-b');
  });

  it('a loadbalance config with a zero weight', async () => {
    const config = {
      strategy: { mode: 'loadbalance' },
      targets: [
        { provider: 'openai', api_key: 'k', custom_host: `${a.url}/v1`, weight: 0 },
        { provider: 'openai', api_key: 'k', custom_host: `${b.url}/v1`, weight: 1 },
      ],
    };
    const before = a.requests.length;
    const client = portkey({ config });
    for (let index = 0; index < 5; index += 1) {
      const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices![0]!.message!.content).toBe('served by b');
    }
    expect(a.requests.length).toBe(before);
  });

  it('conditional routing on x-portkey-metadata', async () => {
    const config = {
      strategy: { mode: 'conditional', conditions: [{ query: { 'metadata.plan': { $eq: 'paid' } }, then: 'fast' }], default: 'cheap' },
      targets: [
        { name: 'fast', provider: 'openai', api_key: 'k', custom_host: `${a.url}/v1` },
        { name: 'cheap', provider: 'openai', api_key: 'k', custom_host: `${b.url}/v1` },
      ],
    };
    const paid = portkey({ config, metadata: { plan: 'paid' } });
    expect((await paid.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).choices![0]!.message!.content).toBe('served by a');
    const free = portkey({ config, metadata: { plan: 'free' } });
    expect((await free.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).choices![0]!.message!.content).toBe('served by b');
  });
});

describe('Portkey config translation', () => {
  it('maps provider slugs, retry, timeouts and custom hosts', () => {
    expect(
      portkeyConfigToRoute({
        strategy: { mode: 'fallback', on_status_codes: [429] },
        request_timeout: 5000,
        targets: [{ provider: 'google', api_key: 'g', retry: { attempts: 2, on_status_codes: [503], use_retry_after_header: true } }, { provider: 'azure-openai', custom_host: 'https://x.example' }],
      }),
    ).toEqual({
      strategy: { mode: 'fallback', on_status_codes: [429] },
      timeouts: { total_ms: 5000, first_byte_ms: 5000 },
      targets: [{ provider: 'gemini', api_key: 'g', retry: { attempts: 2, on_status_codes: [503], use_retry_after: true } }, { provider: 'azure', base_url: 'https://x.example' }],
    });
  });

  it('errors name the path', () => {
    expect(() => portkeyConfigToRoute({ strategy: { mode: 'roundrobin' }, targets: [] })).toThrow(/x-portkey-config strategy\.mode/);
    expect(() => portkeyConfigToRoute({ targets: [{ virtual_key: 'vk' }] })).toThrow(/targets\[0\]\.virtual_key/);
  });

  it('a bad x-portkey-config header is a 400', async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-portkey-config': '{"strategy":{"mode":"nope"}}' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }) });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('invalid_config');
  });
});

describe('custom host SSRF guard', () => {
  it('refuses a loopback custom host unless the config allows it', async () => {
    const strict = await startGateway({});
    const response = await fetch(`${strict.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${a.url}/v1`, authorization: 'Bearer k' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    });
    await strict.close();
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('custom_host_forbidden');
  });
});
