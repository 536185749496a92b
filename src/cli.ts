#!/usr/bin/env node
/**
 * `switchyard [--config switchyard.yaml] [--port 8787] [--host 0.0.0.0]`
 * The port comes from --port, then PORT, then the config, then 8787.
 * Without --config, ./switchyard.yaml (or SWITCHYARD_CONFIG) is used when it
 * exists; otherwise the gateway runs in zero-config mode.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createGateway } from './server/gateway.js';
import { RedisBreakerStore } from './routing/redis-breaker-store.js';
import { ConfigError, loadConfigFile, parseConfig } from './routing/load-config.js';
import type { GatewayConfig } from './routing/config-schema.js';

const logger = pino({ name: 'switchyard', level: process.env.LOG_LEVEL ?? 'info' });

function usage(): string {
  return 'usage: switchyard [--config FILE] [--port PORT] [--host HOST]';
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: 'string', short: 'c' }, port: { type: 'string', short: 'p' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log(usage());
    return;
  }
  const { config, source } = loadConfig(values.config);
  const port = resolvePort(values.port, config);
  let breakerStore: RedisBreakerStore | undefined;
  if (process.env.REDIS_URL) {
    breakerStore = new RedisBreakerStore({ url: process.env.REDIS_URL, onError: (error, operation) => logger.warn({ err: error, operation }, 'circuit breaker store: Redis error') });
    await breakerStore.start();
    logger.info('circuit breakers are shared through Redis');
  }
  const gateway = createGateway(config, process.env, { breakerStore, logger });
  const address = await gateway.listen(port, values.host ?? config.server.host ?? '0.0.0.0');
  logger.info({ port: address.port, config: source, providers: Object.keys(config.providers), aliases: Object.keys(config.models) }, `switchyard listening on http://${address.address}:${address.port}`);
  if (Object.keys(config.providers).length === 0) logger.info('zero-config mode: address models as provider/model; keys come from Authorization: Bearer or the provider environment variables');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: config.server.shutdown_grace_ms }, 'shutting down: finishing in-flight requests');
    gateway
      .close()
      .then(() => breakerStore?.stop())
      .then(
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

main().catch((error: unknown) => {
  if (error instanceof ConfigError || (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
    console.error(`switchyard: ${error.message}`);
    console.error(usage());
  } else {
    console.error('switchyard: failed to start:', error);
  }
  process.exit(1);
});
