/** The cache stage in a real gateway, driven with the official openai SDK. */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AdminRouter } from '../../src/admin/router.js';
import { createCache, type Cache, type CacheConfigInput } from '../../src/cache/index.js';
import type { Exchange, Stage } from '../../src/server/pipeline.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { principalStage, pricingStage, silentLogger, startCountingUpstream, type CountingUpstream } from './helpers.js';

let upstream: CountingUpstream;
let gateway: TestGateway | undefined;
let cache: Cache | undefined;
let now = 1_700_000_000_000;
const finished: Exchange[] = [];
const recorder: Stage = { name: 'recorder', finish: (exchange) => void finished.push(exchange) };

beforeAll(async () => {
  upstream = await startCountingUpstream();
});
afterEach(async () => {
  await gateway?.close();
  await cache?.stop();
  gateway = undefined;
  cache = undefined;
  finished.length = 0;
  now = 1_700_000_000_000;
});
afterAll(() => upstream.close());

interface Setup {
  client: (key?: string, team?: string) => OpenAI;
  url: string;
}

async function setup(options: { config?: CacheConfigInput; routeCache?: unknown } = {}): Promise<Setup> {
  cache = await createCache({ config: options.config, logger: silentLogger, clock: () => now });
  const router = new AdminRouter('admin-secret', 1 << 20).add(...cache.adminRoutes);
  gateway = await startGateway({
    config: {
      providers: { up: { type: 'openai', api_key: 'k', base_url: `${upstream.url}/v1` } },
      routes: { chat: { provider: 'up', model: 'm1', ...(options.routeCache === undefined ? {} : { cache: options.routeCache }) } },
    },
    stages: [principalStage, pricingStage, cache.stage, recorder],
    plainRoutes: [{ prefix: '/admin', handle: (_state, context, path) => router.handle(context, path) }],
  });
  const url = gateway.url;
  return {
    url,
    client: (key = 'k1', team?: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-client', maxRetries: 0, defaultHeaders: { 'x-test-key': key, ...(team ? { 'x-test-team': team } : {}) } }),
  };
}

/** Waits until the gateway has closed `count` exchanges and the cache has written what they left. */
async function settled(count: number): Promise<void> {
  await vi.waitFor(() => expect(finished.length).toBeGreaterThanOrEqual(count));
  await cache!.flush();
}

const question = (content = 'Invent a holiday.') => ({ model: 'chat', messages: [{ role: 'user' as const, content }] });

async function ask(client: OpenAI, body: OpenAI.ChatCompletionCreateParamsNonStreaming, headers: Record<string, string> = {}): Promise<{ content: string | null; headers: Headers; completion: OpenAI.ChatCompletion }> {
  const count = finished.length;
  const { data, response } = await client.chat.completions.create(body, { headers }).withResponse();
  await settled(count + 1);
  return { content: data.choices[0]!.message.content, headers: response.headers, completion: data };
}

async function askStream(client: OpenAI, body: OpenAI.ChatCompletionCreateParamsStreaming, headers: Record<string, string> = {}): Promise<{ chunks: OpenAI.ChatCompletionChunk[]; headers: Headers }> {
  const count = finished.length;
  const { data, response } = await client.chat.completions.create(body, { headers }).withResponse();
  const chunks: OpenAI.ChatCompletionChunk[] = [];
  for await (const chunk of data) chunks.push(chunk);
  await settled(count + 1);
  return { chunks, headers: response.headers };
}

const textOf = (chunks: readonly OpenAI.ChatCompletionChunk[]): string => chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');

describe('simple mode', () => {
  it('serves a repeated request from the cache, whatever its key order and ignored params', async () => {
    const { client } = await setup({ routeCache: { mode: 'simple', ttl: 60 } });
    const start = upstream.served();
    const first = await ask(client(), question());
    expect(first.headers.get('x-switchyard-cache')).toBe('MISS');
    expect(first.content).toBe(`answer ${start + 1}: the quick brown fox jumps over the lazy dog`);
    const second = await ask(client(), { messages: [{ content: 'Invent a holiday.', role: 'user' }], model: 'chat', user: 'someone-else', metadata: { run: '2' } });
    expect(second.headers.get('x-switchyard-cache')).toBe('HIT');
    expect(second.headers.get('x-switchyard-cache-similarity')).toBeNull();
    expect(second.headers.get('x-switchyard-cache-age')).toBe('0');
    expect(second.completion).toEqual(first.completion);
    expect(upstream.served()).toBe(start + 1);
    const different = await ask(client(), { ...question(), temperature: 0.3 });
    expect(different.headers.get('x-switchyard-cache')).toBe('MISS');
    expect(upstream.served()).toBe(start + 2);
  });

  it('says nothing when caching is off, and BYPASS when a request mentions it', async () => {
    const { client } = await setup();
    const plain = await ask(client(), question());
    expect(plain.headers.get('x-switchyard-cache')).toBeNull();
    expect(finished.at(-1)!.cacheStatus).toBeUndefined();
    const asked = await ask(client(), question(), { 'x-switchyard-cache': 'no-store' });
    expect(asked.headers.get('x-switchyard-cache')).toBe('BYPASS');
  });

  it('can be enabled per request with the header', async () => {
    const { client } = await setup();
    await ask(client(), question(), { 'x-switchyard-cache': 'simple' });
    expect((await ask(client(), question(), { 'x-switchyard-cache': 'simple' })).headers.get('x-switchyard-cache')).toBe('HIT');
  });

  it('expires entries at the TTL', async () => {
    const { client } = await setup({ routeCache: { mode: 'simple', ttl: 60 } });
    await ask(client(), question());
    now += 59_000;
    expect((await ask(client(), question())).headers.get('x-switchyard-cache')).toBe('HIT');
    now += 1_000;
    expect((await ask(client(), question())).headers.get('x-switchyard-cache')).toBe('MISS');
  });
});

describe('controls', () => {
  it('force-refresh skips the lookup and stores the fresh answer; no-store neither reads nor writes', async () => {
    const { client } = await setup({ routeCache: 'simple' });
    const start = upstream.served();
    await ask(client(), question());
    const refreshed = await ask(client(), question(), { 'x-switchyard-cache': 'force-refresh' });
    expect(refreshed.headers.get('x-switchyard-cache')).toBe('REFRESH');
    expect(refreshed.content).toMatch(new RegExp(`^answer ${start + 2}:`));
    const hit = await ask(client(), question());
    expect(hit.headers.get('x-switchyard-cache')).toBe('HIT');
    expect(hit.content).toMatch(new RegExp(`^answer ${start + 2}:`));

    const bypass = await ask(client(), question('Something new.'), { 'x-switchyard-cache': 'no-store' });
    expect(bypass.headers.get('x-switchyard-cache')).toBe('BYPASS');
    expect((await ask(client(), question('Something new.'))).headers.get('x-switchyard-cache')).toBe('MISS');
    expect(upstream.served()).toBe(start + 4);
  });

  it('accepts Portkey\'s force-refresh header and its { mode, max_age } config', async () => {
    const { client } = await setup();
    const portkey = { 'x-portkey-config': JSON.stringify({ provider: 'up', cache: { mode: 'simple', max_age: 30 } }) };
    const body = { model: 'm1', messages: [{ role: 'user' as const, content: 'Portkey user here.' }] };
    await ask(client(), body, portkey);
    expect((await ask(client(), body, portkey)).headers.get('x-switchyard-cache')).toBe('HIT');
    expect((await ask(client(), body, { ...portkey, 'x-portkey-cache-force-refresh': 'true' })).headers.get('x-switchyard-cache')).toBe('REFRESH');
    now += 31_000;
    expect((await ask(client(), body, portkey)).headers.get('x-switchyard-cache')).toBe('MISS');
  });

  it('answers 400 invalid_config naming the path of a bad per-request cache setting', async () => {
    const { client } = await setup();
    const config = { 'x-switchyard-config': JSON.stringify({ provider: 'up', model: 'm1', cache: { mode: 'semantic', threshold: 2 } }) };
    const error = await client().chat.completions.create(question(), { headers: config }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('invalid_config');
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('cache.threshold');
    expect((error as Error).message).toContain('cache.threshold: Too big');
  });
});

describe('isolation', () => {
  it('never shares entries across keys, and shares within a team only when the route says so', async () => {
    const { client } = await setup({ routeCache: 'simple' });
    await ask(client('k1', 't1'), question());
    expect((await ask(client('k2', 't1'), question())).headers.get('x-switchyard-cache')).toBe('MISS');
    expect((await ask(client('k1', 't1'), question())).headers.get('x-switchyard-cache')).toBe('HIT');
  });

  it('shares within a team with namespace: team, never across teams', async () => {
    const { client } = await setup({ routeCache: { mode: 'simple', namespace: 'team' } });
    await ask(client('k1', 't1'), question());
    expect((await ask(client('k2', 't1'), question())).headers.get('x-switchyard-cache')).toBe('HIT');
    expect((await ask(client('k3', 't2'), question())).headers.get('x-switchyard-cache')).toBe('MISS');
  });
});

describe('streaming', () => {
  it('stores a streamed miss, and replays it as a stream or as one object', async () => {
    const { client, url } = await setup({ routeCache: 'simple' });
    const start = upstream.served();
    const miss = await askStream(client(), { ...question(), stream: true, stream_options: { include_usage: true } });
    expect(miss.headers.get('x-switchyard-cache')).toBe('MISS');
    const expected = `answer ${start + 1}: the quick brown fox jumps over the lazy dog`;
    expect(textOf(miss.chunks)).toBe(expected);

    const hit = await askStream(client(), { ...question(), stream: true, stream_options: { include_usage: true } });
    expect(hit.headers.get('x-switchyard-cache')).toBe('HIT');
    expect(hit.chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    expect(textOf(hit.chunks)).toBe(expected);
    expect(hit.chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBe(Math.ceil(expected.length / 24));
    expect(hit.chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    expect(hit.chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 11, completion_tokens: 9, total_tokens: 20 } });

    const whole = await ask(client(), question());
    expect(whole.headers.get('x-switchyard-cache')).toBe('HIT');
    expect(whole.completion).toMatchObject({ id: `chatcmpl-${start + 1}`, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: expected }, finish_reason: 'stop' }], usage: { total_tokens: 20 } });
    expect(upstream.served()).toBe(start + 1);

    const raw = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-key': 'k1' }, body: JSON.stringify({ ...question(), stream: true }) });
    const text = await raw.text();
    expect(raw.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(text).not.toContain('"usage"');
  });

  it('replays tool calls with their indices, streamed or not', async () => {
    const { client } = await setup({ routeCache: 'simple' });
    const start = upstream.served();
    upstream.toolCallNext();
    const body = { ...question('Weather in Paris?'), tools: [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }] };
    await askStream(client(), { ...body, stream: true });
    const hit = await askStream(client(), { ...body, stream: true });
    expect(hit.headers.get('x-switchyard-cache')).toBe('HIT');
    const calls = hit.chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toEqual({ index: 0, id: `call_${start + 1}`, type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(calls.every((call) => call.index === 0)).toBe(true);
    expect(calls.map((call) => call.function?.arguments ?? '').join('')).toBe('{"city":"Paris"}');
    expect(hit.chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls');
    const whole = await ask(client(), body);
    expect(whole.completion.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { content: null, tool_calls: [{ id: `call_${start + 1}`, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] } });
  });

  it('does not store a stream that broke off, nor a failed request', async () => {
    const { client } = await setup({ routeCache: 'simple' });
    upstream.next((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${JSON.stringify({ id: 'broken', object: 'chat.completion.chunk', created: 1, model: 'm1', choices: [{ index: 0, delta: { role: 'assistant', content: 'half an ans' }, finish_reason: null }] })}\n\n`);
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const count = finished.length;
    const broken = await client().chat.completions.create({ ...question(), stream: true });
    await expect(async () => {
      for await (const _chunk of broken) void _chunk;
    }).rejects.toThrow();
    await settled(count + 1);
    expect((await ask(client(), question())).headers.get('x-switchyard-cache')).toBe('MISS');

    upstream.next((_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'boom', type: 'server_error' } }));
    });
    const failedCount = finished.length;
    await expect(client().chat.completions.create(question('Another.'))).rejects.toThrow();
    await settled(failedCount + 1);
    expect((await ask(client(), question('Another.'))).headers.get('x-switchyard-cache')).toBe('MISS');
    expect(cache!.counters.notStoredFailed).toBe(2);
  });
});

describe('semantic mode', () => {
  it('hits a paraphrase with its similarity, and misses a near-miss', async () => {
    const { client } = await setup({ routeCache: { mode: 'semantic' } });
    const start = upstream.served();
    await ask(client(), question('What is the capital of Australia?'));
    const paraphrase = await ask(client(), question("what's the capital of australia"));
    expect(paraphrase.headers.get('x-switchyard-cache')).toBe('SEMANTIC_HIT');
    expect(Number(paraphrase.headers.get('x-switchyard-cache-similarity'))).toBeGreaterThanOrEqual(0.85);
    expect(paraphrase.headers.get('x-switchyard-cache-similarity')).toMatch(/^0\.\d{4}$/);
    expect(paraphrase.content).toMatch(new RegExp(`^answer ${start + 1}:`));
    expect((await ask(client(), question('What is the capital of Austria?'))).headers.get('x-switchyard-cache')).toBe('MISS');
    expect((await ask(client(), question('What is the capital of Australia?'))).headers.get('x-switchyard-cache')).toBe('HIT');
    expect((await ask(client('k2'), question("what's the capital of australia"))).headers.get('x-switchyard-cache')).toBe('MISS');
  });

  it('needs the same context: another system prompt is a miss', async () => {
    const { client } = await setup({ routeCache: { mode: 'semantic' } });
    await ask(client(), { model: 'chat', messages: [{ role: 'system', content: 'Answer in French.' }, { role: 'user', content: 'What is the capital of Australia?' }] });
    const other = await ask(client(), { model: 'chat', messages: [{ role: 'system', content: 'Answer in German.' }, { role: 'user', content: "what's the capital of australia" }] });
    expect(other.headers.get('x-switchyard-cache')).toBe('MISS');
  });
});

describe('accounting', () => {
  it('makes a hit free, with the cost it saved and zero usage, by default', async () => {
    const { client } = await setup({ routeCache: 'simple' });
    await ask(client(), question());
    expect(finished.at(-1)!.cost).toEqual({ usd: 0.0042, estimated: false, unpriced: false });
    await ask(client(), question());
    const hit = finished.at(-1)!;
    expect(hit.cacheStatus).toBe('HIT');
    expect(hit.cost).toEqual({ usd: 0, estimated: false, unpriced: false, savedUsd: 0.0042 });
    expect(hit.usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
    expect(cache!.counters.savedUsd).toBe(0.0042);
  });

  it('charges hits and counts their tokens when configured to', async () => {
    const { client } = await setup({ routeCache: 'simple', config: { accounting: { charge_hits: true, count_hit_tokens: true } } });
    await ask(client(), question());
    await ask(client(), question());
    const hit = finished.at(-1)!;
    expect(hit.cost).toEqual({ usd: 0.0042, estimated: false, unpriced: false, savedUsd: 0 });
    expect(hit.usage).toEqual({ prompt_tokens: 11, completion_tokens: 9, total_tokens: 20 });
  });
});

describe('admin API', () => {
  const admin = (url: string, path: string, body?: object): Promise<Response> =>
    fetch(`${url}${path}`, { method: body ? 'POST' : 'GET', headers: { 'x-admin-token': 'admin-secret', 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });

  it('purges by namespace, route or age, and reports stats', async () => {
    const { client, url } = await setup({ routeCache: 'simple' });
    await ask(client('k1'), question());
    await ask(client('k2'), question());
    expect(await (await admin(url, '/admin/cache/purge', { namespace: 'key:k1' })).json()).toEqual({ purged: 1 });
    expect((await ask(client('k1'), question())).headers.get('x-switchyard-cache')).toBe('MISS');
    expect((await ask(client('k2'), question())).headers.get('x-switchyard-cache')).toBe('HIT');
    now += 10_000;
    await ask(client('k3'), question());
    expect(await (await admin(url, '/admin/cache/purge', { older_than_seconds: 5 })).json()).toEqual({ purged: 2 });
    expect(await (await admin(url, '/admin/cache/purge', { route: 'chat' })).json()).toEqual({ purged: 1 });
    const bad = await admin(url, '/admin/cache/purge', {});
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('Invalid purge: give namespace, route or older_than_seconds, or all: true to purge everything');
    const stats = (await (await admin(url, '/admin/cache/stats')).json()) as { store: object; counters: { hits: number; misses: number; stored: number } };
    expect(stats.store).toEqual({ type: 'memory', entries: 0, bytes: 0 });
    expect(stats.counters).toMatchObject({ hits: 1, misses: 4, stored: 4 });
  });
});
