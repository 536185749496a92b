import { describe, expect, it } from 'vitest';
import { embedText } from '../../src/cache/embeddings/offline-embedder.js';
import { LshIndex } from '../../src/cache/index/lsh-index.js';
import { SemanticIndex } from '../../src/cache/index/semantic-index.js';
import { dot, normalize } from '../../src/cache/index/vector-math.js';

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** A unit vector at exactly the given cosine from `base` (dense, 64 dimensions). */
function atCosine(base: Float32Array, cosine: number, random: () => number): Float32Array {
  const noise = normalize(Array.from(base, () => random() - 0.5));
  const along = dot(noise, base);
  const orthogonal = normalize(Array.from(noise, (value, index) => value - along * base[index]!));
  return normalize(Array.from(base, (value, index) => cosine * value + Math.sqrt(1 - cosine * cosine) * orthogonal[index]!));
}

describe('LSH index', () => {
  it('finds near-duplicates among many unrelated vectors, scored exactly', () => {
    const random = seeded(1);
    const index = new LshIndex(64);
    const stored = Array.from({ length: 3000 }, () => normalize(Array.from({ length: 64 }, () => random() - 0.5)));
    for (const vector of stored) index.add(vector, 0);
    let found = 0;
    for (let trial = 0; trial < 200; trial += 1) {
      const target = Math.floor(random() * stored.length);
      const query = atCosine(stored[target]!, 0.92, random);
      const [best] = index.search(query, 0, 1, 0.85);
      if (best?.slot === target) found += 1;
      if (best) expect(best.score).toBeCloseTo(dot(query, stored[best.slot]!), 6);
    }
    // Near-duplicates at cosine 0.92 share two bands or more with probability above 0.99; the seeds make it exact.
    expect(found).toBe(200);
  });

  it('never returns a vector below the minimum, or from another partition', () => {
    const random = seeded(2);
    const index = new LshIndex(64);
    const base = normalize(Array.from({ length: 64 }, () => random() - 0.5));
    index.add(atCosine(base, 0.8, random), 0);
    index.add(base, 1);
    expect(index.search(base, 0, 5, 0.85)).toEqual([]);
    expect(index.search(base, 1, 5, 0.85).map((found) => found.slot)).toEqual([1]);
    expect(index.search(base, 2, 5, 0)).toEqual([]);
  });

  it('forgets removed vectors and reuses their slots', () => {
    const index = new LshIndex(8);
    const first = index.add(normalize([1, 0, 0, 0, 0, 0, 0, 0]), 0);
    const second = index.add(normalize([0, 1, 0, 0, 0, 0, 0, 0]), 0);
    expect(index.remove(first)).toBe(true);
    expect(index.remove(first)).toBe(false);
    expect(index.size).toBe(1);
    expect(index.search(normalize([1, 0, 0, 0, 0, 0, 0, 0]), 0, 1, 0.5)).toEqual([]);
    expect(index.add(normalize([0, 0, 1, 0, 0, 0, 0, 0]), 0)).toBe(first);
    expect(index.search(normalize([0, 1, 0, 0, 0, 0, 0, 0]), 0, 1, 0.5)).toEqual([{ slot: second, score: 1 }]);
  });
});

describe('semantic index', () => {
  const vector = (text: string): Float32Array => embedText(text, 512);

  it('answers within a namespace and a context only, best first', () => {
    const index = new SemanticIndex();
    index.add({ namespace: 'key:a', key: 'k1', contextHash: 'h1', vector: vector('What is the capital of Australia?'), expiresAt: 1000 });
    index.add({ namespace: 'key:b', key: 'k2', contextHash: 'h1', vector: vector('What is the capital of Australia?'), expiresAt: 1000 });
    index.add({ namespace: 'key:a', key: 'k3', contextHash: 'h2', vector: vector('What is the capital of Australia?'), expiresAt: 1000 });
    const found = index.search({ namespace: 'key:a', contextHash: 'h1', vector: vector("what's the capital of australia") }, 4, 0.85, 0);
    expect(found.map((candidate) => candidate.key)).toEqual(['k1']);
    expect(found[0]!.score).toBeGreaterThan(0.9);
    expect(index.partitionCount).toBe(3);
  });

  it('drops expired entries on the way, and forgets empty partitions', () => {
    const index = new SemanticIndex();
    index.add({ namespace: 'n', key: 'k', contextHash: 'h', vector: vector('How do I exit vim?'), expiresAt: 500 });
    expect(index.search({ namespace: 'n', contextHash: 'h', vector: vector('how do i exit vim') }, 1, 0.85, 499)).toHaveLength(1);
    expect(index.search({ namespace: 'n', contextHash: 'h', vector: vector('how do i exit vim') }, 1, 0.85, 500)).toEqual([]);
    expect(index.size).toBe(0);
    expect(index.partitionCount).toBe(0);
  });

  it('replaces an entry added again under the same key', () => {
    const index = new SemanticIndex();
    index.add({ namespace: 'n', key: 'k', contextHash: 'h', vector: vector('How do I exit vim?'), expiresAt: 500 });
    index.add({ namespace: 'n', key: 'k', contextHash: 'h', vector: vector('Why is the sky blue?'), expiresAt: 500 });
    expect(index.size).toBe(1);
    expect(index.search({ namespace: 'n', contextHash: 'h', vector: vector('How do I exit vim?') }, 1, 0.85, 0)).toEqual([]);
    expect(index.remove('n', 'k')).toBe(true);
    expect(index.has('n', 'k')).toBe(false);
  });
});
