/**
 * Open-loop load at an even, fixed rate, for the latency rows.
 *
 * autocannon's own `overallRate` is a per-second quota: every connection sends its share
 * back to back when the second starts and then waits, so a "500 req/s" run is really a
 * burst of `connections` concurrent requests each second, and its latency is the time to
 * drain that burst. Here one request is started every 1/rate seconds instead, and each
 * latency is counted from the moment the request was due (so a stalled target cannot hide
 * its queue: no coordinated omission).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type { LoadPlan } from './load-types.js';

export interface PacedOutcome {
  durationSeconds: number;
  /** Milliseconds from due time to the end of the body, 2xx responses only. */
  latencies: number[];
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
}

const REQUEST_TIMEOUT_MILLISECONDS = 10_000;
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

export async function runPaced(plan: LoadPlan & { overallRate: number }, durationSeconds: number): Promise<PacedOutcome> {
  const url = new URL(plan.url);
  const pool = new Pool(url.origin, {
    connections: plan.connections,
    pipelining: 1,
    headersTimeout: REQUEST_TIMEOUT_MILLISECONDS,
    bodyTimeout: REQUEST_TIMEOUT_MILLISECONDS,
  });
  const outcome: PacedOutcome = { durationSeconds, latencies: [], statusCodes: {}, errors: 0, timeouts: 0 };
  const inFlight = new Set<Promise<void>>();

  const send = (dueAt: number): void => {
    const pending = pool
      .request({ method: 'POST', path: url.pathname + url.search, headers: plan.headers, body: plan.body })
      .then(async (response) => {
        await response.body.arrayBuffer();
        const status = response.statusCode;
        outcome.statusCodes[status] = (outcome.statusCodes[status] ?? 0) + 1;
        if (status >= 200 && status < 300) outcome.latencies.push(performance.now() - dueAt);
      })
      .catch((error: { code?: string }) => {
        outcome.errors += 1;
        if (error.code && TIMEOUT_CODES.has(error.code)) outcome.timeouts += 1;
      })
      .finally(() => inFlight.delete(pending));
    inFlight.add(pending);
  };

  const intervalMilliseconds = 1000 / plan.overallRate;
  const startedAt = performance.now();
  const total = Math.round(plan.overallRate * durationSeconds);
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    while (sent < total && startedAt + sent * intervalMilliseconds <= now) {
      send(startedAt + sent * intervalMilliseconds);
      sent += 1;
    }
    if (sent < total) await sleep(Math.max(0, startedAt + sent * intervalMilliseconds - performance.now()));
  }
  await Promise.all(inFlight);
  await pool.close();
  return outcome;
}
