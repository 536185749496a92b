/** Starts an in-process gateway on an ephemeral loopback port for a test. */
import { createGateway, type Gateway, type GatewayOptions } from '../../src/server/gateway.js';
import { parseConfig } from '../../src/routing/load-config.js';
import type { GatewayConfigInput } from '../../src/routing/config-schema.js';

export interface TestGateway {
  url: string;
  /** `${url}/v1`, for SDK clients. */
  baseURL: string;
  gateway: Gateway;
  close(): Promise<void>;
}

export async function startGateway(options: { config?: GatewayConfigInput; env?: NodeJS.ProcessEnv } & GatewayOptions = {}): Promise<TestGateway> {
  const { config: input, env = {}, ...gatewayOptions } = options;
  const config = parseConfig(input ?? {}, env);
  const gateway = createGateway(config, env, gatewayOptions);
  const address = await gateway.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${address.port}`;
  return { url, baseURL: `${url}/v1`, gateway, close: () => gateway.close(1000) };
}
