/** POST /v1/chat/completions, streaming and not, through the request's route. */
import { chatRequestSchema, type ChatCompletion, type ChatCompletionChunk, type ChatRequest } from '../api/chat-schema.js';
import type { CallContext } from '../providers/contract.js';
import type { Attempt } from '../routing/execute-route.js';
import type { ResolvedTarget } from '../routing/resolve-model.js';
import type { GatewayState, RequestContext } from './context.js';
import { headerRecord, parseJsonBody, readBody, sendJson, validate } from './http-io.js';
import { callChat, callChatStream } from './provider-call.js';
import { overrides, runRouted } from './route-request.js';
import { writeChunkStream } from './stream-writer.js';
import type { SendOptions } from './upstream.js';

type ChatResult = { target: ResolvedTarget; completion: ChatCompletion; chunks?: undefined } | { target: ResolvedTarget; chunks: AsyncIterable<ChatCompletionChunk>; completion?: undefined };

function servedHeaders(target: ResolvedTarget): Record<string, string> {
  return { 'x-switchyard-provider': target.settings.name, 'x-switchyard-model': target.model };
}

/** Re-attaches an already pulled first chunk; `release` runs once the stream is over. */
async function* resume(first: IteratorResult<ChatCompletionChunk>, rest: AsyncIterator<ChatCompletionChunk>, release: () => void): AsyncGenerator<ChatCompletionChunk> {
  try {
    if (first.done) return;
    yield first.value;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  } finally {
    release();
    await rest.return?.();
  }
}

export async function handleChatCompletions(state: GatewayState, context: RequestContext): Promise<void> {
  const body = parseJsonBody(await readBody(context.request, state.config.server.body_limit_bytes));
  const chat = validate(chatRequestSchema, body);
  const stream = chat.stream === true;
  const inboundHeaders = headerRecord(context.request);

  const attempt: Attempt<ChatResult> = async (target, leaf, release) => {
    let prepared: ChatRequest = { ...target.params, ...chat, ...overrides(leaf.overrideParams), model: target.model };
    if (target.adapter.needs.imageUrls === 'inline') prepared = await state.images.inline(prepared);
    const callContext: CallContext = { model: target.model, settings: target.settings, stream, inboundHeaders };
    const options: SendOptions = { guarded: target.guarded, timeouts: { firstByteMs: leaf.timeouts.first_byte_ms, totalMs: leaf.timeouts.total_ms, streamIdleMs: leaf.timeouts.stream_idle_ms } };
    if (!stream) {
      try {
        return { target, completion: await callChat(state.upstream, target.adapter, prepared, callContext, context.signal, options) };
      } finally {
        release();
      }
    }
    const chunks = await callChatStream(state.upstream, target.adapter, prepared, callContext, context.signal, options);
    // The first chunk is pulled here, so a stream that fails before its first byte reaches the client falls back.
    const iterator = chunks[Symbol.asyncIterator]();
    const first = await iterator.next();
    return { target, chunks: resume(first, iterator, release) };
  };

  const result = await runRouted(state, context, { model: chat.model, params: chat, metadata: chat.metadata }, attempt);
  if (result.completion) {
    sendJson(context.response, 200, result.completion, servedHeaders(result.target));
    return;
  }
  await writeChunkStream(context.response, result.chunks, { includeUsage: chat.stream_options?.include_usage === true, headers: servedHeaders(result.target) });
}
