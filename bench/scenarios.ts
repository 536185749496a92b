/**
 * What the benchmark runs, as rows of data. To measure a new case (a fallback route, a
 * virtual key with an RPM limit, full logging...) add a row: name the target, the extra
 * headers or body fields, and, if the gateway needs it, a setup that returns the
 * environment and arguments for its process (writing a config file into workDirectory).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TargetName, TargetSetup } from './targets.js';

export interface SetupContext {
  /** e.g. http://127.0.0.1:9000, the mock upstream every gateway forwards to */
  mockOrigin: string;
  /** A fresh temporary folder for this row's files. */
  workDirectory: string;
}

export interface Scenario {
  /** Stable id, used by the goals below and in results.json. */
  id: string;
  label: string;
  target: TargetName;
  stream: boolean;
  /** Headers added to the target's own. */
  headers?: Record<string, string>;
  /** Fields merged over the default chat body. */
  body?: Record<string, unknown>;
  /** Requests per second for a fixed-rate latency run; unset means as fast as it answers. */
  fixedRate?: number;
  setup?: (context: SetupContext) => TargetSetup;
}

const fixedRate = Number(process.env.BENCH_RATE ?? 500);

/**
 * A route whose first target fails fast with a 503 and whose second succeeds. Without the
 * circuit breaker every request pays for the failed attempt; with it, the dead target is
 * skipped after a few failures (the figure a production gateway would see).
 */
function fallbackRoute(breaker: boolean): (context: SetupContext) => TargetSetup {
  return ({ mockOrigin, workDirectory }) => {
    const file = path.join(workDirectory, 'fallback.json');
    writeFileSync(
      file,
      JSON.stringify({
        providers: {
          down: { type: 'openai', api_key: 'sk-bench', base_url: `${mockOrigin}/fail/v1` },
          up: { type: 'openai', api_key: 'sk-bench', base_url: `${mockOrigin}/v1` },
        },
        routing: { circuit_breaker: { enabled: breaker, cooldown_ms: 600_000 } },
        routes: { 'fallback-route': { strategy: { mode: 'fallback' }, targets: [{ provider: 'down', model: 'gpt-4o-mini' }, { provider: 'up', model: 'gpt-4o-mini' }] } },
      }),
    );
    return { args: ['--config', file] };
  };
}

export const scenarios: Scenario[] = [
  { id: 'mock-json', label: 'direct to mock', target: 'mock', stream: false },
  { id: 'bare-proxy-json', label: 'bare undici proxy', target: 'bare-proxy', stream: false },
  { id: 'switchyard-json', label: 'Switchyard', target: 'switchyard', stream: false },
  { id: 'portkey-json', label: 'Portkey gateway', target: 'portkey', stream: false },
  { id: 'mock-stream', label: 'direct to mock', target: 'mock', stream: true },
  { id: 'bare-proxy-stream', label: 'bare undici proxy', target: 'bare-proxy', stream: true },
  { id: 'switchyard-stream', label: 'Switchyard', target: 'switchyard', stream: true },
  { id: 'portkey-stream', label: 'Portkey gateway', target: 'portkey', stream: true },
  { id: 'switchyard-fallback-json', label: 'Switchyard, fallback route (503 then 200)', target: 'switchyard', stream: false, body: { model: 'fallback-route' }, setup: fallbackRoute(false) },
  { id: 'switchyard-fallback-breaker-json', label: 'Switchyard, fallback route, circuit breaker on', target: 'switchyard', stream: false, body: { model: 'fallback-route' }, setup: fallbackRoute(true) },
  { id: 'bare-proxy-fixed-rate', label: `bare undici proxy @ ${fixedRate} req/s`, target: 'bare-proxy', stream: false, fixedRate },
  { id: 'switchyard-fixed-rate', label: `Switchyard @ ${fixedRate} req/s`, target: 'switchyard', stream: false, fixedRate },
];

export type Goal =
  | { kind: 'throughput-ratio'; label: string; numerator: string; denominator: string; atLeast: number }
  | { kind: 'added-p99'; label: string; subject: string; baseline: string; belowMilliseconds: number }
  | { kind: 'reported-ratio'; label: string; numerator: string; denominator: string };

export const goals: Goal[] = [
  { kind: 'throughput-ratio', label: 'Switchyard / bare proxy throughput', numerator: 'switchyard-json', denominator: 'bare-proxy-json', atLeast: 0.7 },
  { kind: 'throughput-ratio', label: 'Switchyard / bare proxy throughput, streaming', numerator: 'switchyard-stream', denominator: 'bare-proxy-stream', atLeast: 0.7 },
  { kind: 'throughput-ratio', label: 'Switchyard / Portkey throughput', numerator: 'switchyard-json', denominator: 'portkey-json', atLeast: 5 },
  { kind: 'throughput-ratio', label: 'Switchyard / Portkey throughput, streaming', numerator: 'switchyard-stream', denominator: 'portkey-stream', atLeast: 5 },
  { kind: 'reported-ratio', label: 'Fallback route / plain route throughput (breaker off)', numerator: 'switchyard-fallback-json', denominator: 'switchyard-json' },
  { kind: 'reported-ratio', label: 'Fallback route / plain route throughput (breaker on)', numerator: 'switchyard-fallback-breaker-json', denominator: 'switchyard-json' },
  { kind: 'added-p99', label: `Added p99 latency at ${fixedRate} req/s`, subject: 'switchyard-fixed-rate', baseline: 'bare-proxy-fixed-rate', belowMilliseconds: 1 },
];

const SYSTEM_PROMPT = 'You are a helpful assistant.';
const USER_PROMPT = 'Invent a new holiday and describe its traditions.';

export function chatBody(scenario: Scenario, model: string): Record<string, unknown> {
  return {
    model,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: USER_PROMPT },
    ],
    max_tokens: 400,
    ...(scenario.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    ...scenario.body,
  };
}
