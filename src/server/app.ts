/**
 * The route table: every endpoint of the gateway, on one screen.
 * Each request gets a context (id, abort signal). API requests become an
 * exchange that passes through the stages; admin requests go to the admin
 * router. Every error is rendered by `sendError` in the OpenAI shape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../api/errors.js';
import { handleChatCompletions } from './chat-handler.js';
import { createRequestContext, type GatewayState, type RequestContext } from './context.js';
import { handleEmbeddings } from './embeddings-handler.js';
import { createExchange, runExchange } from './exchange.js';
import { sendError, sendJson } from './http-io.js';
import { handleCountTokens, handleMessages } from './messages-handler.js';
import { handleListModels } from './models-handler.js';
import { handlePassthrough } from './passthrough-handler.js';
import { routeResponses } from './responses-handler.js';
import type { Exchange, ExchangeKind } from './pipeline.js';

type ApiHandler = { kind: ExchangeKind; handle: (exchange: Exchange) => Promise<void> };

const api: Record<string, Partial<Record<string, ApiHandler>>> = {
  '/v1/chat/completions': { POST: { kind: 'chat', handle: handleChatCompletions } },
  '/chat/completions': { POST: { kind: 'chat', handle: handleChatCompletions } },
  // Anthropic's Messages API, answered in its own shapes (errors included).
  '/v1/messages': { POST: { kind: 'chat', handle: handleMessages } },
  '/v1/messages/count_tokens': { POST: { kind: 'models', handle: handleCountTokens } },
  '/v1/embeddings': { POST: { kind: 'embeddings', handle: handleEmbeddings } },
  '/embeddings': { POST: { kind: 'embeddings', handle: handleEmbeddings } },
  '/v1/models': { GET: { kind: 'models', handle: handleListModels } },
  '/models': { GET: { kind: 'models', handle: handleListModels } },
};

/** Paths served outside the API (health, metrics, admin, dashboard): each answers for itself. */
export type PlainHandler = (state: GatewayState, context: RequestContext, path: string) => Promise<void> | void;

export function createRequestListener(state: GatewayState, isShuttingDown: () => boolean, extra: readonly { prefix: string; handle: PlainHandler }[] = []) {
  return function onRequest(request: IncomingMessage, response: ServerResponse): void {
    const context = createRequestContext(request, response);
    if (isShuttingDown()) {
      response.setHeader('connection', 'close');
      sendError(response, new GatewayError('shutting_down'));
      return;
    }
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    if (path === '/healthz') {
      sendJson(response, 200, { status: 'ok' });
      return;
    }
    if (path === '/v1/responses' && request.method === 'POST') {
      // Passed through or translated, by where the model goes: that needs the body (responses-handler.ts).
      void routeResponses(state, context, queryStart < 0 ? '' : url.slice(queryStart));
      return;
    }
    const route = api[path];
    const handler = route?.[request.method ?? 'GET'];
    if (handler) {
      void runExchange(createExchange(handler.kind, state, context), handler.handle);
      return;
    }
    if (route) return sendError(response, new GatewayError('method_not_allowed', { message: `${request.method} is not allowed on ${path}.` }));
    if (path.startsWith('/v1/')) {
      void runExchange(createExchange('passthrough', state, context), (exchange) => handlePassthrough(exchange, path, queryStart < 0 ? '' : url.slice(queryStart)));
      return;
    }
    const plain = extra.find((entry) => path === entry.prefix || path.startsWith(`${entry.prefix}/`));
    if (plain) {
      Promise.resolve()
        .then(() => plain.handle(state, context, path))
        .catch((error: unknown) => sendError(response, error));
      return;
    }
    sendError(response, new GatewayError('not_found', { message: `No route for ${request.method} ${path}.` }));
  };
}
