/**
 * Which guardrails a request runs, on each side: the config's defaults, then
 * the caller's team and key, then the route's `input_guardrails` /
 * `output_guardrails`, then the request headers. A list item is a configured
 * guardrail's name, an inline definition (an object with `checks`), or
 * Portkey's shorthand. A configured guardrail attached twice runs once.
 */
import { GatewayError } from '../api/errors.js';
import type { RouteNode } from '../routing/route-schema.js';
import { checkName, networkCheckTypes } from './checks/check-schemas.js';
import { guardrailDefinitionSchema, type GuardrailsConfig, type ResolvedGuardrail } from './config-schema.js';
import { ShorthandError, translateShorthand } from './portkey-shorthand.js';
import type { Side } from './checks/check-types.js';

export const inputHeader = 'x-switchyard-input-guardrails';
export const outputHeader = 'x-switchyard-output-guardrails';

export interface GuardrailSets {
  readonly input: readonly ResolvedGuardrail[];
  readonly output: readonly ResolvedGuardrail[];
}

function invalid(where: string, message: string, param: string): GatewayError {
  return new GatewayError('invalid_config', { message: `${where}: ${message}`, param });
}

function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
}

/** Parses a list of guardrails (names, inline definitions, shorthand); `where` names it in errors. */
export function parseGuardrailList(value: unknown, where: string, param: string, config: GuardrailsConfig, fromClient: boolean, unnamedPrefix = 'inline'): ResolvedGuardrail[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(where, 'expected a list of guardrail names or definitions', param);
  return value.map((item, index) => {
    const at = `${where}[${index}]`;
    if (typeof item === 'string') {
      const definition = config.definitions[item];
      if (!definition || !Object.hasOwn(config.definitions, item)) throw invalid(at, `no guardrail is named '${item}'`, param);
      return { name: item, definition };
    }
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalid(at, 'expected a guardrail name or definition', param);
    if (fromClient && config.client_inline === 'none') throw invalid(at, 'inline guardrails are not accepted from clients; name a configured one', param);
    let raw: unknown = item;
    if (!('checks' in item)) {
      try {
        raw = translateShorthand(item as Record<string, unknown>, `${unnamedPrefix}-${index + 1}`);
      } catch (error) {
        if (error instanceof ShorthandError) throw invalid(at, error.message, param);
        throw error;
      }
    }
    const parsed = guardrailDefinitionSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw invalid(`${at}${formatIssuePath(issue.path)}`, issue.message, param);
    }
    const definition = parsed.data;
    if (fromClient && config.client_inline === 'offline') {
      const network = definition.checks.find((check) => networkCheckTypes.has(check.type));
      if (network) throw invalid(at, `the '${checkName(network)}' check (${network.type}) reaches the network and is not accepted inline from clients; name a configured guardrail`, param);
    }
    return { name: definition.name ?? `${unnamedPrefix}-${index + 1}`, definition };
  });
}

/** A header holds a comma-separated list of names, or a JSON list. */
function parseHeader(value: string | undefined, header: string, config: GuardrailsConfig): ResolvedGuardrail[] {
  if (value === undefined || value.trim() === '') return [];
  const text = value.trim();
  let list: unknown;
  if (text.startsWith('[')) {
    try {
      list = JSON.parse(text);
    } catch (error) {
      throw invalid(header, `not valid JSON: ${(error as Error).message}`, header);
    }
  } else {
    list = text.split(',').map((name) => name.trim()).filter(Boolean);
  }
  return parseGuardrailList(list, header, header, config, true, header === inputHeader ? 'request-input' : 'request-output');
}

/** Route guardrails are read from the route's root; a nested target's would be silently ignored, so they are refused. */
function refuseNested(node: RouteNode, path: string, fromClient: boolean): void {
  node.targets?.forEach((child, index) => {
    const at = `${path}targets[${index}]`;
    for (const key of ['input_guardrails', 'output_guardrails'] as const) {
      if (child[key] !== undefined) throw invalid(`${fromClient ? 'config' : 'route'} ${at}.${key}`, "guardrails are set on the route's root, not on a target", key);
    }
    refuseNested(child, `${at}.`, fromClient);
  });
}

const none: GuardrailSets = { input: [], output: [] };

/** A configured guardrail attached twice (say by the key and the route) runs once. */
function dedupe(lists: readonly (readonly ResolvedGuardrail[])[]): readonly ResolvedGuardrail[] {
  const seen = new Set<object>();
  const result: ResolvedGuardrail[] = [];
  for (const list of lists) {
    for (const guardrail of list) {
      if (seen.has(guardrail.definition)) continue;
      seen.add(guardrail.definition);
      result.push(guardrail);
    }
  }
  return result;
}

/** Lists already deduplicated (the config's own lists, resolved once): `join` may return them as they are. */
const deduped = new WeakSet<readonly ResolvedGuardrail[]>();

/** `dedupe`, but when a single list is not empty (the usual case: only the defaults), that list itself if it is already deduplicated. */
function join(lists: readonly (readonly ResolvedGuardrail[])[]): readonly ResolvedGuardrail[] {
  let only: readonly ResolvedGuardrail[] | undefined;
  for (const list of lists) {
    if (list.length === 0) continue;
    if (only) return dedupe(lists);
    only = list;
  }
  if (!only) return none.input;
  return deduped.has(only) ? only : dedupe(lists);
}

export interface RequestFactsForGuardrails {
  readonly route: RouteNode | undefined;
  /** The route came from the client (a per-request config), not from the gateway config. */
  readonly routeFromClient: boolean;
  readonly keyId: string | undefined;
  readonly teamId: string | undefined;
  readonly header: (name: string) => string | undefined;
}

function routeSets(route: RouteNode, fromClient: boolean, config: GuardrailsConfig): GuardrailSets {
  refuseNested(route, '', fromClient);
  const where = (side: Side): string => `${fromClient ? 'config' : 'route'} ${side}_guardrails`;
  return {
    input: parseGuardrailList(route.input_guardrails, where('input'), 'input_guardrails', config, fromClient, 'route-input'),
    output: parseGuardrailList(route.output_guardrails, where('output'), 'output_guardrails', config, fromClient, 'route-output'),
  };
}

/** Resolves a request's guardrails; a config route's lists are parsed once and kept with the route object. */
export function createGuardrailResolver(config: GuardrailsConfig): (facts: RequestFactsForGuardrails) => GuardrailSets {
  const routeCache = new WeakMap<RouteNode, GuardrailSets>();
  const forRoute = (route: RouteNode | undefined, fromClient: boolean): GuardrailSets => {
    if (!route || (route.input_guardrails === undefined && route.output_guardrails === undefined && !route.targets)) return none;
    if (fromClient) return routeSets(route, true, config);
    let sets = routeCache.get(route);
    if (!sets) {
      sets = routeSets(route, false, config);
      routeCache.set(route, sets);
    }
    return sets;
  };
  // The config's name lists never change: each is resolved (and deduplicated) once.
  const namedCache = new WeakMap<readonly string[], readonly ResolvedGuardrail[]>();
  const named = (names: readonly string[] | undefined): readonly ResolvedGuardrail[] => {
    if (names === undefined || names.length === 0) return none.input;
    let list = namedCache.get(names);
    if (!list) {
      list = dedupe([names.map((name) => ({ name, definition: config.definitions[name]! }))]);
      deduped.add(list);
      namedCache.set(names, list);
    }
    return list;
  };
  return (facts) => {
    const team = facts.teamId === undefined ? undefined : config.teams[facts.teamId];
    const key = facts.keyId === undefined ? undefined : config.keys[facts.keyId];
    const route = forRoute(facts.route, facts.routeFromClient);
    const inputHeaderList = config.request_headers ? parseHeader(facts.header(inputHeader), inputHeader, config) : [];
    const outputHeaderList = config.request_headers ? parseHeader(facts.header(outputHeader), outputHeader, config) : [];
    return {
      input: join([named(config.default_input), named(team?.input), named(key?.input), route.input, inputHeaderList]),
      output: join([named(config.default_output), named(team?.output), named(key?.output), route.output, outputHeaderList]),
    };
  };
}
