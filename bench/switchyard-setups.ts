/**
 * Setups of the Switchyard rows that need more than the zero-config gateway: a config file
 * written into the row's folder, a virtual key made with the CLI before the gateway starts,
 * a PostgreSQL schema of the row's own. Each returns what scenarios.ts calls `setup`.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultBenchmarkGuardrails } from '../src/guardrails/index.js';
import type { RowSetup, SetupContext } from './scenarios.js';
import { createIsolatedSchema, serviceUrls, uniqueSuffix } from './services.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const CLI_TIMEOUT_MILLISECONDS = 30_000;

/** High enough that no bench row is ever refused, low enough that the window is really kept. */
export const BENCH_KEY_RPM = 10_000_000;

function writeConfig(workDirectory: string, config: Record<string, unknown>): string {
  const file = path.join(workDirectory, 'switchyard.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/**
 * `switchyard keys create` on the row's SQLite file, before the gateway opens it; returns
 * the key's secret (`sy-...`). DATABASE_URL and REDIS_URL are taken out of the CLI's
 * environment, so that the key lands in the file the gateway will read.
 */
function createVirtualKey(databaseFile: string, flags: string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const output = execFileSync(process.execPath, [CLI, 'keys', 'create', '--database', databaseFile, '--name', `bench-${uniqueSuffix()}`, ...flags, '--json'], {
    env,
    encoding: 'utf8',
    timeout: CLI_TIMEOUT_MILLISECONDS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const secret = (JSON.parse(output) as { secret?: unknown }).secret;
  if (typeof secret !== 'string' || !secret.startsWith('sy-')) throw new Error(`keys create printed no sy- secret: ${output.slice(0, 200)}`);
  return secret;
}

/**
 * A virtual key limited to BENCH_KEY_RPM requests a minute, sent as the bearer token.
 * `memory`: the embedded mode (keys in SQLite, windows in memory). `redis`: REDIS_URL set
 * and no DATABASE_URL, which governance allows (keys stay in SQLite, the windows and the
 * ledger's counters move to Redis, under a prefix of this row's own).
 */
export function virtualKey(counters: 'memory' | 'redis'): (context: SetupContext) => RowSetup {
  return ({ workDirectory }) => {
    const databaseFile = path.join(workDirectory, 'switchyard.db');
    const secret = createVirtualKey(databaseFile, ['--rpm', String(BENCH_KEY_RPM)]);
    const setup: RowSetup = { env: { SWITCHYARD_DB: databaseFile }, headers: { authorization: `Bearer ${secret}` } };
    if (counters === 'memory') return setup;
    const file = writeConfig(workDirectory, { governance: { redis_prefix: `sy:bench:${uniqueSuffix()}` } });
    return { ...setup, env: { ...setup.env, REDIS_URL: serviceUrls.redis }, args: ['--config', file] };
  };
}

/**
 * The request log: `off` (logging.enabled false), or every body kept (`bodies: full`) in
 * the row's SQLite file or in PostgreSQL; `sqlite-no-bodies` is the SQLite log with
 * `bodies: none`, which shows what the log costs before any body is kept; `postgres-off` is the log off with DATABASE_URL
 * set, the baseline of the PostgreSQL row (DATABASE_URL also moves governance's keys and
 * ledger to PostgreSQL, which is not the log's cost). A PostgreSQL row gets a schema of its own,
 * dropped afterwards. Authentication is off in all of them, so that keys some other user of
 * the database may have made there cannot turn the row into 401s.
 */
export function requestLog(sink: 'off' | 'sqlite' | 'sqlite-no-bodies' | 'postgres' | 'postgres-off'): (context: SetupContext) => Promise<RowSetup> {
  return async ({ workDirectory }) => {
    const bodies = sink === 'sqlite-no-bodies' ? 'none' : 'full';
    const logging = sink === 'off' || sink === 'postgres-off' ? { enabled: false } : { bodies, spill_dir: path.join(workDirectory, 'spill') };
    const file = writeConfig(workDirectory, { governance: { auth: 'off' }, telemetry: { logging } });
    if (sink !== 'postgres' && sink !== 'postgres-off') return { args: ['--config', file] };
    const schema = await createIsolatedSchema();
    return { args: ['--config', file], env: { DATABASE_URL: schema.url }, cleanup: () => schema.drop() };
  };
}

/**
 * The alias the Responses API row addresses (openai/gpt-4o-mini): a model that goes to an OpenAI-dialect provider
 * is passed through as it is, so the row names an alias, which the gateway translates to the chat path.
 */
export const RESPONSES_ALIAS = 'bench-responses';

export function responsesAlias(): (context: SetupContext) => RowSetup {
  return ({ workDirectory }) => ({ args: ['--config', writeConfig(workDirectory, { models: { [RESPONSES_ALIAS]: { provider: 'openai', model: 'gpt-4o-mini' } } })] });
}

/** The route the cache rows address: openai/gpt-4o-mini with the cache on in `mode`. */
export const CACHED_ROUTE = 'cached-route';

export function cachedRoute(mode: 'simple' | 'semantic'): (context: SetupContext) => RowSetup {
  return ({ workDirectory }) => {
    const file = writeConfig(workDirectory, { routes: { [CACHED_ROUTE]: { provider: 'openai', model: 'gpt-4o-mini', cache: { mode } } } });
    return { args: ['--config', file] };
  };
}

/**
 * The guardrails' own benchmark set (PII redaction, a DROP/TRUNCATE TABLE regex and a
 * 4000-word limit) on every request's input, and the same three on every answer.
 */
export function benchmarkGuardrails(): (context: SetupContext) => RowSetup {
  return ({ workDirectory }) => {
    const names = [...defaultBenchmarkGuardrails.default_input];
    const file = writeConfig(workDirectory, { guardrails: { definitions: defaultBenchmarkGuardrails.definitions, default_input: names, default_output: names } });
    return { args: ['--config', file] };
  };
}
