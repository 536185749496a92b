/**
 * What a virtual key may reach. `models` patterns (`*` matches anything, as
 * in `openai/*`) are checked against the requested model and against every
 * provider/model the route may reach; `routes` lists the config routes and
 * saved configs the key may use. A key with routes but no models may use only
 * those routes. A route the client sent itself may not carry a `base_url`
 * when the caller holds a virtual key: the gateway's own credentials would go there.
 */
import { GatewayError } from '../api/errors.js';
import type { RouteNode } from '../routing/route-schema.js';
import type { Exchange } from '../server/pipeline.js';
import type { KeyRecord } from './records.js';

const patternCache = new Map<string, RegExp>();

export function matchesPattern(pattern: string, value: string): boolean {
  let compiled = patternCache.get(pattern);
  if (!compiled) {
    compiled = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    patternCache.set(pattern, compiled);
  }
  return compiled.test(value);
}

export function matchesAny(patterns: readonly string[], value: string): boolean {
  return patterns.some((pattern) => matchesPattern(pattern, value));
}

function hasBaseUrl(node: RouteNode | undefined): boolean {
  if (!node) return false;
  return node.base_url !== undefined || (node.targets ?? []).some(hasBaseUrl);
}

function requestedModel(exchange: Exchange): string | undefined {
  return exchange.chat?.model ?? exchange.embeddings?.model;
}

function modelsAllowed(patterns: readonly string[], exchange: Exchange): boolean {
  const requested = requestedModel(exchange);
  if (requested !== undefined && matchesAny(patterns, requested)) return true;
  if (exchange.candidates.length === 0) return false;
  return exchange.candidates.every((candidate) => matchesAny(patterns, `${candidate.provider}/${candidate.model}`) || matchesAny(patterns, candidate.model));
}

/** Throws 403 when the key may not make this request. `defaultRoute`: the key's default the core will apply. */
export function checkAccess(key: KeyRecord, exchange: Exchange, defaultRoute?: string): void {
  const restricted = key.allowedModels !== null || key.allowedRoutes !== null;
  if (!restricted && !hasBaseUrl(exchange.route)) return;
  if (exchange.kind === 'models') return;
  if (exchange.kind === 'passthrough') {
    if (restricted) throw new GatewayError('model_not_allowed', { message: `The key '${key.name}' is limited to some models or routes, so it cannot use pass-through endpoints.` });
    return;
  }
  const routeName = exchange.context.routeName ?? defaultRoute;
  if (routeName === undefined && hasBaseUrl(exchange.route)) {
    throw new GatewayError('route_not_allowed', { message: 'A request made with a virtual key may not send its own base_url or custom host: use a route from the gateway config.', param: 'x-switchyard-config' });
  }
  if (routeName !== undefined && key.allowedRoutes !== null && !matchesAny(key.allowedRoutes, routeName)) {
    throw new GatewayError('route_not_allowed', { message: `The key '${key.name}' may not use the route '${routeName}'.`, param: 'model' });
  }
  if (key.allowedModels !== null) {
    if (!modelsAllowed(key.allowedModels, exchange)) {
      throw new GatewayError('model_not_allowed', { message: `The key '${key.name}' may not use the model '${requestedModel(exchange) ?? ''}'.`, param: 'model' });
    }
    return;
  }
  if (routeName === undefined && key.allowedRoutes !== null) {
    throw new GatewayError('route_not_allowed', { message: `The key '${key.name}' may only use the routes ${key.allowedRoutes.join(', ')}.`, param: 'model' });
  }
}
