/**
 * Runs a request through its route: chooses the route, builds the facts that
 * conditions and regions read, executes it, and sets the visibility headers
 * (`x-switchyard-target`, `-attempts`, `-fallback-reason`) on success and failure alike.
 */
import { GatewayError } from '../api/errors.js';
import { RetryBudget } from '../routing/backoff.js';
import { RouteExecution, type Attempt } from '../routing/execute-route.js';
import { chooseRoute, requestMetadata } from '../routing/request-route.js';
import type { RouteRun } from '../routing/route-types.js';
import type { GatewayState, RequestContext } from './context.js';
import { bearerToken, headerRecord } from './http-io.js';

export interface RoutedRequest {
  /** The `model` the client sent. */
  readonly model: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly metadata?: Readonly<Record<string, string>> | null;
}

function setVisibilityHeaders(context: RequestContext, run: RouteRun): void {
  if (context.response.headersSent) return;
  context.response.setHeader('x-switchyard-attempts', String(run.attempts.length));
  if (run.servedPath) context.response.setHeader('x-switchyard-target', run.servedPath);
  if (run.fallbackReason) context.response.setHeader('x-switchyard-fallback-reason', run.fallbackReason.replace(/[^\x20-\x7e]/g, '?'));
}

export async function runRouted<T>(state: GatewayState, context: RequestContext, request: RoutedRequest, attempt: Attempt<T>): Promise<T> {
  const headers = headerRecord(context.request);
  const chosen = chooseRoute(state.config, headers, request.model);
  const metadata = requestMetadata(headers, request.metadata);
  const region = metadata.region ?? headers['x-switchyard-region'];
  const execution = new RouteExecution<T>(
    state.routeDependencies,
    { model: request.model, metadata, params: request.params, headers, region, clientKey: bearerToken(context.request), routeFromClient: chosen.fromClient },
    attempt,
    new RetryBudget(state.config.routing.retry_budget),
    context.signal,
    chosen.name ?? (chosen.fromClient ? 'per-request' : request.model),
  );
  context.route = execution.run;
  context.metadata = metadata;
  try {
    const result = await execution.execute(chosen.route);
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
