/**
 * Builds a gateway from a validated config and runs it on node:http, with a
 * graceful shutdown: stop accepting, let in-flight requests (streams too)
 * finish up to a deadline, then cut what is left.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from '../routing/config-schema.js';
import { ModelResolver } from '../routing/resolve-model.js';
import { createRequestListener } from './app.js';
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

export function createGateway(config: GatewayConfig, env: NodeJS.ProcessEnv = process.env): Gateway {
  const state: GatewayState = {
    config,
    env,
    resolver: new ModelResolver(config, env),
    upstream: new UpstreamClient(
      {
        connectMs: config.timeouts.connect_ms,
        firstByteMs: config.timeouts.first_byte_ms,
        totalMs: config.timeouts.total_ms,
        streamIdleMs: config.timeouts.stream_idle_ms,
      },
      config.routing.allow_private_custom_hosts,
    ),
    images: new ImageInliner({ allowPrivateAddresses: config.images.allow_private_addresses, maxBytes: config.images.max_bytes, timeoutMs: config.images.timeout_ms }),
  };
  let shuttingDown = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const listener = createRequestListener(state, () => shuttingDown);
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
