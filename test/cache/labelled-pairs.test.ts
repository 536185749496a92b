/**
 * The offline embedder against the labelled set (test/data/cache-pairs.jsonl):
 * paraphrases that should hit, near-misses (another city, number, negation,
 * direction, entity...) that must not. Each pair goes through the real lookup
 * path: `a` is stored, `b` is looked up (index, fetch, exact re-check) at the
 * default threshold. The same measurement through a provider path, with a mock
 * embeddings upstream that serves the same vectors, must give the same figures.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CacheEngine } from '../../src/cache/cache-engine.js';
import { createCounters } from '../../src/cache/cache-stats.js';
import { offlineDefaultThreshold } from '../../src/cache/config-schema.js';
import { createCachedEmbedder } from '../../src/cache/embeddings/cached-embedder.js';
import type { Embedder } from '../../src/cache/embeddings/embedder.js';
import { createOfflineEmbedder, embedText } from '../../src/cache/embeddings/offline-embedder.js';
import { createProviderEmbedder } from '../../src/cache/embeddings/provider-embedder.js';
import { SemanticIndex } from '../../src/cache/index/semantic-index.js';
import { MemoryStore } from '../../src/cache/stores/memory-store.js';
import { sendJson, startMockServer, type MockUpstream } from '../mocks/mock-server.js';
import { silentLogger } from './helpers.js';

const pairSchema = z.strictObject({ id: z.number().int(), split: z.enum(['dev', 'test']), label: z.enum(['hit', 'miss']), kind: z.string(), a: z.string().min(1), b: z.string().min(1) });
type Pair = z.infer<typeof pairSchema>;
const pairs: Pair[] = readFileSync(new URL('../data/cache-pairs.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => pairSchema.parse(JSON.parse(line)));

interface Figures {
  hits: number;
  paraphrases: number;
  falseHits: number;
  nearMisses: number;
}

async function measure(embedder: Embedder, selected: readonly Pair[], threshold = offlineDefaultThreshold): Promise<Figures> {
  const clock = (): number => 0;
  const store = new MemoryStore({ maxEntries: 1000, maxBytes: 2 ** 30, clock, onRemoved: () => undefined });
  const cached = createCachedEmbedder(embedder, 1000);
  const engine = new CacheEngine({ store, index: new SemanticIndex(), embedder: cached, counters: createCounters(), clock, logger: silentLogger });
  const figures: Figures = { hits: 0, paraphrases: 0, falseHits: 0, nearMisses: 0 };
  for (const pair of selected) {
    const context = `pair-${pair.id}`;
    const vector = await engine.embed(pair.a);
    const completion = { id: 'x', object: 'chat.completion' as const, created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant' as const, content: pair.a }, finish_reason: 'stop' as const }] };
    await engine.save({ namespace: 'n', key: context, route: 'r', createdAt: 0, expiresAt: 10, completion, semantic: { contextHash: context, embedderId: cached.id, vector }, bytes: 100 });
    const found = await engine.findSimilar('n', context, await engine.embed(pair.b), threshold);
    if (pair.label === 'hit') {
      figures.paraphrases += 1;
      if (found) figures.hits += 1;
    } else {
      figures.nearMisses += 1;
      if (found) figures.falseHits += 1;
    }
  }
  return figures;
}

describe('the labelled set', () => {
  it('has at least 200 pairs of both kinds, each pair once', () => {
    expect(pairs.length).toBe(295);
    expect(pairs.filter((pair) => pair.label === 'hit')).toHaveLength(139);
    expect(pairs.filter((pair) => pair.label === 'miss')).toHaveLength(156);
    expect(new Set(pairs.map((pair) => `${pair.a}\n${pair.b}`)).size).toBe(pairs.length);
    expect(new Set(pairs.filter((pair) => pair.label === 'miss').map((pair) => pair.kind))).toEqual(new Set(['city', 'number', 'negation', 'antonym', 'direction', 'entity']));
  });
});

describe('offline embedder at the default threshold', () => {
  it('never hits a near-miss, and hits 87 of the 139 paraphrases', async () => {
    const figures = await measure(createOfflineEmbedder(), pairs);
    console.log(`offline embedder, threshold ${offlineDefaultThreshold}: hit rate ${figures.hits}/${figures.paraphrases}, false hits ${figures.falseHits}/${figures.nearMisses}`);
    expect(figures).toEqual({ hits: 87, paraphrases: 139, falseHits: 0, nearMisses: 156 });
  });

  it('holds on the held-out half, which its weights were not tuned on', async () => {
    expect(await measure(createOfflineEmbedder(), pairs.filter((pair) => pair.split === 'test'))).toEqual({ hits: 43, paraphrases: 69, falseHits: 0, nearMisses: 78 });
  });

  it('keeps a margin: the closest near-miss scores below the threshold', () => {
    const scores = pairs.filter((pair) => pair.label === 'miss').map((pair) => dotOf(pair));
    expect(Math.max(...scores)).toBeLessThan(offlineDefaultThreshold - 0.01);
  });
});

function dotOf(pair: Pair): number {
  const left = embedText(pair.a, 512);
  const right = embedText(pair.b, 512);
  return left.reduce((sum, value, index) => sum + value * right[index]!, 0);
}

describe('provider path, through a mock embeddings upstream', () => {
  let upstream: MockUpstream;
  beforeAll(async () => {
    // Serves the offline vectors as if they came from a provider's model.
    upstream = await startMockServer((request, response) => {
      const inputs = request.body.input as string[];
      sendJson(response, 200, { object: 'list', model: request.body.model, data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: Array.from(embedText(text, 512)) })), usage: { prompt_tokens: 1, total_tokens: 1 } });
    });
  });
  afterAll(() => upstream.close());

  it('gives the same figures as the offline embedder, with one upstream call per distinct text', async () => {
    const embed = async (texts: string[], model: string): Promise<number[][]> => {
      const response = await fetch(`${upstream.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, input: texts }) });
      return ((await response.json()) as { data: { embedding: number[] }[] }).data.map((item) => item.embedding);
    };
    const figures = await measure(createProviderEmbedder(embed, 'mock-embedding'), pairs);
    expect(figures).toEqual({ hits: 87, paraphrases: 139, falseHits: 0, nearMisses: 156 });
    const distinct = new Set(pairs.flatMap((pair) => [pair.a, pair.b])).size;
    expect(upstream.requests).toHaveLength(distinct);
    expect(upstream.requests[0]!.body).toEqual({ model: 'mock-embedding', input: [pairs[0]!.a] });
  });
});
