/** POST /v1/chat/completions, streaming and not. */
import { chatRequestSchema, type ChatRequest } from '../api/chat-schema.js';
import type { CallContext } from '../providers/contract.js';
import type { ResolvedTarget } from '../routing/resolve-model.js';
import type { GatewayState, RequestContext } from './context.js';
import { bearerToken, headerRecord, parseJsonBody, readBody, sendJson, validate } from './http-io.js';
import { callChat, callChatStream } from './provider-call.js';
import { writeChunkStream } from './stream-writer.js';

function servedHeaders(target: ResolvedTarget): Record<string, string> {
  return { 'x-switchyard-provider': target.settings.name, 'x-switchyard-model': target.model };
}

export async function handleChatCompletions(state: GatewayState, context: RequestContext): Promise<void> {
  const body = parseJsonBody(await readBody(context.request, state.config.server.body_limit_bytes));
  const chat = validate(chatRequestSchema, body);
  const target = state.resolver.resolve(chat.model, bearerToken(context.request));
  let prepared: ChatRequest = { ...target.params, ...chat, model: target.model };
  if (target.adapter.needs.imageUrls === 'inline') prepared = await state.images.inline(prepared);
  const stream = prepared.stream === true;
  const callContext: CallContext = { model: target.model, settings: target.settings, stream, inboundHeaders: headerRecord(context.request) };

  if (!stream) {
    const completion = await callChat(state.upstream, target.adapter, prepared, callContext, context.signal);
    sendJson(context.response, 200, completion, servedHeaders(target));
    return;
  }
  const chunks = await callChatStream(state.upstream, target.adapter, prepared, callContext, context.signal);
  await writeChunkStream(context.response, chunks, { includeUsage: chat.stream_options?.include_usage === true, headers: servedHeaders(target) });
}
