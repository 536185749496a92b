/**
 * One exchange's life: created when a request arrives, handed to the
 * handler, and closed once the response is over, when every stage's
 * `finish` hook runs (budget settlement, logs, metrics) off the client's path.
 */
import { toGatewayError } from '../api/errors.js';
import type { GatewayState, RequestContext } from './context.js';
import { bearerToken, sendError } from './http-io.js';
import { runFinish, type Exchange, type ExchangeKind } from './pipeline.js';

export function createExchange(kind: ExchangeKind, state: GatewayState, context: RequestContext): Exchange {
  return { kind, state, context, candidates: [], guardrails: [], clientProviderKey: bearerToken(context.request) };
}

/** Runs the handler, renders any error, then closes the exchange. */
export async function runExchange(exchange: Exchange, handler: (exchange: Exchange) => Promise<void>): Promise<void> {
  try {
    await handler(exchange);
  } catch (error) {
    exchange.error = toGatewayError(error);
    sendError(exchange.context.response, exchange.error);
  }
  exchange.status ??= exchange.error && !exchange.context.response.headersSent ? exchange.error.status : exchange.context.response.statusCode;
  await runFinish(exchange.state.stages, exchange, (stage, error) => exchange.state.logger.error({ err: error, stage, requestId: exchange.context.id }, 'a stage failed to finish a request'));
}
