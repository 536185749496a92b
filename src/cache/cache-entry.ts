/**
 * One cached answer, as every store keeps it: the complete assembled
 * completion, who it belongs to, when it expires, what it cost, and for a
 * semantic entry the context hash, the embedder and the vector. The JSON form
 * (stores outside the process) is checked with zod when read back, so a
 * damaged entry is a miss, never a broken answer.
 */
import { z } from 'zod';
import { chatCompletionSchema, usageSchema, type ChatCompletion, type Usage } from '../api/chat-schema.js';

export interface SemanticFacet {
  readonly contextHash: string;
  readonly embedderId: string;
  readonly vector: Float32Array;
}

export interface CacheEntry {
  readonly namespace: string;
  /** The exact key. */
  readonly key: string;
  /** The route's name or the requested model: what purges by route match. */
  readonly route: string;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly completion: ChatCompletion;
  /** The original response's usage. */
  readonly usage?: Usage;
  /** The original response's cost in USD, when it was priced. */
  readonly costUsd?: number;
  readonly served?: { readonly provider: string; readonly model: string };
  readonly semantic?: SemanticFacet;
  /** Bytes the entry takes (the completion's JSON and the vector). */
  readonly bytes: number;
}

/** Everything but the completion and the vector, as stored beside them. */
export const entryMetaSchema = z.object({
  namespace: z.string(),
  key: z.string(),
  route: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
  usage: usageSchema.optional(),
  costUsd: z.number().optional(),
  served: z.object({ provider: z.string(), model: z.string() }).optional(),
  semantic: z.object({ contextHash: z.string(), embedderId: z.string(), dimensions: z.number().int().positive() }).optional(),
  bytes: z.number(),
});
export type EntryMeta = z.infer<typeof entryMetaSchema>;

export function entryMeta(entry: CacheEntry): EntryMeta {
  const { completion: _completion, semantic, ...rest } = entry;
  return semantic ? { ...rest, semantic: { contextHash: semantic.contextHash, embedderId: semantic.embedderId, dimensions: semantic.vector.length } } : rest;
}

/** Rebuilds an entry from its stored parts; undefined when any part does not validate. */
export function entryFromParts(metaJson: string, completionJson: string, vector: Float32Array | undefined): CacheEntry | undefined {
  let meta: EntryMeta;
  let completion: ChatCompletion;
  try {
    const parsedMeta = entryMetaSchema.safeParse(JSON.parse(metaJson));
    const parsedCompletion = chatCompletionSchema.safeParse(JSON.parse(completionJson));
    if (!parsedMeta.success || !parsedCompletion.success) return undefined;
    meta = parsedMeta.data;
    completion = parsedCompletion.data;
  } catch {
    return undefined;
  }
  const { semantic, ...rest } = meta;
  if (!semantic) return { ...rest, completion };
  if (!vector || vector.length !== semantic.dimensions) return undefined;
  return { ...rest, completion, semantic: { contextHash: semantic.contextHash, embedderId: semantic.embedderId, vector } };
}

export function entryBytes(completionJson: string, vector: Float32Array | undefined): number {
  return Buffer.byteLength(completionJson) + (vector ? vector.byteLength : 0) + 256;
}
