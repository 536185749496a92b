import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCachedEmbedder } from '../../src/cache/embeddings/cached-embedder.js';
import type { EmbedFunction } from '../../src/cache/embeddings/embedder.js';
import { createOfflineEmbedder, embedText } from '../../src/cache/embeddings/offline-embedder.js';
import { createProviderEmbedder } from '../../src/cache/embeddings/provider-embedder.js';
import { stem, textFeatures } from '../../src/cache/embeddings/text-features.js';
import { dot } from '../../src/cache/index/vector-math.js';
import { startOpenAIMock, type OpenAIMock } from '../mocks/openai-mock.js';

let mock: OpenAIMock;
beforeAll(async () => {
  mock = await startOpenAIMock();
});
afterAll(() => mock.close());

/** What the gateway injects, here straight to the mock upstream's /v1/embeddings. */
function embedThrough(url: string): EmbedFunction {
  return async (texts, model) => {
    const response = await fetch(`${url}/v1/embeddings`, { method: 'POST', headers: { authorization: 'Bearer test-key', 'content-type': 'application/json' }, body: JSON.stringify({ model, input: texts }) });
    if (!response.ok) throw new Error(`embeddings upstream answered ${response.status}`);
    const body = (await response.json()) as { data: { index: number; embedding: number[] }[] };
    return body.data.sort((left, right) => left.index - right.index).map((item) => item.embedding);
  };
}

describe('offline embedder', () => {
  it('is deterministic, unit-length and of the configured dimensions', async () => {
    const embedder = createOfflineEmbedder({ dimensions: 256 });
    expect(embedder.id).toBe('offline-lexical-v1/256');
    const [first, second] = await embedder.embed(['Why is the sky blue?', 'Why is the sky blue?']);
    expect(first!.length).toBe(256);
    expect(Array.from(first!)).toEqual(Array.from(second!));
    expect(dot(first!, first!)).toBeCloseTo(1, 6);
  });

  it('normalizes case, contractions, number words, spelling and inflections', () => {
    const similarity = (left: string, right: string): number => dot(embedText(left, 512), embedText(right, 512));
    expect(similarity("What's the capital of Australia?", 'what is the capital of australia')).toBeGreaterThan(0.95);
    expect(similarity('Give me a 3 day itinerary for Rome.', 'Give me a three day itinerary for Rome.')).toBeCloseTo(1, 6);
    expect(similarity('Why do leaves change colour?', 'Why do leaves change color?')).toBeCloseTo(1, 6);
    expect(stem('maps')).toBe('map');
    expect(stem('summarise')).toBe('summarize');
    expect(stem('colours')).toBe('color');
  });

  it('weighs numbers, negations and names heavily', () => {
    const weights = (text: string): Record<string, number> => Object.fromEntries(textFeatures(text).filter((feature) => feature.text.startsWith('w:')).map((feature) => [feature.text, feature.weight]));
    const features = weights("I don't want to fly to Paris on the 3rd");
    expect(features['w:not']).toBe(2);
    expect(features['w:3rd']).toBe(2);
    expect(features['w:the']).toBe(0.3);
    expect(features['w:paris']).toBeGreaterThan(1.3);
    expect(features['w:fly']).toBeLessThan(1);
    expect(dot(embedText('How do I migrate from MySQL to PostgreSQL?', 512), embedText('How do I migrate from PostgreSQL to MySQL?', 512))).toBeLessThan(0.85);
  });
});

describe('provider embedder', () => {
  it('calls the gateway embed function with the model and normalizes the vectors', async () => {
    const embedder = createProviderEmbedder(embedThrough(mock.url), 'text-embedding-3-small');
    expect(embedder.id).toBe('provider:text-embedding-3-small');
    const vectors = await embedder.embed(['first text', 'second text']);
    expect(mock.last().body).toEqual({ model: 'text-embedding-3-small', input: ['first text', 'second text'] });
    expect(vectors).toHaveLength(2);
    for (const vector of vectors) expect(dot(vector, vector)).toBeCloseTo(1, 6);
  });

  it('refuses answers of the wrong shape', async () => {
    await expect(createProviderEmbedder(() => Promise.resolve([[1, 2]]), 'm').embed(['a', 'b'])).rejects.toThrow('returned 1 vectors for 2 texts');
    await expect(createProviderEmbedder(() => Promise.resolve([[1, 2], [1]]), 'm').embed(['a', 'b'])).rejects.toThrow('malformed vector');
    await expect(createProviderEmbedder(() => Promise.resolve([[1, Number.NaN]]), 'm').embed(['a'])).rejects.toThrow('malformed vector');
  });
});

describe('embedding cache', () => {
  it('calls the provider once per distinct text, and shares calls in flight', async () => {
    const before = mock.requests.length;
    const embedder = createCachedEmbedder(createProviderEmbedder(embedThrough(mock.url), 'text-embedding-3-small'), 100);
    const [first, second] = await Promise.all([embedder.embed(['alpha', 'beta']), embedder.embed(['beta', 'alpha'])]);
    expect(Array.from(first[0]!)).toEqual(Array.from(second[1]!));
    await embedder.embed(['alpha']);
    expect(mock.requests.length - before).toBe(1);
    expect(embedder.stats).toEqual({ hits: 3, misses: 2, calls: 1 });
  });

  it('passes a failure to every caller and does not cache it', async () => {
    let calls = 0;
    const failing = createCachedEmbedder(
      {
        id: 'flaky',
        embed: (texts) => {
          calls += 1;
          return calls === 1 ? Promise.reject(new Error('provider down')) : Promise.resolve(texts.map(() => new Float32Array([1, 0])));
        },
      },
      10,
    );
    await expect(Promise.all([failing.embed(['x']), failing.embed(['x'])])).rejects.toThrow('provider down');
    expect(Array.from((await failing.embed(['x']))[0]!)).toEqual([1, 0]);
    expect(calls).toBe(2);
  });
});
