/**
 * One call to a provider: map the request, serialize and sign it, send it,
 * and map the answer back (a completion, a chunk stream or embeddings).
 * Upstream errors keep the provider's status and message.
 */
import { errors as undiciErrors } from 'undici';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, EmbeddingRequest, EmbeddingResponse } from '../api/chat-schema.js';
import { GatewayError } from '../api/errors.js';
import type { CallContext, ProviderAdapter, SerializedRequest, UpstreamEvent, UpstreamRequest } from '../providers/contract.js';
import { createChunkFactory } from '../providers/chunk-factory.js';
import { explicitRetryAfter } from '../routing/backoff.js';
import type { AbortEmitter } from './abort-emitter.js';
import { rememberRawJson } from './raw-json.js';
import { parseSse } from './sse.js';
import { decodeAwsEventStream } from './aws-event-stream.js';
import type { SendOptions, UpstreamClient, UpstreamResponse } from './upstream.js';

const maxErrorBodyBytes = 64 * 1024;

async function serialize(adapter: ProviderAdapter, request: UpstreamRequest, context: CallContext): Promise<SerializedRequest> {
  const serialized: SerializedRequest = { method: request.method, url: request.url, headers: request.headers, body: request.body === undefined ? undefined : JSON.stringify(request.body) };
  return adapter.sign ? adapter.sign(serialized, context.settings) : serialized;
}

async function readText(response: UpstreamResponse, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      response.body.destroy();
      break;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function upstreamError(adapter: ProviderAdapter, response: UpstreamResponse, provider: string): Promise<GatewayError> {
  const text = await readText(response, maxErrorBodyBytes);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the text itself is the message
  }
  const info = adapter.parseError?.(response.status, body, response.headers) ?? { message: text.slice(0, 500) || `HTTP ${response.status}` };
  const status = response.status >= 400 ? response.status : 502;
  return new GatewayError('upstream_error', { status, message: info.message, provider, upstreamCode: info.code ?? null, upstreamType: info.type ?? null, param: info.param ?? null, retryAfterMs: explicitRetryAfter(response.headers, Date.now()), upstreamHeaders: response.headers });
}

async function send(client: UpstreamClient, adapter: ProviderAdapter, request: UpstreamRequest, context: CallContext, signal: AbortEmitter, options: SendOptions): Promise<UpstreamResponse> {
  const serialized = await serialize(adapter, request, context);
  const response = await client.send(serialized, context.settings.name, signal, options);
  if (response.status < 200 || response.status >= 300) throw await upstreamError(adapter, response, context.settings.name);
  return response;
}

/** The body, parsed; its text is remembered (`raw-json.ts`), so that an answer passed on unchanged is written as it came. */
async function readJson(response: UpstreamResponse, provider: string): Promise<unknown> {
  try {
    const text = await response.body.text();
    const parsed: unknown = JSON.parse(text);
    rememberRawJson(parsed, text);
    return parsed;
  } catch (cause) {
    if (cause instanceof undiciErrors.BodyTimeoutError) throw new GatewayError('upstream_timeout', { provider, cause });
    throw new GatewayError('upstream_bad_response', { message: 'The provider sent a body that is not JSON.', provider, cause });
  }
}

export async function callChat(client: UpstreamClient, adapter: ProviderAdapter, chat: ChatRequest, context: CallContext, signal: AbortEmitter, options: SendOptions = {}): Promise<ChatCompletion> {
  const response = await send(client, adapter, adapter.chatRequest(chat, context), context, signal, options);
  return adapter.chatResponse(await readJson(response, context.settings.name), context);
}

export async function callEmbeddings(client: UpstreamClient, adapter: ProviderAdapter, embedding: EmbeddingRequest, context: CallContext, signal: AbortEmitter, options: SendOptions = {}): Promise<EmbeddingResponse> {
  if (!adapter.embedRequest || !adapter.embedResponse) {
    throw new GatewayError('unsupported_parameter', { message: `${context.settings.name} has no embeddings API.`, param: 'model', provider: context.settings.name });
  }
  const response = await send(client, adapter, adapter.embedRequest(embedding, context), context, signal, options);
  return adapter.embedResponse(await readJson(response, context.settings.name), context);
}

async function* oneEventBatches(events: AsyncIterable<UpstreamEvent>): AsyncGenerator<UpstreamEvent[]> {
  for await (const event of events) yield [event];
}

function streamFailure(error: unknown, provider: string, signal: AbortEmitter): unknown {
  if (error instanceof GatewayError || signal.aborted) return error;
  if (error instanceof undiciErrors.BodyTimeoutError || (error as Error).name === 'TimeoutError') {
    return new GatewayError('upstream_timeout', { provider, cause: error, message: 'The provider stream stalled: no data within the stream idle time-out.' });
  }
  return new GatewayError('stream_interrupted', { provider, cause: error, message: `The provider stream broke off: ${(error as Error).message}` });
}

/**
 * Sends the request and reads until the first chunk exists, so that a stream that fails
 * before its first byte reaches the client throws here (and a route can fall back).
 * The returned iterable yields that chunk and maps the rest lazily, in one async step per
 * chunk; `onEnd` runs once the stream is over, however it ends.
 */
export async function callChatStream(
  client: UpstreamClient,
  adapter: ProviderAdapter,
  chat: ChatRequest,
  context: CallContext,
  signal: AbortEmitter,
  options: SendOptions = {},
  onEnd: () => void = () => {},
): Promise<AsyncIterable<ChatCompletionChunk>> {
  const response = await send(client, adapter, adapter.chatRequest(chat, context), context, signal, options);
  const provider = context.settings.name;
  const batches = adapter.streamFraming === 'aws-eventstream' ? oneEventBatches(decodeAwsEventStream(response.body, provider)) : parseSse(response.body, provider);
  const iterator = batches[Symbol.asyncIterator]();
  const mapper = adapter.chatStream(context, createChunkFactory(context.model));
  let ended = false;
  let events: UpstreamEvent[] = [];
  let position = 0;
  /**
   * The next chunks: at least one, or an empty list once the stream has ended. Events are
   * mapped one at a time, so an error event after a text event still reaches the client
   * after that text, as it would had they come in separate reads.
   */
  const fail = (error: unknown): never => {
    ended = true;
    response.body.destroy();
    throw streamFailure(error, provider, signal);
  };
  /** The next chunks from events already read, without an async step; undefined when they are used up. */
  const pullBuffered = (): ChatCompletionChunk[] | undefined => {
    try {
      while (position < events.length) {
        const chunks = mapper.event(events[position++]!);
        if (chunks.length > 0) return chunks;
      }
    } catch (error) {
      fail(error);
    }
    return undefined;
  };
  /** The next chunks: at least one, or an empty list once the stream has ended. */
  const pull = async (): Promise<ChatCompletionChunk[]> => {
    for (;;) {
      const buffered = pullBuffered();
      if (buffered) return buffered;
      if (ended) return [];
      try {
        const next = await iterator.next();
        if (next.done) {
          ended = true;
          return mapper.end();
        }
        events = next.value;
        position = 0;
      } catch (error) {
        return fail(error);
      }
    }
  };
  let first: ChatCompletionChunk[];
  try {
    first = await pull();
  } catch (error) {
    onEnd();
    throw error;
  }
  return (async function* mapStream() {
    try {
      for (let chunks = first; chunks.length > 0; chunks = pullBuffered() ?? (await pull())) {
        for (const chunk of chunks) yield chunk;
      }
    } finally {
      if (!ended) response.body.destroy();
      onEnd();
    }
  })();
}
