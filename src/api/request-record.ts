/**
 * Shapes that cross module lines: who is calling (Principal), what a
 * guardrail decided, the cache outcome, and the request log record that
 * every request leaves behind. Each subsystem fills its part on the request
 * context; telemetry turns the context into a RequestRecord at the end.
 */
import type { Usage } from './chat-schema.js';
import type { AttemptRecord } from '../routing/route-types.js';

/** The caller, once a virtual key was checked (or the open gateway's anonymous caller). */
export interface Principal {
  /** Virtual key id (not the secret); undefined when the gateway runs open. */
  readonly keyId?: string;
  readonly keyName?: string;
  readonly teamId?: string;
  readonly ownerId?: string;
  /** End user: the request's `user` field or `x-switchyard-user`. */
  readonly userId?: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export type CacheStatus = 'HIT' | 'SEMANTIC_HIT' | 'MISS' | 'REFRESH' | 'BYPASS';

export interface GuardrailVerdict {
  readonly name: string;
  /** 'input' or 'output'. */
  readonly stage: 'input' | 'output';
  readonly passed: boolean;
  /** The action taken when it failed: deny, redact, log or fallback. */
  readonly action: 'deny' | 'redact' | 'log' | 'fallback';
  readonly latencyMs: number;
  readonly explanation?: string;
}

export interface CostRecord {
  /** USD; undefined when the model has no price (recorded as unpriced, never as $0). */
  readonly usd: number | undefined;
  readonly estimated: boolean;
  readonly unpriced: boolean;
  /** What a cache hit saved, in USD. */
  readonly savedUsd?: number;
}

/** One request log record. */
export interface RequestRecord {
  readonly id: string;
  readonly traceId?: string;
  /** Epoch ms. */
  readonly startedAt: number;
  readonly latencyMs: number;
  readonly timeToFirstTokenMs?: number;
  readonly endpoint: string;
  readonly principal?: Principal;
  readonly metadata: Readonly<Record<string, string>>;
  readonly route?: string;
  readonly attempts: readonly AttemptRecord[];
  readonly modelRequested?: string;
  readonly modelServed?: string;
  readonly provider?: string;
  readonly status: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly streamed: boolean;
  readonly usage?: Usage;
  readonly cost?: CostRecord;
  readonly cacheStatus?: CacheStatus;
  readonly guardrails: readonly GuardrailVerdict[];
  /**
   * Bodies as JSON text, stored per the logging config (none, metadata, full), secrets masked.
   * Text from the start: the writer and the sinks store it as it is, with no object graph to copy to the
   * writer thread and serialize again there.
   */
  readonly requestBody?: string;
  readonly responseBody?: string;
}
