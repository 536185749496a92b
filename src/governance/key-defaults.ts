/**
 * A virtual key's default route or saved config, and the targets it may reach,
 * known in `before` so access checks and the worst-case price see the route
 * the core will use. The rule mirrors the core's (route-request.ts
 * `applyKeyDefaults`): a request that names no route or config of its own
 * gets the key's saved config; failing that, a bare model name that is neither
 * a route nor an alias gets the key's default route.
 */
import { headerRecord } from '../server/http-io.js';
import type { Candidate, Exchange } from '../server/pipeline.js';
import { routeCandidates } from '../routing/route-candidates.js';
import type { KeyRecord } from './records.js';

export function keyDefaultRouteName(key: KeyRecord, exchange: Exchange): string | undefined {
  if (!key.defaultConfig && !key.defaultRoute) return undefined;
  if (exchange.context.routeName !== undefined) return undefined;
  const headers = exchange.context.request.headers;
  if (headers['x-switchyard-config'] || headers['x-portkey-config'] || headers['x-portkey-provider']) return undefined;
  const { config } = exchange.state;
  const model = exchange.chat?.model ?? exchange.embeddings?.model;
  let name: string | undefined;
  if (key.defaultConfig) name = key.defaultConfig;
  else if (key.defaultRoute && model !== undefined && !model.includes('/') && !config.models[model]) name = key.defaultRoute;
  return name !== undefined && (config.configs[name] ?? config.routes[name]) ? name : undefined;
}

/** The targets of a named route, as the core will see them (for the worst-case price). */
export function namedRouteCandidates(exchange: Exchange, name: string): Candidate[] {
  const { config, resolver } = exchange.state;
  const route = config.configs[name] ?? config.routes[name];
  if (!route) return [];
  const headers = headerRecord(exchange.context.request);
  const metadata = exchange.context.metadata ?? {};
  return routeCandidates(route, resolver, {
    model: exchange.chat?.model ?? exchange.embeddings?.model ?? '',
    metadata,
    params: exchange.chat ?? exchange.embeddings ?? {},
    headers,
    region: metadata.region ?? headers['x-switchyard-region'],
    clientKey: undefined,
    providerKeys: exchange.providerKeys,
    routeFromClient: false,
    ...(exchange.preferredProvider ? { preferredProvider: exchange.preferredProvider } : {}),
  });
}
