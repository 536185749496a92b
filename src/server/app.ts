/**
 * The route table: every endpoint of the gateway, on one screen.
 * Each request gets a context (id, abort signal); every error is rendered
 * by `sendError` in the OpenAI shape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../api/errors.js';
import { handleChatCompletions } from './chat-handler.js';
import { createRequestContext, type GatewayState, type RequestContext } from './context.js';
import { handleEmbeddings } from './embeddings-handler.js';
import { sendError, sendJson } from './http-io.js';
import { handleListModels } from './models-handler.js';
import { handlePassthrough } from './passthrough-handler.js';

type Handler = (state: GatewayState, context: RequestContext) => Promise<void> | void;

const routes: Record<string, Partial<Record<string, Handler>>> = {
  '/healthz': { GET: (_state, context) => sendJson(context.response, 200, { status: 'ok' }) },
  '/v1/chat/completions': { POST: handleChatCompletions },
  '/chat/completions': { POST: handleChatCompletions },
  '/v1/embeddings': { POST: handleEmbeddings },
  '/embeddings': { POST: handleEmbeddings },
  '/v1/models': { GET: handleListModels },
  '/models': { GET: handleListModels },
};

export function createRequestListener(state: GatewayState, isShuttingDown: () => boolean) {
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
    const route = routes[path];
    const handler = route?.[request.method ?? 'GET'];
    let result: Promise<void> | void;
    try {
      if (handler) result = handler(state, context);
      else if (route) throw new GatewayError('method_not_allowed', { message: `${request.method} is not allowed on ${path}.` });
      else if (path.startsWith('/v1/')) result = handlePassthrough(state, context, path, queryStart < 0 ? '' : url.slice(queryStart));
      else throw new GatewayError('not_found', { message: `No route for ${request.method} ${path}.` });
    } catch (error) {
      sendError(response, error);
      return;
    }
    if (result) result.catch((error: unknown) => sendError(response, error));
  };
}
