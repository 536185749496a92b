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
import type { Exchange } from './pipeline.js';

export interface RoutePlan {
  readonly chosen: ChosenRoute;
  readonly facts: RequestFacts;
}

/** Chooses the route and records the candidates and metadata on the exchange. */
export function planRoute(exchange: Exchange, model: string, params: Readonly<Record<string, unknown>>, bodyMetadata?: Readonly<Record<string, string>> | null): RoutePlan {
  const { context, state } = exchange;
  const headers = headerRecord(context.request);
  const chosen = chooseRoute(state.config, headers, model);
  const metadata = requestMetadata(headers, bodyMetadata);
  const facts: RequestFacts = {
    model,
    metadata,
    params,
    headers,
    region: metadata.region ?? headers['x-switchyard-region'],
    clientKey: exchange.clientProviderKey,
    routeFromClient: chosen.fromClient,
  };
  context.metadata = metadata;
  context.routeName = chosen.name;
  exchange.candidates = routeCandidates(chosen.route, state.resolver, facts);
  exchange.route = chosen.route;
  return { chosen, facts };
}

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
    plan.facts,
    attempt,
    new RetryBudget(state.config.routing.retry_budget),
    context.signal,
    plan.chosen.name ?? (plan.chosen.fromClient ? 'per-request' : plan.facts.model),
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
