/**
 * The cache settings of one request: the request's `x-switchyard-cache`
 * directives over the route's `cache` over the config's defaults. A route
 * setting that does not validate is a 400 `invalid_config` naming its path.
 */
import { GatewayError } from '../api/errors.js';
import { routeCacheSchema, type CacheConfig, type CacheMode, type NamespaceBy } from './config-schema.js';

export type CacheDirective = 'none' | 'no-store' | 'force-refresh';

export interface RequestCacheSettings {
  readonly mode: CacheMode;
  readonly ttlSeconds: number;
  readonly threshold: number;
  readonly namespaceBy: NamespaceBy;
  readonly directive: CacheDirective;
}

const headerDirectives = new Set(['no-store', 'force-refresh', 'off', 'simple', 'semantic']);

function parseRouteCache(value: unknown): { mode: CacheMode; ttl?: number; threshold?: number; namespace?: NamespaceBy } | undefined {
  if (value === undefined) return undefined;
  const parsed = routeCacheSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = ['cache', ...issue.path.map(String)].join('.');
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
    throw new GatewayError('invalid_config', { message: `${path}: ${issue.message}${more}`, param: path });
  }
  if (typeof parsed.data === 'string') return { mode: parsed.data };
  const { mode, ttl, max_age: maxAge, threshold, namespace } = parsed.data;
  return { mode, ttl: ttl ?? maxAge, threshold, namespace };
}

/** `x-switchyard-cache: no-store | force-refresh | simple | semantic | off` (comma-separated), and Portkey's force-refresh header. */
function parseHeader(headers: Readonly<Record<string, string | string[] | undefined>>): { directive: CacheDirective; mode?: CacheMode } {
  const raw = headers['x-switchyard-cache'];
  const text = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  let directive: CacheDirective = 'none';
  let mode: CacheMode | undefined;
  for (const token of text.split(',').map((part) => part.trim().toLowerCase()).filter((part) => part !== '')) {
    if (!headerDirectives.has(token)) {
      throw new GatewayError('invalid_request', { message: `x-switchyard-cache: unknown directive '${token}'; expected no-store, force-refresh, simple, semantic or off.`, param: 'x-switchyard-cache' });
    }
    if (token === 'no-store') directive = 'no-store';
    else if (token === 'force-refresh') directive = directive === 'no-store' ? directive : 'force-refresh';
    else mode = token as CacheMode;
  }
  const portkeyRefresh = headers['x-portkey-cache-force-refresh'];
  if (directive === 'none' && typeof portkeyRefresh === 'string' && portkeyRefresh.toLowerCase() === 'true') directive = 'force-refresh';
  return { directive, mode };
}

export function resolveRequestSettings(
  config: CacheConfig,
  defaultThreshold: number,
  routeCache: unknown,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): RequestCacheSettings {
  const route = parseRouteCache(routeCache);
  const header = parseHeader(headers);
  return {
    mode: header.mode ?? route?.mode ?? config.mode,
    ttlSeconds: route?.ttl ?? config.ttl,
    threshold: route?.threshold ?? config.threshold ?? defaultThreshold,
    namespaceBy: route?.namespace ?? config.namespace,
    directive: header.directive,
  };
}
