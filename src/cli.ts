#!/usr/bin/env node
/**
 * `switchyard [--config switchyard.yaml] [--port 8787] [--host 0.0.0.0]` runs the gateway.
 * `switchyard keys|teams|credentials|budgets|usage ...` manages governance (see `switchyard keys --help`).
 * The port comes from --port, then PORT, then the config, then 8787.
 * Without --config, ./switchyard.yaml (or SWITCHYARD_CONFIG) is used when it
 * exists; otherwise the gateway runs in zero-config mode.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { runKeysCommand } from './governance/index.js';
import { composeGateway } from './server/compose.js';
import { ConfigError, loadConfigFile, parseConfig } from './routing/load-config.js';
import type { GatewayConfig } from './routing/config-schema.js';

const logger = pino({ name: 'switchyard', level: process.env.LOG_LEVEL ?? 'info' });
const governanceCommands = new Set(['keys', 'teams', 'credentials', 'budgets', 'usage']);

function usage(): string {
  return 'usage: switchyard [--config FILE] [--port PORT] [--host HOST]\n       switchyard keys|teams|credentials|budgets|usage ... (--help for each)';
}

function loadConfig(file: string | undefined): { config: GatewayConfig; source: string } {
  const candidate = file ?? process.env.SWITCHYARD_CONFIG ?? (existsSync('switchyard.yaml') ? 'switchyard.yaml' : existsSync('switchyard.json') ? 'switchyard.json' : undefined);
  if (!candidate) return { config: parseConfig({}), source: 'zero-config (no file)' };
  return { config: loadConfigFile(candidate), source: candidate };
}

function resolvePort(flag: string | undefined, config: GatewayConfig): number {
  const raw = flag ?? process.env.PORT ?? (config.server.port !== undefined ? String(config.server.port) : '8787');
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`port: '${raw}' is not a port number`);
  return port;
}

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string', short: 'c' }, port: { type: 'string', short: 'p' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log(usage());
    return;
  }
  const { config, source } = loadConfig(values.config);
  const port = resolvePort(values.port, config);
  const composed = await composeGateway(config, process.env, logger);
  const address = await composed.gateway.listen(port, values.host ?? config.server.host ?? '0.0.0.0');
  logger.info({ port: address.port, config: source, providers: Object.keys(config.providers), aliases: Object.keys(config.models), routes: Object.keys(config.routes) }, `switchyard listening on http://${address.address}:${address.port}`);
  if (Object.keys(config.providers).length === 0) logger.info('zero-config mode: address models as provider/model; keys come from Authorization: Bearer or the provider environment variables');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: config.server.shutdown_grace_ms }, 'shutting down: finishing in-flight requests');
    composed.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] && governanceCommands.has(argv[0])) {
    const configFlag = argv.indexOf('--config');
    const { config } = loadConfig(configFlag >= 0 ? argv[configFlag + 1] : undefined);
    const rest = configFlag >= 0 ? [...argv.slice(0, configFlag), ...argv.slice(configFlag + 2)] : argv;
    process.exitCode = await runKeysCommand(rest, { stdout: process.stdout, stderr: process.stderr }, { sqlitePath: process.env.SWITCHYARD_DB || config.storage.sqlite_path, env: process.env, timeZone: config.governance.time_zone, redisPrefix: config.governance.redis_prefix });
    return;
  }
  await serve(argv);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
    console.error(`switchyard: ${error.message}`);
    console.error(usage());
  } else {
    console.error('switchyard: failed to start:', error);
  }
  process.exit(1);
});
