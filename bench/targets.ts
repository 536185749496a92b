/**
 * The systems the benchmark can put under load, and how to start each one in a process
 * of its own. A scenario row names one of these.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StartOptions } from './processes.js';

export type TargetName = 'mock' | 'bare-proxy' | 'switchyard' | 'portkey';

/** What a scenario's setup may add to the target's process: environment and arguments. */
export interface TargetSetup {
  /** `undefined` removes a variable the process would otherwise inherit. */
  env?: Record<string, string | undefined>;
  args?: string[];
}

export interface LaunchContext {
  repositoryRoot: string;
  port: number;
  /** e.g. http://127.0.0.1:9000 */
  mockOrigin: string;
  /** The row's own fresh folder, removed after the row. */
  workDirectory: string;
  setup: TargetSetup;
}

export interface TargetDefinition {
  name: TargetName;
  label: string;
  /** The model as this target wants it addressed. */
  model: string;
  chatPath: string;
  healthPath: string;
  /** Headers every request to this target carries. */
  headers(mockOrigin: string): Record<string, string>;
  launch(context: LaunchContext): StartOptions;
  /** Why this target cannot run here, or undefined when it can. */
  unavailableReason(repositoryRoot: string): string | undefined;
}

export const BENCH_API_KEY = 'sk-bench';
const UPSTREAM_MODEL = 'gpt-4o-mini';
const PORTKEY_ENTRY = 'node_modules/@portkey-ai/gateway/build/start-server.js';

function tsxScript(context: LaunchContext, name: string, script: string, args: string[]): StartOptions {
  return {
    name,
    command: process.execPath,
    args: ['--import', 'tsx', join(context.repositoryRoot, 'bench', script), ...args, ...(context.setup.args ?? [])],
    cwd: context.repositoryRoot,
    env: context.setup.env,
  };
}

const authorization = (): Record<string, string> => ({ authorization: `Bearer ${BENCH_API_KEY}` });

const mock: TargetDefinition = {
  name: 'mock',
  label: 'direct to mock',
  model: UPSTREAM_MODEL,
  chatPath: '/v1/chat/completions',
  healthPath: '/healthz',
  headers: authorization,
  launch: (context) => tsxScript(context, 'mock (under test)', 'mock-upstream.ts', [String(context.port)]),
  unavailableReason: () => undefined,
};

const bareProxy: TargetDefinition = {
  name: 'bare-proxy',
  label: 'bare undici proxy',
  model: UPSTREAM_MODEL,
  chatPath: '/v1/chat/completions',
  healthPath: '/healthz',
  headers: authorization,
  launch: (context) => tsxScript(context, 'bare proxy', 'bare-proxy.ts', [String(context.port), context.mockOrigin]),
  unavailableReason: () => undefined,
};

const switchyard: TargetDefinition = {
  name: 'switchyard',
  label: 'Switchyard',
  model: `openai/${UPSTREAM_MODEL}`,
  chatPath: '/v1/chat/completions',
  healthPath: '/healthz',
  headers: authorization,
  launch: (context) => ({
    name: 'switchyard',
    command: process.execPath,
    args: [join(context.repositoryRoot, 'dist/cli.js'), '--port', String(context.port), '--host', '127.0.0.1', ...(context.setup.args ?? [])],
    cwd: context.repositoryRoot,
    env: {
      OPENAI_BASE_URL: `${context.mockOrigin}/v1`,
      OPENAI_API_KEY: BENCH_API_KEY,
      // Every row starts from an empty database of its own, and uses PostgreSQL or Redis
      // only when its setup says so, whatever the shell running the benchmark has set.
      SWITCHYARD_DB: join(context.workDirectory, 'switchyard.db'),
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      ...context.setup.env,
    },
  }),
  unavailableReason: (root) => (existsSync(join(root, 'dist/cli.js')) ? undefined : 'dist/cli.js is missing (no src/cli.ts to build yet?)'),
};

/**
 * Portkey's published gateway starts a Node server from build/start-server.js. It reads
 * only `--port=<n>` (with the equals sign; `--port <n>` is ignored and it falls back to
 * 8787) and `--headless` (no log-viewer UI routes). GET / answers 200 once it listens.
 */
const portkey: TargetDefinition = {
  name: 'portkey',
  label: 'Portkey gateway',
  model: UPSTREAM_MODEL,
  chatPath: '/v1/chat/completions',
  healthPath: '/',
  headers: (mockOrigin) => ({
    ...authorization(),
    'x-portkey-provider': 'openai',
    'x-portkey-custom-host': `${mockOrigin}/v1`,
  }),
  launch: (context) => ({
    name: 'portkey',
    command: process.execPath,
    args: [join(context.repositoryRoot, PORTKEY_ENTRY), `--port=${context.port}`, '--headless', ...(context.setup.args ?? [])],
    cwd: context.repositoryRoot,
    env: context.setup.env,
  }),
  unavailableReason: (root) => (existsSync(join(root, PORTKEY_ENTRY)) ? undefined : `${PORTKEY_ENTRY} is missing (npm install?)`),
};

export const targets: Record<TargetName, TargetDefinition> = {
  mock,
  'bare-proxy': bareProxy,
  switchyard,
  portkey,
};
