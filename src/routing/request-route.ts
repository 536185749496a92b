/**
 * Which route serves a request: a per-request config (`x-switchyard-config`,
 * or Portkey's `x-portkey-config` / `x-portkey-provider`), else a named route
 * matching the body's `model`, else the model itself as a one-target route.
 */
import { GatewayError } from '../api/errors.js';
import type { GatewayConfig } from './config-schema.js';
import { formatZodError } from './load-config.js';
import { fromPortkeyProvider, portkeyConfigToRoute } from './portkey-config.js';
import { routeNodeSchema, type RouteNode } from './route-schema.js';

export interface ChosenRoute {
  readonly route: RouteNode;
  /** The route (and so its hosts) came from the client. */
  readonly fromClient: boolean;
  /** The route's name, when it is one of the config's. */
  readonly name?: string;
}

function parseHeaderJson(value: string, header: string): unknown {
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new GatewayError('invalid_config', { message: `${header} is neither a saved config id nor valid JSON: ${(error as Error).message}`, param: header });
  }
}

function savedConfig(config: GatewayConfig, id: string, header: string): ChosenRoute {
  const saved = config.configs[id] ?? config.routes[id];
  if (!saved) throw new GatewayError('config_not_found', { message: `${header}: no saved config or route has the id '${id}'.`, param: header });
  return { route: saved, fromClient: false, name: id };
}

export function chooseRoute(config: GatewayConfig, headers: Readonly<Record<string, string | undefined>>, model: string): ChosenRoute {
  const own = headers['x-switchyard-config'];
  if (own !== undefined && own.trim() !== '') {
    const text = own.trim();
    if (!text.startsWith('{')) return savedConfig(config, text, 'x-switchyard-config');
    const parsed = routeNodeSchema.safeParse(parseHeaderJson(text, 'x-switchyard-config'));
    if (!parsed.success) throw new GatewayError('invalid_config', { message: formatZodError(parsed.error, 'x-switchyard-config'), param: 'x-switchyard-config' });
    return { route: parsed.data, fromClient: true };
  }
  const portkey = headers['x-portkey-config'];
  if (portkey !== undefined && portkey.trim() !== '') {
    const text = portkey.trim();
    if (!text.startsWith('{')) return savedConfig(config, text, 'x-portkey-config');
    return { route: portkeyConfigToRoute(parseHeaderJson(text, 'x-portkey-config')), fromClient: true };
  }
  const portkeyProvider = headers['x-portkey-provider'];
  if (portkeyProvider !== undefined && portkeyProvider !== '') {
    const customHost = headers['x-portkey-custom-host'];
    const route: RouteNode = { provider: fromPortkeyProvider(portkeyProvider.replace(/^@/, '')) };
    if (customHost) {
      try {
        route.base_url = new URL(customHost).toString().replace(/\/$/, '');
      } catch {
        throw new GatewayError('invalid_config', { message: `x-portkey-custom-host is not a URL: ${customHost}`, param: 'x-portkey-custom-host' });
      }
    }
    return { route, fromClient: true };
  }
  const named = config.routes[model];
  if (named) return { route: named, fromClient: false, name: model };
  return { route: { model }, fromClient: false };
}

/** `x-switchyard-metadata` / `x-portkey-metadata`: a JSON object of strings, merged over the body's `metadata`. */
export function requestMetadata(headers: Readonly<Record<string, string | undefined>>, bodyMetadata: Readonly<Record<string, string>> | null | undefined): Record<string, string> {
  const merged: Record<string, string> = { ...bodyMetadata };
  for (const header of ['x-portkey-metadata', 'x-switchyard-metadata'] as const) {
    const value = headers[header];
    if (value === undefined || value === '') continue;
    const parsed = parseHeaderJson(value, header);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new GatewayError('invalid_request', { message: `${header} must be a JSON object of strings.`, param: header });
    }
    for (const [key, item] of Object.entries(parsed)) {
      if (typeof item !== 'string') throw new GatewayError('invalid_request', { message: `${header}.${key} must be a string.`, param: header });
      merged[key] = item;
    }
  }
  return merged;
}
