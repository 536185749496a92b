/** Two gateway instances sharing one Redis: an answer cached by one is a hit on the other. */
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCache, type Cache } from '../../src/cache/index.js';
import { embedText } from '../../src/cache/embeddings/offline-embedder.js';
import type { Exchange, Stage } from '../../src/server/pipeline.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { redisGate } from '../helpers/services.js';
import { principalStage, silentLogger, startCountingUpstream, type CountingUpstream } from './helpers.js';

const redis = redisGate();
const prefix = `sy:test:cache:${randomUUID()}`;

interface Instance {
  cache: Cache;
  gateway: TestGateway;
  client: OpenAI;
  finished: Exchange[];
}

let upstream: CountingUpstream;
const instances: Instance[] = [];

async function startInstance(): Promise<Instance> {
  const cache = await createCache({ config: { mode: 'semantic', store: { type: 'redis', redis_prefix: prefix } }, redisUrl: redis.url, logger: silentLogger });
  const finished: Exchange[] = [];
  const recorder: Stage = { name: 'recorder', finish: (exchange) => void finished.push(exchange) };
  const gateway = await startGateway({
    config: { providers: { up: { type: 'openai', api_key: 'k', base_url: `${upstream.url}/v1` } }, routes: { chat: { provider: 'up', model: 'm1' } } },
    stages: [principalStage, cache.stage, recorder],
  });
  const instance = { cache, gateway, finished, client: new OpenAI({ baseURL: gateway.baseURL, apiKey: 'sk-client', maxRetries: 0, defaultHeaders: { 'x-test-key': 'k1' } }) };
  instances.push(instance);
  return instance;
}

async function ask(instance: Instance, content: string): Promise<{ status: string | null; content: string | null }> {
  const count = instance.finished.length;
  const { data, response } = await instance.client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content }] }).withResponse();
  await vi.waitFor(() => expect(instance.finished.length).toBe(count + 1));
  await instance.cache.flush();
  return { status: response.headers.get('x-switchyard-cache'), content: data.choices[0]!.message.content };
}

describe.skipIf(redis.skip)('the Redis store, across instances', () => {
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    upstream = await startCountingUpstream();
    a = await startInstance();
    b = await startInstance();
  });

  afterAll(async () => {
    await instances[0]?.cache.engine.purge({});
    for (const instance of instances) {
      await instance.gateway.close();
      await instance.cache.stop();
    }
    await upstream?.close();
  });

  it('serves on B an answer that A cached', async () => {
    const start = upstream.served();
    const first = await ask(a, 'Invent a holiday.');
    expect(first.status).toBe('MISS');
    const second = await ask(b, 'Invent a holiday.');
    expect(second).toEqual({ status: 'HIT', content: first.content });
    expect(upstream.served()).toBe(start + 1);
  });

  it('keeps B\'s semantic index in step with A through pub/sub', async () => {
    const first = await ask(a, 'What is the capital of Australia?');
    await vi.waitFor(() => expect(b.cache.engine.index.size).toBe(a.cache.engine.index.size));
    const paraphrase = await ask(b, "what's the capital of australia");
    expect(paraphrase).toEqual({ status: 'SEMANTIC_HIT', content: first.content });
    expect((await ask(b, 'What is the capital of Austria?')).status).toBe('MISS');
  });

  it('fills a new instance\'s index from Redis at start', async () => {
    const c = await startInstance();
    expect(c.cache.engine.index.size).toBe(b.cache.engine.index.size);
    expect((await ask(c, 'What is the capital of australia, please?')).status).toBe('SEMANTIC_HIT');
  });

  it('tells the other instances about a purge', async () => {
    const purged = await a.cache.engine.purge({ namespace: 'key:k1' });
    expect(purged).toBeGreaterThanOrEqual(3);
    await vi.waitFor(() => expect(b.cache.engine.index.size).toBe(0));
    expect((await ask(b, "what's the capital of australia")).status).toBe('MISS');
  });

  it('never serves from a stale index entry: the stored entry is re-checked', async () => {
    const vector = embedText('Why is the sky blue?', 512);
    b.cache.engine.index.add({ namespace: 'key:k1', key: 'gone', contextHash: 'whatever', vector, expiresAt: Date.now() + 60_000 });
    expect(await b.cache.engine.findSimilar('key:k1', 'whatever', vector, 0.85)).toBeUndefined();
    expect(b.cache.engine.index.has('key:k1', 'gone')).toBe(false);
  });
});
