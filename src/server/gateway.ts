/**
 * Builds a gateway from a validated config and runs it on node:http, with a
 * graceful shutdown: stop accepting, let in-flight requests (streams too)
 * finish up to a deadline, then cut what is left.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from '../routing/config-schema.js';
import { ModelResolver } from '../routing/resolve-model.js';
import { CircuitBreaker, MemoryBreakerStore, type BreakerStore } from '../routing/circuit-breaker.js';
import { InFlightTracker } from '../routing/least-busy.js';
import { LatencyTracker } from '../routing/least-latency.js';
import type { RouteDependencies } from '../routing/execute-route.js';
import { pino, type Logger } from 'pino';
import { createRequestListener, type PlainHandler } from './app.js';
import type { Exchange, Stage } from './pipeline.js';
import type { GatewayState } from './context.js';
import { ImageInliner } from './inline-images.js';
import { UpstreamClient } from './upstream.js';

export interface Gateway {
  readonly server: Server;
  readonly state: GatewayState;
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** Graceful: resolves once every in-flight request has finished or the grace period ran out. */
  close(graceMs?: number): Promise<void>;
}

export interface GatewayOptions {
  /** Where open circuits are shared; in memory unless given (e.g. a RedisBreakerStore). */
  breakerStore?: BreakerStore;
  random?: () => number;
  /** The request stages, in order; none by default. */
  stages?: Stage[];
  /** Endpoints outside the API (metrics, admin, dashboard). */
  plainRoutes?: { prefix: string; handle: PlainHandler }[];
  logger?: Logger;
  /** Headers for each upstream attempt (W3C traceparent). */
  traceHeaders?: (exchange: Exchange) => Record<string, string>;
}

function routeDependencies(config: GatewayConfig, resolver: ModelResolver, options: GatewayOptions): RouteDependencies {
  const breakerConfig = config.routing.circuit_breaker;
  return {
    resolveLeaf: (leaf, facts) => resolver.resolveLeaf(leaf, facts),
    breaker: breakerConfig.enabled ? new CircuitBreaker(breakerConfig, options.breakerStore ?? new MemoryBreakerStore()) : undefined,
    latency: new LatencyTracker(),
    busy: new InFlightTracker(),
    random: options.random ?? Math.random,
    now: () => performance.now(),
    defaultRetry: config.routing.retry,
  };
}

export function createGateway(config: GatewayConfig, env: NodeJS.ProcessEnv = process.env, options: GatewayOptions = {}): Gateway {
  const resolver = new ModelResolver(config, env);
  const state: GatewayState = {
    config,
    env,
    resolver,
    routeDependencies: routeDependencies(config, resolver, options),
    upstream: new UpstreamClient(
      {
        connectMs: config.timeouts.connect_ms,
        firstByteMs: config.timeouts.first_byte_ms,
        totalMs: config.timeouts.total_ms,
        streamIdleMs: config.timeouts.stream_idle_ms,
      },
      config.routing.allow_private_custom_hosts,
    ),
    stages: options.stages ?? [],
    traceHeaders: options.traceHeaders,
    logger: options.logger ?? pino({ name: 'switchyard', level: env.LOG_LEVEL ?? 'info' }),
    images: new ImageInliner({ allowPrivateAddresses: config.images.allow_private_addresses, maxBytes: config.images.max_bytes, timeoutMs: config.images.timeout_ms }),
  };
  let shuttingDown = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const listener = createRequestListener(state, () => shuttingDown, options.plainRoutes);
  const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
    inFlight += 1;
    response.on('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
    listener(request, response);
  });
  server.headersTimeout = 60_000;
  server.requestTimeout = 0;

  return {
    server,
    state,
    listen(port, host = '0.0.0.0') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async close(graceMs = config.server.shutdown_grace_ms) {
      shuttingDown = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => {
            drained = resolve;
          }),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, graceMs);
          }),
        ]);
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await closed;
      await Promise.all([state.upstream.close(), state.images.close()]);
    },
  };
}
