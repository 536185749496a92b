/**
 * What the benchmark runs, as rows of data. To measure a new case (a fallback route, a
 * virtual key with an RPM limit, full logging...) add a row: name the target, the extra
 * headers or body fields, and, if the gateway needs it, a setup that returns the
 * environment and arguments for its process (writing a config file into workDirectory).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ServiceName } from './services.js';
import { benchmarkGuardrails, CACHED_ROUTE, cachedRoute, requestLog, RESPONSES_ALIAS, responsesAlias, virtualKey } from './switchyard-setups.js';
import type { TargetName, TargetSetup } from './targets.js';
import type { UniqueStyle } from './unique-prompts.js';

export interface SetupContext {
  /** e.g. http://127.0.0.1:9000, the mock upstream every gateway forwards to */
  mockOrigin: string;
  /** A fresh temporary folder for this row's files. */
  workDirectory: string;
}

/** What a row's setup returns: the target's environment and arguments, and more for the row. */
export interface RowSetup extends TargetSetup {
  /**
   * Headers every request of the row carries, over the target's and the row's static
   * ones, for what exists only once setup ran (a virtual key it made). Names in lower case,
   * so that `authorization` replaces the target's own.
   */
  headers?: Record<string, string>;
  /** Runs once the row's target has stopped, e.g. to drop a database schema made for it. */
  cleanup?: () => Promise<void> | void;
}

/** The cache status a cache row's requests must get (the `x-switchyard-cache` header). */
export type CacheStatus = 'HIT' | 'SEMANTIC_HIT' | 'MISS';

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
  /** Servers the row needs (services.ts); when one cannot be reached, the row is skipped. */
  services?: ServiceName[];
  /**
   * The user message of every loaded request, made unique per request (unique-prompts.ts).
   * The check request before the load keeps the default message, so it can fill a cache
   * that the loaded requests then look up. Closed-loop rows only.
   */
  uniquePrompt?: { text: string; style: UniqueStyle };
  /**
   * The cache status every loaded request must get. One request is tried before the load
   * (a few times, as a cache stores an answer just after sending it): when it comes without
   * the x-switchyard-cache header, the gateway has no cache yet and the row is skipped;
   * another status is an error. After the load, /metrics must count it for 95% of the
   * row's requests.
   */
  cacheStatus?: CacheStatus;
  /**
   * Closed-loop load from wrk instead of autocannon (wrk-load.ts): it costs the machine far
   * less per request, so the gateway's own event loop is the bottleneck. Skipped without wrk.
   */
  load?: 'wrk';
  /**
   * `messages`: the same question through Anthropic's Messages API (`POST /v1/messages`); `responses`: through
   * OpenAI's Responses API (`POST /v1/responses`, translated to the chat path). Switchyard rows, not streamed.
   */
  api?: 'messages' | 'responses';
  setup?: (context: SetupContext) => RowSetup | Promise<RowSetup>;
}

const fixedRate = Number(process.env.BENCH_RATE ?? 500);

const SYSTEM_PROMPT = 'You are a helpful assistant.';
const USER_PROMPT = 'Invent a new holiday and describe its traditions.';
/** The same question in other words: 0.99 cosine to USER_PROMPT with the offline embedder. */
const PARAPHRASED_PROMPT = 'Could you invent a new holiday and describe its traditions?';

/**
 * A route whose first target fails fast with a 503 and whose second succeeds. Without the
 * circuit breaker every request pays for the failed attempt; with it, the dead target is
 * skipped after a few failures (the figure a production gateway would see).
 */
function fallbackRoute(breaker: boolean): (context: SetupContext) => RowSetup {
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
  { id: 'switchyard-key-memory-json', label: 'Switchyard, virtual key + RPM limit (SQLite, memory counters)', target: 'switchyard', stream: false, setup: virtualKey('memory') },
  { id: 'switchyard-key-redis-json', label: 'Switchyard, virtual key + RPM limit (Redis counters)', target: 'switchyard', stream: false, services: ['redis'], setup: virtualKey('redis') },
  { id: 'switchyard-logging-off-json', label: 'Switchyard, request log off', target: 'switchyard', stream: false, setup: requestLog('off') },
  { id: 'switchyard-logging-sqlite-json', label: 'Switchyard, request log with full bodies, SQLite', target: 'switchyard', stream: false, setup: requestLog('sqlite') },
  // The log without bodies: what the queue, the writer thread and the inserts cost on their own.
  { id: 'switchyard-logging-no-bodies-json', label: 'Switchyard, request log without bodies, SQLite', target: 'switchyard', stream: false, setup: requestLog('sqlite-no-bodies') },
  { id: 'switchyard-logging-postgres-off-json', label: 'Switchyard, request log off, PostgreSQL (DATABASE_URL set)', target: 'switchyard', stream: false, services: ['postgres'], setup: requestLog('postgres-off') },
  { id: 'switchyard-logging-postgres-json', label: 'Switchyard, request log with full bodies, PostgreSQL', target: 'switchyard', stream: false, services: ['postgres'], setup: requestLog('postgres') },
  { id: 'switchyard-cache-hit-json', label: 'Switchyard, exact cache hit', target: 'switchyard', stream: false, body: { model: CACHED_ROUTE }, cacheStatus: 'HIT', setup: cachedRoute('simple') },
  {
    id: 'switchyard-cache-semantic-hit-json',
    label: 'Switchyard, semantic cache hit',
    target: 'switchyard',
    stream: false,
    body: { model: CACHED_ROUTE },
    uniquePrompt: { text: PARAPHRASED_PROMPT, style: 'punctuation' },
    cacheStatus: 'SEMANTIC_HIT',
    setup: cachedRoute('semantic'),
  },
  {
    id: 'switchyard-cache-miss-json',
    label: 'Switchyard, cache miss (every request new)',
    target: 'switchyard',
    stream: false,
    body: { model: CACHED_ROUTE },
    uniquePrompt: { text: USER_PROMPT, style: 'number' },
    cacheStatus: 'MISS',
    setup: cachedRoute('simple'),
  },
  { id: 'switchyard-guardrails-json', label: 'Switchyard, benchmark guardrails on input and output', target: 'switchyard', stream: false, setup: benchmarkGuardrails() },
  // Anthropic's format in front of the same OpenAI mock: what translating both ways costs.
  { id: 'switchyard-messages-json', label: 'Switchyard, Anthropic Messages API (to the OpenAI mock)', target: 'switchyard', stream: false, api: 'messages' },
  // OpenAI's Responses API, translated to the chat path (an alias: a provider/model of the OpenAI dialect would be passed through).
  { id: 'switchyard-responses-json', label: 'Switchyard, OpenAI Responses API, translated (to the OpenAI mock)', target: 'switchyard', stream: false, api: 'responses', body: { model: RESPONSES_ALIAS }, setup: responsesAlias() },
  // The same four comparisons under wrk, which leaves the gateway's event loop the bottleneck (wrk-load.ts).
  { id: 'bare-proxy-json-wrk', label: 'bare undici proxy (wrk load)', target: 'bare-proxy', stream: false, load: 'wrk' },
  { id: 'switchyard-json-wrk', label: 'Switchyard (wrk load)', target: 'switchyard', stream: false, load: 'wrk' },
  { id: 'switchyard-logging-off-json-wrk', label: 'Switchyard, request log off (wrk load)', target: 'switchyard', stream: false, load: 'wrk', setup: requestLog('off') },
  { id: 'switchyard-logging-sqlite-json-wrk', label: 'Switchyard, request log with full bodies, SQLite (wrk load)', target: 'switchyard', stream: false, load: 'wrk', setup: requestLog('sqlite') },
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
  { kind: 'throughput-ratio', label: 'Virtual key + RPM limit, embedded / open gateway throughput', numerator: 'switchyard-key-memory-json', denominator: 'switchyard-json', atLeast: 0.85 },
  { kind: 'throughput-ratio', label: 'Virtual key + RPM limit, Redis / open gateway throughput', numerator: 'switchyard-key-redis-json', denominator: 'switchyard-json', atLeast: 0.85 },
  { kind: 'throughput-ratio', label: 'Full request log in SQLite / log off throughput', numerator: 'switchyard-logging-sqlite-json', denominator: 'switchyard-logging-off-json', atLeast: 0.9 },
  { kind: 'reported-ratio', label: 'Request log without bodies in SQLite / log off throughput', numerator: 'switchyard-logging-no-bodies-json', denominator: 'switchyard-logging-off-json' },
  { kind: 'throughput-ratio', label: 'Full request log in PostgreSQL / log off throughput (both with DATABASE_URL)', numerator: 'switchyard-logging-postgres-json', denominator: 'switchyard-logging-postgres-off-json', atLeast: 0.9 },
  { kind: 'reported-ratio', label: 'Full request log in PostgreSQL / log off in embedded mode', numerator: 'switchyard-logging-postgres-json', denominator: 'switchyard-logging-off-json' },
  { kind: 'reported-ratio', label: 'Exact cache hit / plain route throughput', numerator: 'switchyard-cache-hit-json', denominator: 'switchyard-json' },
  { kind: 'reported-ratio', label: 'Semantic cache hit / plain route throughput', numerator: 'switchyard-cache-semantic-hit-json', denominator: 'switchyard-json' },
  { kind: 'reported-ratio', label: 'Cache miss / plain route throughput', numerator: 'switchyard-cache-miss-json', denominator: 'switchyard-json' },
  { kind: 'reported-ratio', label: 'Switchyard / bare proxy throughput, wrk load', numerator: 'switchyard-json-wrk', denominator: 'bare-proxy-json-wrk' },
  { kind: 'reported-ratio', label: 'Full request log in SQLite / log off throughput, wrk load', numerator: 'switchyard-logging-sqlite-json-wrk', denominator: 'switchyard-logging-off-json-wrk' },
  { kind: 'reported-ratio', label: 'Messages API / chat completions throughput', numerator: 'switchyard-messages-json', denominator: 'switchyard-json' },
  { kind: 'reported-ratio', label: 'Responses API (translated) / chat completions throughput', numerator: 'switchyard-responses-json', denominator: 'switchyard-json' },
  { kind: 'throughput-ratio', label: 'Benchmark guardrails / no guardrails throughput', numerator: 'switchyard-guardrails-json', denominator: 'switchyard-json', atLeast: 0.8 },
  { kind: 'added-p99', label: `Added p99 latency at ${fixedRate} req/s`, subject: 'switchyard-fixed-rate', baseline: 'bare-proxy-fixed-rate', belowMilliseconds: 1 },
];

export function chatBody(scenario: Scenario, model: string, userPrompt = USER_PROMPT): Record<string, unknown> {
  if (scenario.api === 'messages') return { model, system: SYSTEM_PROMPT, messages: [{ role: 'user', content: userPrompt }], max_tokens: 400, ...scenario.body };
  if (scenario.api === 'responses') return { model, instructions: SYSTEM_PROMPT, input: userPrompt, max_output_tokens: 400, ...scenario.body };
  return {
    model,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: userPrompt },
    ],
    max_tokens: 400,
    ...(scenario.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    ...scenario.body,
  };
}
