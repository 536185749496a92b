/**
 * The offline default embedder: weighted lexical features (see
 * text-features.ts) hashed into a fixed number of dimensions with a random
 * sign per feature (the hashing trick), then L2-normalized. It needs no
 * provider and no model file, and it is lexical, not semantic: it scores
 * paraphrases that share words, not ones that share only meaning.
 */
import { normalize } from '../index/vector-math.js';
import type { Embedder } from './embedder.js';
import { defaultFeatureWeights, textFeatures, type FeatureWeights } from './text-features.js';

export const offlineEmbedderVersion = 'offline-lexical-v1';

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A second, independent bit for the sign (a murmur3 finalizer over the first hash). */
function signBit(hash: number): number {
  let mixed = hash ^ (hash >>> 16);
  mixed = Math.imul(mixed, 0x85ebca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2ae35);
  mixed ^= mixed >>> 16;
  return mixed & 1;
}

export function embedText(text: string, dimensions: number, weights: FeatureWeights = defaultFeatureWeights): Float32Array {
  const vector = new Float64Array(dimensions);
  for (const feature of textFeatures(text, weights)) {
    const hash = fnv1a(feature.text);
    vector[hash % dimensions] += signBit(hash) === 1 ? feature.weight : -feature.weight;
  }
  return normalize(vector);
}

export function createOfflineEmbedder(options: { dimensions?: number; weights?: FeatureWeights } = {}): Embedder {
  const dimensions = options.dimensions ?? 512;
  const weights = options.weights ?? defaultFeatureWeights;
  return {
    id: `${offlineEmbedderVersion}/${dimensions}`,
    embed: (texts) => Promise.resolve(texts.map((text) => embedText(text, dimensions, weights))),
  };
}
