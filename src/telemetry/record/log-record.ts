/**
 * The request log record as telemetry keeps it: the shared RequestRecord plus
 * what the log needs to tell requests apart (kind, method, body mode). The zod
 * schema is the shape of a record in the queue, the spill files and JSON lines.
 */
import { z } from 'zod';
import { usageSchema } from '../../api/chat-schema.js';
import type { RequestRecord } from '../../api/request-record.js';
import { bodyModeSchema } from '../config-schema.js';

/** A body as JSON text. Spill files written before bodies were text hold the value itself: it is read as its JSON. */
const bodyTextSchema = z.preprocess((value) => (value === undefined || typeof value === 'string' ? value : JSON.stringify(value)), z.string().optional());

const principalSchema = z.object({
  keyId: z.string().optional(),
  keyName: z.string().optional(),
  teamId: z.string().optional(),
  ownerId: z.string().optional(),
  userId: z.string().optional(),
  metadata: z.record(z.string(), z.string()),
});

export const attemptRecordSchema = z.object({
  target: z.string(),
  provider: z.string(),
  model: z.string(),
  /** Undefined for a transport failure; absent from JSON, so read back as undefined. */
  status: z.number().optional().transform((status): number | undefined => status),
  latencyMs: z.number(),
  error: z.string().optional(),
  code: z.string().optional(),
  retry: z.number(),
});

export const guardrailVerdictSchema = z.object({
  name: z.string(),
  stage: z.enum(['input', 'output']),
  passed: z.boolean(),
  action: z.enum(['deny', 'redact', 'log', 'fallback']),
  latencyMs: z.number(),
  explanation: z.string().optional(),
});

export const costRecordSchema = z.object({
  usd: z.number().optional().transform((usd): number | undefined => usd),
  estimated: z.boolean(),
  unpriced: z.boolean(),
  savedUsd: z.number().optional(),
});

export const cacheStatusSchema = z.enum(['HIT', 'SEMANTIC_HIT', 'MISS', 'REFRESH', 'BYPASS']);

export const exchangeKindSchema = z.enum(['chat', 'embeddings', 'models', 'passthrough']);

export const logRecordSchema = z.object({
  id: z.string(),
  traceId: z.string().optional(),
  /** Epoch ms. */
  startedAt: z.number(),
  latencyMs: z.number(),
  timeToFirstTokenMs: z.number().optional(),
  kind: exchangeKindSchema,
  method: z.string(),
  endpoint: z.string(),
  principal: principalSchema.optional(),
  metadata: z.record(z.string(), z.string()),
  route: z.string().optional(),
  attempts: z.array(attemptRecordSchema),
  modelRequested: z.string().optional(),
  modelServed: z.string().optional(),
  provider: z.string().optional(),
  status: z.number(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  streamed: z.boolean(),
  usage: usageSchema.optional(),
  usageEstimated: z.boolean(),
  cost: costRecordSchema.optional(),
  cacheStatus: cacheStatusSchema.optional(),
  guardrails: z.array(guardrailVerdictSchema),
  bodyMode: bodyModeSchema,
  requestBody: bodyTextSchema,
  responseBody: bodyTextSchema,
});
export type LogRecord = z.infer<typeof logRecordSchema>;

/** A LogRecord is a RequestRecord: this line fails to compile if the two drift apart. */
export const asRequestRecord = (record: LogRecord): RequestRecord => record;

/** The token counts the log keeps, from the usage object. */
export function tokenCounts(record: LogRecord): { prompt: number | undefined; completion: number | undefined; cached: number | undefined; reasoning: number | undefined } {
  const usage = record.usage;
  return {
    prompt: usage?.prompt_tokens,
    completion: usage?.completion_tokens,
    cached: usage?.prompt_tokens_details?.cached_tokens,
    reasoning: usage?.completion_tokens_details?.reasoning_tokens,
  };
}

export function isCacheHit(record: LogRecord): boolean {
  return record.cacheStatus === 'HIT' || record.cacheStatus === 'SEMANTIC_HIT';
}

/** The route moved on from one target to another (retries of one target are not a fallback). */
export function fellBack(record: LogRecord): boolean {
  return new Set(record.attempts.map((attempt) => attempt.target)).size > 1;
}
