/** Starts an in-process gateway on an ephemeral loopback port for a test. */
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import { parseConfig } from '../../src/routing/load-config.js';
import type { GatewayConfigInput } from '../../src/routing/config-schema.js';

export interface TestGateway {
  url: string;
  /** `${url}/v1`, for SDK clients. */
  baseURL: string;
  gateway: Gateway;
  close(): Promise<void>;
}

export async function startGateway(options: { config?: GatewayConfigInput; env?: NodeJS.ProcessEnv } = {}): Promise<TestGateway> {
  const env = options.env ?? {};
  const config = parseConfig(options.config ?? {}, env);
  const gateway = createGateway(config, env);
  const address = await gateway.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${address.port}`;
  return { url, baseURL: `${url}/v1`, gateway, close: () => gateway.close(1000) };
}
