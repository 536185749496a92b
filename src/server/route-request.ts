/**
 * Runs a request through its route: builds the facts that conditions and
 * regions read, executes the route, and sets the visibility headers
 * (`x-switchyard-target`, `-attempts`, `-fallback-reason`) on success and failure alike.
 */
import { GatewayError } from '../api/errors.js';
import { RetryBudget } from '../routing/backoff.js';
import { RouteExecution, type Attempt } from '../routing/execute-route.js';
import { chooseRoute, requestMetadata, type ChosenRoute } from '../routing/request-route.js';
import { routeCandidates } from '../routing/route-candidates.js';
import type { RequestFacts, RouteRun } from '../routing/route-types.js';
import type { RequestContext } from './context.js';
import { headerRecord } from './http-io.js';
import type { Exchange, Stage } from './pipeline.js';

export interface RoutePlan {
  readonly chosen: ChosenRoute;
  readonly model: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/** Chooses the route and records the candidates and metadata on the exchange (before the stages run). */
export function planRoute(exchange: Exchange, model: string, params: Readonly<Record<string, unknown>>, bodyMetadata?: Readonly<Record<string, string>> | null): RoutePlan {
  const { context, state } = exchange;
  const headers = headerRecord(context.request);
  const chosen = chooseRoute(state.config, headers, model);
  const metadata = requestMetadata(headers, bodyMetadata);
  context.metadata = metadata;
  context.routeName = chosen.name;
  exchange.route = chosen.route;
  const plan = { chosen, model, params, metadata, headers };
  exchange.candidates = routeCandidates(chosen.route, state.resolver, factsOf(exchange, plan));
  exchange.plan = plan;
  return plan;
}

/**
 * The facts conditions, regions and key resolution read. Built when the route runs, after
 * the stages: governance may have found a virtual key (so the bearer is no provider key)
 * and the key's stored provider credentials.
 */
function factsOf(exchange: Exchange, plan: RoutePlan): RequestFacts {
  return {
    model: plan.model,
    metadata: plan.metadata,
    params: plan.params,
    headers: plan.headers,
    region: plan.metadata.region ?? plan.headers['x-switchyard-region'],
    clientKey: exchange.clientProviderKey,
    providerKeys: exchange.providerKeys,
    routeFromClient: plan.chosen.fromClient,
    ...(exchange.preferredProvider ? { preferredProvider: exchange.preferredProvider } : {}),
  };
}

/**
 * A virtual key's defaults, for a request that names neither a config nor a route of its own:
 * its saved config when no config header came, its route when the model is a bare name
 * that is neither a route, an alias, nor `provider/model`.
 */
function applyKeyDefaults(exchange: Exchange): void {
  const plan = exchange.plan;
  const defaults = exchange.keyDefaults;
  if (!plan || !defaults || plan.chosen.fromClient || plan.chosen.name) return;
  const { config } = exchange.state;
  const hasConfigHeader = Boolean(plan.headers['x-switchyard-config'] || plan.headers['x-portkey-config']);
  let name: string | undefined;
  if (defaults.config && !hasConfigHeader) name = defaults.config;
  else if (defaults.route && !plan.model.includes('/') && !config.models[plan.model]) name = defaults.route;
  const route = name ? (config.configs[name] ?? config.routes[name]) : undefined;
  if (!name || !route) return;
  exchange.route = route;
  exchange.context.routeName = name;
  exchange.plan = { ...plan, chosen: { route, fromClient: false, name } };
}

/**
 * A stage placed right after governance: once the virtual key is known, its default route
 * or config replaces the request's, so the stages after it (guardrails, cache) see the route
 * that will serve.
 */
export const keyDefaultsStage: Stage = {
  name: 'key-defaults',
  before(exchange) {
    applyKeyDefaults(exchange);
  },
};

function setVisibilityHeaders(context: RequestContext, run: RouteRun): void {
  if (context.response.headersSent) return;
  context.response.setHeader('x-switchyard-attempts', String(run.attempts.length));
  if (run.servedPath) context.response.setHeader('x-switchyard-target', run.servedPath);
  if (run.fallbackReason) context.response.setHeader('x-switchyard-fallback-reason', run.fallbackReason.replace(/[^\x20-\x7e]/g, '?'));
}

export async function runRouted<T>(exchange: Exchange, plan: RoutePlan, attempt: Attempt<T>): Promise<T> {
  const { context, state } = exchange;
  const execution = new RouteExecution<T>(
    state.routeDependencies,
    factsOf(exchange, plan),
    attempt,
    new RetryBudget(state.config.routing.retry_budget),
    context.abort,
    plan.chosen.name ?? (plan.chosen.fromClient ? 'per-request' : plan.model),
  );
  context.route = execution.run;
  try {
    const result = await execution.execute(plan.chosen.route);
    setVisibilityHeaders(context, execution.run);
    return result;
  } catch (error) {
    setVisibilityHeaders(context, execution.run);
    throw error instanceof GatewayError ? error : new GatewayError('internal_error', { cause: error });
  }
}

/** The params a leaf's `override_params` set, without `model` (which picks the target instead). */
export function overrides(params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (!('model' in params)) return params as Record<string, unknown>;
  const { model: _model, ...rest } = params;
  return rest;
}
