/** What the route executor records and needs. */
import type { RetryConfig, RegionPolicy, TargetTimeouts } from './route-schema.js';

/** One try of one target, kept on the request context for the request log. */
export interface AttemptRecord {
  /** The target's path in the route tree, e.g. `targets[1].targets[0]`. */
  readonly target: string;
  readonly provider: string;
  readonly model: string;
  /** HTTP status of the attempt (200 on success), or undefined for a transport failure. */
  readonly status: number | undefined;
  readonly latencyMs: number;
  readonly error?: string;
  readonly code?: string;
  /** 0 for the first try of this target, 1 for its first retry, ... */
  readonly retry: number;
}

export interface RouteRun {
  readonly attempts: AttemptRecord[];
  /** Why the route fell back, the first time it did. */
  fallbackReason?: string;
  /** The path of the target that served. */
  servedPath?: string;
}

/** A leaf's settings after inheritance from every ancestor. */
export interface EffectiveLeaf {
  readonly path: string;
  readonly provider?: string;
  readonly model?: string;
  readonly apiKey?: string;
  readonly baseURL?: string;
  readonly overrideParams: Readonly<Record<string, unknown>>;
  readonly retry?: RetryConfig;
  readonly timeouts: TargetTimeouts;
  readonly region?: string;
  readonly regionPolicy?: RegionPolicy;
}

/** Facts about the request that conditions and regional routing read. */
export interface RequestFacts {
  /** The `model` the client sent. */
  readonly model: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly params: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** From `metadata.region` or `x-switchyard-region`. */
  readonly region?: string;
  readonly clientKey?: string;
  /** Keys by provider name (a virtual key's stored credentials); they win over every other key. */
  readonly providerKeys?: Readonly<Record<string, string>>;
  /** The route came with the request (x-switchyard-config, x-portkey-*): its hosts are the client's, and guarded. */
  readonly routeFromClient: boolean;
  /** The provider a bare model name goes to when the config does not say (the inbound API's own: `anthropic` for /v1/messages). */
  readonly preferredProvider?: string;
}
