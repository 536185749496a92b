/** What the orchestrator asks of the load worker, and what it gets back. */
import type { UniqueStyle } from './unique-prompts.js';

export interface LoadPlan {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Requests per second, evenly paced, at most `connections` at once; unset means "as fast as the target answers". */
  overallRate?: number;
  /**
   * When set, `body` is a template and every request replaces its marker with its own
   * variant (unique-prompts.ts), numbered from `firstIndex` on across warm-up and run.
   */
  unique?: { style: UniqueStyle; firstIndex: number };
  /** Closed-loop load from wrk instead of autocannon (wrk-load.ts). */
  tool?: 'wrk';
}

export interface LatencySummary {
  /** Milliseconds, from the exact per-request timings (autocannon's own histogram rounds to 1 ms). */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LoadResult {
  durationSeconds: number;
  /** Responses with a 2xx status. */
  successes: number;
  successesPerSecond: number;
  /** Responses with any other status. */
  non2xx: number;
  /** Connection errors and timeouts, which give no response at all. */
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  latency: LatencySummary;
  /** autocannon's own figures for closed-loop rows, kept for the raw results. */
  autocannon?: { requestsPerSecondAverage: number; latencyP50: number; latencyP99: number };
}
