/**
 * A micro-benchmark of the semantic lookup path (not a test): fills a memory
 * store and the index with `entries` synthetic questions in one namespace and
 * one context (the worst case: one partition), then times lookups through
 * the whole path (embedding, index, fetch, re-check), half of them
 * near-duplicates of stored questions and half new ones.
 */
import { decode } from 'gpt-tokenizer';
import { pino } from 'pino';
import { CacheEngine } from './cache-engine.js';
import { createCounters } from './cache-stats.js';
import { offlineDefaultThreshold } from './config-schema.js';
import { createCachedEmbedder } from './embeddings/cached-embedder.js';
import { createOfflineEmbedder } from './embeddings/offline-embedder.js';
import { SemanticIndex } from './index/semantic-index.js';
import { MemoryStore } from './stores/memory-store.js';

export interface SemanticLookupBenchmark {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly buildMs: number;
  readonly lookups: number;
  /** Share of the near-duplicate lookups that hit. */
  readonly nearDuplicateHitRate: number;
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Real words: the whole-word tokens of the o200k vocabulary. */
function vocabulary(size: number): string[] {
  const words: string[] = [];
  for (let id = 1000; id < 60_000 && words.length < size; id += 1) {
    const text = decode([id]);
    if (/^ [a-z]{4,}$/.test(text)) words.push(text.trim());
  }
  return words;
}

const openings = ['How do I', 'What is the', 'Why does my', 'Can you explain', 'Write a', 'Give me', 'Is it possible to', 'What are the best'];

export async function benchmarkSemanticLookup(entries: number, lookups = 1000): Promise<SemanticLookupBenchmark> {
  const random = seededRandom(7);
  const words = vocabulary(6000);
  const pick = (): string => words[Math.floor(random() * words.length)]!;
  const question = (): string => `${openings[Math.floor(random() * openings.length)]} ${Array.from({ length: 3 + Math.floor(random() * 6) }, pick).join(' ')}?`;
  const clock = (): number => 1_000_000;
  const counters = createCounters();
  const logger = pino({ level: 'silent' });
  let engine: CacheEngine | undefined;
  const store = new MemoryStore({ maxEntries: entries + 1, maxBytes: 2 ** 40, clock, onRemoved: (removed) => engine?.forget(removed) });
  const embedder = createCachedEmbedder(createOfflineEmbedder(), 0);
  engine = new CacheEngine({ store, index: new SemanticIndex(), embedder, counters, clock, logger });
  const completion = { id: 'chatcmpl-bench', object: 'chat.completion' as const, created: 0, model: 'bench', choices: [{ index: 0, message: { role: 'assistant' as const, content: 'ok' }, finish_reason: 'stop' as const }] };
  const stored: string[] = [];
  const started = performance.now();
  for (let index = 0; index < entries; index += 1) {
    const text = question();
    stored.push(text);
    const vector = await engine.embed(text);
    await engine.save({ namespace: 'bench', key: `k${index}`, route: 'bench', createdAt: 0, expiresAt: 2_000_000, completion, semantic: { contextHash: 'context', embedderId: embedder.id, vector }, bytes: 300 });
  }
  const buildMs = performance.now() - started;
  const timings: number[] = [];
  let nearDuplicateHits = 0;
  for (let index = 0; index < lookups; index += 1) {
    const nearDuplicate = index % 2 === 0;
    const text = nearDuplicate ? `Please, ${stored[Math.floor(random() * stored.length)]!.toLowerCase()}` : question();
    const start = performance.now();
    const vector = await engine.embed(text);
    const found = await engine.findSimilar('bench', 'context', vector, offlineDefaultThreshold);
    timings.push(performance.now() - start);
    if (nearDuplicate && found) nearDuplicateHits += 1;
  }
  timings.sort((left, right) => left - right);
  const at = (quantile: number): number => Math.round(timings[Math.min(timings.length - 1, Math.floor(quantile * timings.length))]! * 1000) / 1000;
  return { p50Ms: at(0.5), p99Ms: at(0.99), buildMs: Math.round(buildMs), lookups, nearDuplicateHitRate: nearDuplicateHits / Math.ceil(lookups / 2) };
}
