/**
 * POST /v1/chat/completions, streaming and not, through the stages and the request's route.
 * `serveChat` is the part every inbound format shares (the Messages API renders its result its own way).
 */
import { chatRequestSchema, type ChatCompletion, type ChatCompletionChunk, type ChatRequest } from '../api/chat-schema.js';
import type { CallContext } from '../providers/contract.js';
import type { Attempt } from '../routing/execute-route.js';
import type { ResolvedTarget } from '../routing/resolve-model.js';
import { headerRecord, parseJsonBody, readBody, sendJson, validate } from './http-io.js';
import { rawJsonOf } from './raw-json.js';
import { runAfterCompletion, runBefore, runCheckCompletion, stageStream, type Exchange, type StagedStream } from './pipeline.js';
import { callChat, callChatStream } from './provider-call.js';
import { overrides, planRoute, runRouted } from './route-request.js';
import { chatChunkEncoder, writeSseStream, type StreamEncoder } from './stream-writer.js';
import type { SendOptions } from './upstream.js';

type ChatResult = { target: ResolvedTarget; completion: ChatCompletion; chunks?: undefined } | { target: ResolvedTarget; chunks: AsyncIterable<ChatCompletionChunk>; completion?: undefined };

export async function handleChatCompletions(exchange: Exchange): Promise<void> {
  const { state, context } = exchange;
  const body = parseJsonBody(await readBody(context.request, state.config.server.body_limit_bytes));
  const served = await serveChat(exchange, validate(chatRequestSchema, body));
  const includeUsage = exchange.chat?.stream_options?.include_usage === true;
  if (served.completion) return sendCompletion(exchange, served.completion, served.headers);
  return sendStream(exchange, served.staged, chatChunkEncoder({ includeUsage, reuseRawJson: served.staged.unchanged }), served.headers);
}

/** What a chat request came to: a completion, or a stream through the stages; with the headers naming what served it. */
export type ServedChat = { completion: ChatCompletion; staged?: undefined; headers: Record<string, string> } | { staged: StagedStream; completion?: undefined; headers: Record<string, string> };

/** Runs the stages before the call and the route (retries, fallbacks), up to the answer to render. */
export async function serveChat(exchange: Exchange, parsed: ChatRequest): Promise<ServedChat> {
  const { state, context } = exchange;
  exchange.chat = parsed;
  const stream = parsed.stream === true;
  const initialPlan = planRoute(exchange, parsed.model, parsed, parsed.metadata);
  const answer = await runBefore(state.stages, exchange);
  const plan = exchange.plan ?? initialPlan;
  const chat: ChatRequest = exchange.chat;

  if (answer) {
    if ('completion' in answer) return { completion: answer.completion, headers: {} };
    return { staged: { chunks: answer.chunks, observers: [], unchanged: false }, headers: {} };
  }

  const inboundHeaders = headerRecord(context.request);
  const attempt: Attempt<ChatResult> = async (target, leaf, release) => {
    let prepared: ChatRequest = { ...target.params, ...chat, ...overrides(leaf.overrideParams), model: target.model };
    if (target.adapter.needs.imageUrls === 'inline') prepared = await state.images.inline(prepared);
    const callContext: CallContext = { model: target.model, settings: target.settings, stream, inboundHeaders };
    const options: SendOptions = {
      guarded: target.guarded,
      timeouts: { firstByteMs: leaf.timeouts.first_byte_ms, totalMs: leaf.timeouts.total_ms, streamIdleMs: leaf.timeouts.stream_idle_ms },
      headers: state.traceHeaders?.(exchange),
    };
    if (!stream) {
      try {
        const completion = await callChat(state.upstream, target.adapter, prepared, callContext, context.abort, options);
        await runCheckCompletion(state.stages, exchange, completion);
        return { target, completion };
      } finally {
        release();
      }
    }
    // callChatStream reads up to the first chunk, so a stream that fails before its first byte reaches the client falls back.
    return { target, chunks: await callChatStream(state.upstream, target.adapter, prepared, callContext, context.abort, options, release) };
  };

  const result = await runRouted(exchange, plan, attempt);
  exchange.served = { provider: result.target.settings.name, model: result.target.model };
  const headers = { 'x-switchyard-provider': result.target.settings.name, 'x-switchyard-model': result.target.model };
  if (result.completion) return { completion: result.completion, headers };
  return { staged: stageStream(state.stages, exchange, result.chunks), headers };
}

/** The completion after the stages that see a whole answer (output guardrails, the cache), as the exchange keeps it. */
export async function finalCompletion(exchange: Exchange, completion: ChatCompletion): Promise<ChatCompletion> {
  exchange.usage ??= completion.usage;
  const final = await runAfterCompletion(exchange.state.stages, exchange, completion);
  exchange.completion = final;
  exchange.firstTokenAt = performance.now();
  return final;
}

/**
 * Writes the answer. One that no stage replaced and that the provider's adapter passed on as it parsed it (the
 * OpenAI dialect's) is written as its upstream text, which saves serializing it again: no stage changes an answer
 * in place (each one that changes it returns a copy), so the text still says what the object does.
 */
async function sendCompletion(exchange: Exchange, completion: ChatCompletion, headers: Record<string, string>): Promise<void> {
  const final = await finalCompletion(exchange, completion);
  const raw = final === completion ? rawJsonOf(final) : undefined;
  exchange.completionText = { of: final, ...sendJson(exchange.context.response, 200, final, headers, raw) };
}

/** Writes the stream in `encoder`'s format and records on the exchange how it ended. */
export async function sendStream(exchange: Exchange, staged: StagedStream, encoder: StreamEncoder, headers: Record<string, string>): Promise<void> {
  const outcome = await writeSseStream(exchange.context.response, staged.chunks, encoder, {
    headers,
    observers: staged.observers,
    onFirstChunk: () => {
      exchange.firstTokenAt = performance.now();
    },
  });
  exchange.usage ??= outcome.usage;
  if (outcome.error) exchange.error = outcome.error;
  exchange.status = outcome.error ? outcome.error.status : 200;
  if (outcome.aborted) exchange.status = 499;
}
