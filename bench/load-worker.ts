/**
 * The load generator, in a process of its own so it never shares an event loop with the
 * system under test. It takes one LoadPlan over IPC, runs a warm-up and then the measured
 * run, and sends one LoadResult back. Closed-loop rows (as fast as the target answers) use
 * autocannon, or wrk where the row asks for it (wrk-load.ts); fixed-rate rows use the evenly
 * paced generator in paced-load.ts.
 */
import autocannon, { type AutocannonRequest } from 'autocannon';
import type { LatencySummary, LoadPlan, LoadResult } from './load-types.js';
import { runPaced } from './paced-load.js';
import { fillTemplate } from './unique-prompts.js';
import { runWrk } from './wrk-load.js';

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank];
}

function summarize(latencies: number[]): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  const total = latencies.reduce((sum, value) => sum + value, 0);
  return {
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
    mean: sorted.length ? total / sorted.length : Number.NaN,
  };
}

/** The next request number of a plan with unique bodies, shared by the warm-up and the run. */
let nextIndex = 0;

function options(plan: LoadPlan, durationSeconds: number): Parameters<typeof autocannon>[0] {
  const unique = plan.unique;
  return {
    url: plan.url,
    method: 'POST',
    headers: plan.headers,
    body: plan.body,
    connections: plan.connections,
    duration: durationSeconds,
    timeout: 10,
    // autocannon's own idReplacement is not used: it sizes content-length for ids of 27
    // characters, and its ids grow longer as their counter grows.
    ...(unique
      ? {
          requests: [
            {
              setupRequest: (request: AutocannonRequest): AutocannonRequest => {
                nextIndex = Math.max(nextIndex, unique.firstIndex);
                return { ...request, body: fillTemplate(plan.body, unique.style, nextIndex++) };
              },
            },
          ],
        }
      : {}),
  };
}

/** The warm-up is over: the orchestrator starts counting the target's CPU time here. */
function announceMeasuring(): void {
  process.send?.({ measuring: true });
}

async function runFixedRate(plan: LoadPlan & { overallRate: number }): Promise<LoadResult> {
  if (plan.warmupSeconds > 0) await runPaced(plan, plan.warmupSeconds);
  announceMeasuring();
  const outcome = await runPaced(plan, plan.durationSeconds);
  const responses = Object.values(outcome.statusCodes).reduce((sum, count) => sum + count, 0);
  return {
    durationSeconds: outcome.durationSeconds,
    successes: outcome.latencies.length,
    successesPerSecond: outcome.latencies.length / outcome.durationSeconds,
    non2xx: responses - outcome.latencies.length,
    errors: outcome.errors,
    timeouts: outcome.timeouts,
    statusCodes: outcome.statusCodes,
    latency: summarize(outcome.latencies),
  };
}

async function runClosedLoop(plan: LoadPlan): Promise<LoadResult> {
  if (plan.warmupSeconds > 0) await autocannon(options(plan, plan.warmupSeconds));
  announceMeasuring();

  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const instance = autocannon(options(plan, plan.durationSeconds));
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;

  return {
    durationSeconds: result.duration,
    successes: latencies.length,
    successesPerSecond: latencies.length / result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    latency: summarize(latencies),
    autocannon: {
      requestsPerSecondAverage: result.requests.average,
      latencyP50: result.latency.p50,
      latencyP99: result.latency.p99,
    },
  };
}

function runPlan(plan: LoadPlan): Promise<LoadResult> {
  const { overallRate } = plan;
  if (overallRate && plan.unique) return Promise.reject(new Error('unique bodies are only made for closed-loop rows'));
  if (overallRate) return runFixedRate({ ...plan, overallRate });
  return plan.tool === 'wrk' ? runWrk(plan, announceMeasuring) : runClosedLoop(plan);
}

process.once('message', (message) => {
  runPlan(message as LoadPlan)
    .then((result) => process.send?.({ result }, () => process.exit(0)))
    .catch((error: unknown) => process.send?.({ error: String(error) }, () => process.exit(1)));
});
