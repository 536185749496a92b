export { createGateway, type Gateway } from './server/gateway.js';
export { parseConfig, loadConfigFile, ConfigError } from './routing/load-config.js';
export type { GatewayConfig, GatewayConfigInput } from './routing/config-schema.js';
export { GatewayError, errorCatalog, type ErrorCode } from './api/errors.js';
export type { ProviderAdapter } from './providers/contract.js';
