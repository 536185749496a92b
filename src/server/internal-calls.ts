/**
 * Calls the gateway makes to itself: an LLM-judge guardrail asking a route a
 * question, the cache embedding a prompt. They run a route (alias, route name,
 * or provider/model) with its retries and fallbacks, but without the request
 * stages, so a judge route's own guardrails can't call the judge again.
 */
import type { ChatCompletion, ChatRequest, EmbeddingRequest, EmbeddingResponse } from '../api/chat-schema.js';
import { RetryBudget } from '../routing/backoff.js';
import { RouteExecution } from '../routing/execute-route.js';
import { chooseRoute } from '../routing/request-route.js';
import { AbortEmitter } from './abort-emitter.js';
import type { GatewayState } from './context.js';
import { callChat, callEmbeddings } from './provider-call.js';
import { overrides } from './route-request.js';

function execution<T>(state: GatewayState, model: string, params: Readonly<Record<string, unknown>>, signal: AbortEmitter, attempt: ConstructorParameters<typeof RouteExecution<T>>[2]) {
  const chosen = chooseRoute(state.config, {}, model);
  const run = new RouteExecution<T>(
    state.routeDependencies,
    { model, metadata: {}, params, headers: {}, routeFromClient: false },
    attempt,
    new RetryBudget(state.config.routing.retry_budget),
    signal,
    `internal:${chosen.name ?? model}`,
  );
  return run.execute(chosen.route);
}

export function internalChat(state: GatewayState, request: ChatRequest, signal: AbortEmitter = new AbortEmitter()): Promise<ChatCompletion> {
  const chat: ChatRequest = { ...request, stream: false };
  return execution<ChatCompletion>(state, chat.model, chat, signal, async (target, leaf, release) => {
    try {
      const prepared: ChatRequest = { ...target.params, ...chat, ...overrides(leaf.overrideParams), model: target.model };
      return await callChat(state.upstream, target.adapter, prepared, { model: target.model, settings: target.settings, stream: false, inboundHeaders: {} }, signal, { guarded: target.guarded });
    } finally {
      release();
    }
  });
}

export function internalEmbeddings(state: GatewayState, request: EmbeddingRequest, signal: AbortEmitter = new AbortEmitter()): Promise<EmbeddingResponse> {
  return execution<EmbeddingResponse>(state, request.model, request, signal, async (target, leaf, release) => {
    try {
      const prepared: EmbeddingRequest = { ...target.params, ...request, ...overrides(leaf.overrideParams), model: target.model, encoding_format: 'float' };
      return await callEmbeddings(state.upstream, target.adapter, prepared, { model: target.model, settings: target.settings, stream: false, inboundHeaders: {} }, signal, { guarded: target.guarded });
    } finally {
      release();
    }
  });
}
