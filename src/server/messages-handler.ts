/**
 * POST /v1/messages: Anthropic's Messages API in front of every provider. The
 * request becomes the canonical chat request (`api/anthropic/to-chat.ts`) and
 * goes the same way as a chat completion (stages, route, retries, cache, log);
 * the answer and any error are rendered in Anthropic's shapes, streams as
 * Anthropic's events. POST /v1/messages/count_tokens answers with the
 * gateway's own estimate (`usage/count-tokens.ts`).
 */
import { chatRequestSchema } from '../api/chat-schema.js';
import { toGatewayError } from '../api/errors.js';
import { toAnthropicErrorBody, toAnthropicMessage } from '../api/anthropic/from-chat.js';
import { countTokensRequestSchema, messagesRequestSchema } from '../api/anthropic/request-schema.js';
import { MessageEventEncoder } from '../api/anthropic/stream-events.js';
import { messagesToChat } from '../api/anthropic/to-chat.js';
import { countChatInput } from '../usage/count-tokens.js';
import { finalCompletion, sendStream, serveChat } from './chat-handler.js';
import { parseJsonBody, readBody, sendError, sendJson, validate } from './http-io.js';
import { runBefore, type Exchange } from './pipeline.js';
import { framedEncoder } from './stream-writer.js';

export async function handleMessages(exchange: Exchange): Promise<void> {
  const { state, context } = exchange;
  // Anthropic's clients name models bare (`claude-sonnet-4-5`): without an alias or a prefix, they go to Anthropic.
  exchange.preferredProvider = 'anthropic';
  // Their older SDKs send the key as x-api-key: a provider key there is the client's own, as a Bearer token is
  // (governance takes a virtual key from either and then uses no client key).
  const apiKey = context.request.headers['x-api-key'];
  if (!exchange.clientProviderKey && typeof apiKey === 'string' && apiKey.trim() !== '') exchange.clientProviderKey = apiKey.trim();
  await inAnthropicShape(exchange, async () => {
    const body = validate(messagesRequestSchema, parseJsonBody(await readBody(context.request, state.config.server.body_limit_bytes)));
    const served = await serveChat(exchange, validate(chatRequestSchema, messagesToChat(body)));
    const headers = { ...served.headers, 'request-id': context.id };
    if (served.completion) {
      const final = await finalCompletion(exchange, served.completion);
      sendJson(context.response, 200, toAnthropicMessage(final), headers);
      return;
    }
    const events = new MessageEventEncoder(body.model, `msg_${context.id}`);
    await sendStream(exchange, served.staged, framedEncoder(events, (error) => MessageEventEncoder.error(error, context.id)), headers);
  });
}

/** Runs `answer`; an error it throws goes to the client in Anthropic's shape, and onto the exchange for the log. */
async function inAnthropicShape(exchange: Exchange, answer: () => Promise<void>): Promise<void> {
  const { id, response } = exchange.context;
  try {
    await answer();
  } catch (error) {
    exchange.error = toGatewayError(error);
    sendError(response, exchange.error, (rendered) => toAnthropicErrorBody(rendered, id), { 'request-id': id });
  }
}

/**
 * The input tokens of a Messages request, counted with the gateway's tokenizer (o200k): an estimate for every
 * provider, Claude's own tokenizer included. Keys are checked (the exchange is of kind `models`: no budget, no limit).
 */
export async function handleCountTokens(exchange: Exchange): Promise<void> {
  const { state, context } = exchange;
  await inAnthropicShape(exchange, async () => {
    const body = validate(countTokensRequestSchema, parseJsonBody(await readBody(context.request, state.config.server.body_limit_bytes)));
    const chat = validate(chatRequestSchema, messagesToChat(body));
    await runBefore(state.stages, exchange);
    sendJson(context.response, 200, { input_tokens: countChatInput(chat).tokens }, { 'request-id': context.id });
  });
}

