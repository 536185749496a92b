import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCache } from '../../src/cache/index.js';
import { embedText } from '../../src/cache/embeddings/offline-embedder.js';
import type { Exchange, Stage } from '../../src/server/pipeline.js';
import { openSqlite } from '../../src/storage/sqlite.js';
import { startGateway } from '../helpers/gateway.js';
import { principalStage, silentLogger, startCountingUpstream, type CountingUpstream } from './helpers.js';

let upstream: CountingUpstream;
beforeAll(async () => {
  upstream = await startCountingUpstream();
});
afterAll(() => upstream.close());

async function askTwice(stages: (recorder: Stage) => Stage[], flush: () => Promise<void>, first: string, second: string): Promise<(string | null)[]> {
  const finished: Exchange[] = [];
  const recorder: Stage = { name: 'recorder', finish: (exchange) => void finished.push(exchange) };
  const gateway = await startGateway({ config: { providers: { up: { type: 'openai', api_key: 'k', base_url: `${upstream.url}/v1` } }, routes: { chat: { provider: 'up', model: 'm1', cache: 'semantic' } } }, stages: stages(recorder) });
  const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'x', maxRetries: 0, defaultHeaders: { 'x-test-key': 'k1' } });
  const statuses: (string | null)[] = [];
  for (const content of [first, second]) {
    const { response } = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content }] }).withResponse();
    await vi.waitFor(() => expect(finished.length).toBe(statuses.length + 1));
    await flush();
    statuses.push(response.headers.get('x-switchyard-cache'));
  }
  await gateway.close();
  return statuses;
}

describe('createCache', () => {
  it('refuses a store or an embeddings model it was not given the means for', async () => {
    await expect(createCache({ config: { store: { type: 'sqlite' } }, logger: silentLogger })).rejects.toThrow('cache.store.type is sqlite, but the cache was given no SQLite database');
    await expect(createCache({ config: { store: { type: 'redis' } }, logger: silentLogger })).rejects.toThrow('cache.store.type is redis, but the cache was given no Redis URL');
    await expect(createCache({ config: { embeddings: { model: 'text-embedding-3-small' } }, logger: silentLogger })).rejects.toThrow('cache.embeddings.model is text-embedding-3-small, but the cache was given no embed function');
    await expect(createCache({ config: { ttl: -1 } as never, logger: silentLogger })).rejects.toThrow();
  });

  it('rebuilds the semantic index from SQLite after a restart', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'cache-restart-'));
    try {
      const file = path.join(directory, 'gateway.db');
      const firstDatabase = openSqlite(file);
      const first = await createCache({ config: { store: { type: 'sqlite' } }, sqlite: firstDatabase, logger: silentLogger });
      expect(await askTwice((recorder) => [principalStage, first.stage, recorder], first.flush, 'What is the capital of Australia?', 'What is the capital of Austria?')).toEqual(['MISS', 'MISS']);
      await first.stop();
      firstDatabase.close();

      const secondDatabase = openSqlite(file);
      const second = await createCache({ config: { store: { type: 'sqlite' } }, sqlite: secondDatabase, logger: silentLogger });
      expect(second.engine.index.size).toBe(2);
      expect(await askTwice((recorder) => [principalStage, second.stage, recorder], second.flush, "what's the capital of australia", 'What is the capital of Austria?')).toEqual(['SEMANTIC_HIT', 'HIT']);
      await second.stop();
      secondDatabase.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('embeds through the injected provider function, caching the calls, with the strict default threshold', async () => {
    const calls: string[][] = [];
    const embed = (texts: string[], model: string): Promise<number[][]> => {
      calls.push([model, ...texts]);
      return Promise.resolve(texts.map((text) => Array.from(embedText(text, 512))));
    };
    const cache = await createCache({ config: { embeddings: { model: 'mock-embed' } }, embed, logger: silentLogger });
    expect(cache.engine.embedder.id).toBe('provider:mock-embed');
    // Case and punctuation aside the two are the same words, which passes even the strict provider default (0.95).
    expect(await askTwice((recorder) => [principalStage, cache.stage, recorder], cache.flush, 'Is Pluto a planet?', 'is pluto a planet??')).toEqual(['MISS', 'SEMANTIC_HIT']);
    expect(calls).toEqual([['mock-embed', 'Is Pluto a planet?'], ['mock-embed', 'is pluto a planet??']]);
    await cache.stop();
  });

  it('falls back to exact matching when the embedder fails, and counts it', async () => {
    const cache = await createCache({ config: { embeddings: { model: 'down' } }, embed: () => Promise.reject(new Error('provider down')), logger: silentLogger });
    expect(await askTwice((recorder) => [principalStage, cache.stage, recorder], cache.flush, 'Is Pluto a planet?', 'Is Pluto a planet?')).toEqual(['MISS', 'HIT']);
    expect(cache.counters.embedErrors).toBe(2);
    expect(cache.counters.stored).toBe(1);
    await cache.stop();
  });
});
