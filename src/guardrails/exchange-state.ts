/** What the guardrails stage keeps about one exchange between its hooks. */
import type { ChatCompletion } from '../api/chat-schema.js';
import type { Exchange } from '../server/pipeline.js';
import type { CheckSubject, Side } from './checks/check-types.js';
import type { RequestType } from './checks/check-schemas.js';
import type { ResolvedGuardrail } from './config-schema.js';
import { PlaceholderRegistry } from './redaction.js';

export const failedHeader = 'x-switchyard-guardrails-failed';

export interface GuardState {
  readonly input: readonly ResolvedGuardrail[];
  readonly output: readonly ResolvedGuardrail[];
  readonly registry: PlaceholderRegistry;
  /** Names of failed checks whose guardrail only logs, for the response header. */
  readonly loggedFailures: string[];
  /** The final answer already passed the `fallback` guardrails (in checkCompletion). */
  fallbackPassed: boolean;
}

const states = new WeakMap<Exchange, GuardState>();

export function stateOf(exchange: Exchange): GuardState | undefined {
  return states.get(exchange);
}

export function createState(exchange: Exchange, input: readonly ResolvedGuardrail[], output: readonly ResolvedGuardrail[]): GuardState {
  const state: GuardState = { input, output, registry: new PlaceholderRegistry(), loggedFailures: [], fallbackPassed: false };
  states.set(exchange, state);
  return state;
}

/** Flags logged failures in a response header, while headers can still be set. */
export function flagLoggedFailures(exchange: Exchange, state: GuardState, names: readonly string[]): void {
  for (const name of names) if (!state.loggedFailures.includes(name)) state.loggedFailures.push(name);
  const response = exchange.context.response;
  if (state.loggedFailures.length > 0 && !response.headersSent) response.setHeader(failedHeader, state.loggedFailures.join(','));
}

export function requestType(exchange: Exchange): RequestType {
  if (exchange.kind === 'embeddings') return 'embeddings';
  return exchange.chat?.stream === true ? 'chat_stream' : 'chat';
}

export function subjectOf(exchange: Exchange, side: Side, segments: readonly string[], response?: ChatCompletion): CheckSubject {
  const subject: CheckSubject = {
    side,
    segments,
    requestType: requestType(exchange),
    model: exchange.chat?.model ?? exchange.embeddings?.model,
    metadata: exchange.context.metadata ?? {},
    request: exchange.chat ?? exchange.embeddings,
    ...(exchange.principal ? { principal: exchange.principal } : {}),
    ...(response ? { response } : {}),
  };
  return subject;
}
