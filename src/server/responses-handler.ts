/**
 * POST /v1/responses: OpenAI's Responses API. Where the request's model is served by a provider that speaks
 * it natively (an OpenAI-dialect provider: OpenAI, Azure, the catalog), it is passed through unchanged, as
 * every other /v1/* path is, so that its stored state and built-in tools keep working. Otherwise (a native
 * dialect such as Anthropic or Gemini, an alias, a named route, a config header) it is translated: the request
 * becomes the canonical chat request (`api/responses/to-chat.ts`) and goes the way of a chat completion
 * (stages, route, retries, cache, guardrails, budgets, the log); the answer comes back as a Response object,
 * a stream as the Responses API's events, errors in OpenAI's shape as on the chat API.
 */
import { chatRequestSchema } from '../api/chat-schema.js';
import { toResponse } from '../api/responses/from-chat.js';
import { responsesRequestSchema } from '../api/responses/request-schema.js';
import { ResponseEventEncoder } from '../api/responses/stream-events.js';
import { responsesToChat } from '../api/responses/to-chat.js';
import type { GatewayState, RequestContext } from './context.js';
import { finalCompletion, sendStream, serveChat } from './chat-handler.js';
import { createExchange, runExchange } from './exchange.js';
import { readBody, sendJson, validate } from './http-io.js';
import { handlePassthrough } from './passthrough-handler.js';
import type { Exchange } from './pipeline.js';
import { framedEncoder } from './stream-writer.js';

/** Headers that choose a route the chat path applies (a config, or Portkey's provider or config). */
const routeHeaders = ['x-switchyard-config', 'x-portkey-config', 'x-portkey-provider'] as const;

/**
 * Whether the request is translated rather than passed through: not when the client names the provider to pass
 * it to (`x-switchyard-provider`) or the model resolves to an OpenAI-dialect provider; yes for a route header,
 * a named route, an alias (whose params only the chat path applies) and any other dialect. A model that does not
 * resolve is passed through, as before (the provider answers for it).
 */
export function translatesResponses(state: GatewayState, headers: RequestContext['request']['headers'], body: unknown): boolean {
  if (typeof headers['x-switchyard-provider'] === 'string') return false;
  if (routeHeaders.some((name) => typeof headers[name] === 'string' && headers[name] !== '')) return true;
  const model = body !== null && typeof body === 'object' ? (body as { model?: unknown }).model : undefined;
  if (typeof model !== 'string') return false;
  if (state.config.routes[model] || state.config.configs[model] || state.config.models[model]) return true;
  const slash = model.indexOf('/');
  const named = slash > 0 ? state.resolver.settings(model.slice(0, slash)) : undefined;
  if (named) return named.dialect !== 'openai';
  try {
    return state.resolver.resolve(model, undefined).settings.dialect !== 'openai';
  } catch {
    return false;
  }
}

/** Reads the body, then runs the request as a passthrough or as a translated chat exchange. */
export async function routeResponses(state: GatewayState, context: RequestContext, search: string): Promise<void> {
  let raw: Buffer;
  try {
    raw = await readBody(context.request, state.config.server.body_limit_bytes);
  } catch (error) {
    // Logged like any request: the exchange fails with the read's error.
    return runExchange(createExchange('passthrough', state, context), () => Promise.reject(error));
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    body = undefined;
  }
  if (body === undefined || !translatesResponses(state, context.request.headers, body)) {
    return runExchange(createExchange('passthrough', state, context), (exchange) => handlePassthrough(exchange, '/v1/responses', search, { body: raw, json: body }));
  }
  return runExchange(createExchange('chat', state, context), (exchange) => handleResponses(exchange, body));
}

async function handleResponses(exchange: Exchange, json: unknown): Promise<void> {
  const { context } = exchange;
  const body = validate(responsesRequestSchema, json);
  const served = await serveChat(exchange, validate(chatRequestSchema, responsesToChat(body)));
  const id = `resp_${context.id.replaceAll('-', '')}`;
  const createdAt = Math.floor(Date.now() / 1000);
  if (served.completion) {
    const final = await finalCompletion(exchange, served.completion);
    sendJson(context.response, 200, toResponse(final, body, { id, createdAt }), served.headers);
    return;
  }
  const events = new ResponseEventEncoder(body, { id, createdAt, model: served.headers['x-switchyard-model'] ?? body.model });
  await sendStream(exchange, served.staged, framedEncoder(events, (error) => events.fail(error).join('')), served.headers);
}
