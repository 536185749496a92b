/**
 * Writes a stream of chunks to the client as SSE, in the format of the API it
 * came in on (a `StreamEncoder`): OpenAI's chunks here (`chatChunkEncoder`),
 * Anthropic's events for the Messages API. For OpenAI's, the role goes on each
 * choice's first delta; usage reaches the client only when it asked for it
 * (`stream_options.include_usage`), always as one final chunk with no choices,
 * even from providers that attach it to the finishing chunk.
 * A stream that fails after it has started ends with the format's error event
 * (never with `[DONE]`).
 */
import type { ServerResponse } from 'node:http';
import type { ChatCompletionChunk, Usage } from '../api/chat-schema.js';
import { toErrorBody, toGatewayError, type GatewayError } from '../api/errors.js';
import type { StreamObserver } from './pipeline.js';
import { rawJsonOf } from './raw-json.js';
import { encodeSseData, sseDone } from './sse.js';

export interface StreamOutcome {
  usage?: Usage;
  chunks: number;
  error?: GatewayError;
  /** The client went away before the end. */
  aborted: boolean;
}

/**
 * Frames are gathered and written together: the chunks that one upstream read produced
 * go out in one write (one syscall), not one write each. The flush is a nextTick, which
 * Node runs once the promise jobs of the current read are drained, so it adds no turn
 * of the event loop (a setImmediate did, and cost latency).
 */
class FrameWriter {
  private pending: string[] = [];
  private scheduled = false;
  private drained: Promise<void> | undefined;

  constructor(private readonly response: ServerResponse) {}

  /** Queues a frame; resolves at once unless the client is not keeping up. */
  push(frame: string): Promise<void> | undefined {
    this.pending.push(frame);
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(() => this.flush());
    }
    return this.drained;
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0 || this.response.destroyed) return;
    const text = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    if (!this.response.write(text)) {
      this.drained ??= new Promise((resolve) => {
        const done = (): void => {
          this.response.off('drain', done);
          this.response.off('close', done);
          this.drained = undefined;
          resolve();
        };
        this.response.on('drain', done);
        this.response.on('close', done);
      });
    }
  }

  /** The last frames go out with the end of the response, in one write. */
  end(frame: string): void {
    this.pending.push(frame);
    const text = this.pending.join('');
    this.pending = [];
    this.response.end(text);
  }
}

/** `"usage":null` can only be the chunk's own field: inside a string every quote is escaped. */
const usageNull = /,"usage":\s*null(?=\s*[,}])/;

/** How a stream's chunks become SSE text, in one inbound API's format. */
export interface StreamEncoder {
  /** The frames for one chunk, or undefined when it shows the client nothing. */
  chunk(chunk: ChatCompletionChunk): string | undefined;
  /** The frames that end a stream that finished. */
  end(): string;
  /** The frame that ends a stream that failed after it started. */
  error(error: GatewayError): string;
}

/** A StreamEncoder over an inbound API's event encoder, which gives its frames as a list for each chunk and at the end. */
export function framedEncoder(events: { chunk(chunk: ChatCompletionChunk): string[]; finish(): string[] }, error: (error: GatewayError) => string): StreamEncoder {
  return {
    chunk: (chunk) => events.chunk(chunk).join('') || undefined,
    end: () => events.finish().join(''),
    error,
  };
}

export interface SseStreamOptions {
  readonly headers: Record<string, string>;
  readonly onFirstChunk?: () => void;
  /** Shown each chunk before it is written (see StreamObserver). */
  readonly observers?: readonly StreamObserver[];
}

/** OpenAI's `chat.completion.chunk` frames, ended by `[DONE]`. */
export function chatChunkEncoder(options: {
  includeUsage: boolean;
  /** Write an unchanged chunk's original JSON text. Only safe when no stage may have changed chunks in place. */
  reuseRawJson?: boolean;
}): StreamEncoder {
  const roleSent = new Set<number>();
  let usageChunk: ChatCompletionChunk | undefined;
  return {
    chunk(chunk) {
      if (chunk.usage) {
        usageChunk = chunk.choices.length === 0 ? chunk : { ...chunk, choices: [], usage: chunk.usage };
        if (chunk.choices.length === 0) return undefined;
      }
      let raw = options.reuseRawJson ? rawJsonOf(chunk) : undefined;
      if ('usage' in chunk) {
        const stripped = raw !== undefined && chunk.usage === null ? raw.replace(usageNull, '') : undefined;
        raw = stripped !== undefined && stripped.length < raw!.length ? stripped : undefined;
        delete chunk.usage;
      }
      for (const choice of chunk.choices) {
        if (!roleSent.has(choice.index)) {
          roleSent.add(choice.index);
          if (choice.delta.role === undefined) {
            choice.delta = { role: 'assistant', ...choice.delta };
            raw = undefined;
          }
        }
      }
      return raw === undefined ? encodeSseData(chunk) : `data: ${raw}\n\n`;
    },
    end: () => (usageChunk && options.includeUsage ? encodeSseData(usageChunk) : '') + sseDone,
    error: (error) => encodeSseData(toErrorBody(error)),
  };
}

/** OpenAI's stream of chunks (`chatChunkEncoder`). */
export function writeChunkStream(
  response: ServerResponse,
  chunks: AsyncIterable<ChatCompletionChunk>,
  options: SseStreamOptions & Parameters<typeof chatChunkEncoder>[0],
): Promise<StreamOutcome> {
  return writeSseStream(response, chunks, chatChunkEncoder(options), options);
}

export async function writeSseStream(response: ServerResponse, chunks: AsyncIterable<ChatCompletionChunk>, encoder: StreamEncoder, options: SseStreamOptions): Promise<StreamOutcome> {
  const observers = options.observers ?? [];
  try {
    return await writeObservedStream(response, chunks, encoder, options, observers);
  } finally {
    for (const observer of observers) observer.close?.();
  }
}

async function writeObservedStream(
  response: ServerResponse,
  chunks: AsyncIterable<ChatCompletionChunk>,
  encoder: StreamEncoder,
  options: SseStreamOptions,
  observers: readonly StreamObserver[],
): Promise<StreamOutcome> {
  // The first chunk is awaited before the status line: a stream that fails before it (a held
  // stream a guardrail refuses, say) still gets a plain HTTP error, thrown to the caller, and
  // headers a stage sets meanwhile still go out. No flushHeaders(): they leave with the first frame.
  const iterator = chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no', ...options.headers });
  const outcome: StreamOutcome = { chunks: 0, aborted: false };
  const writer = new FrameWriter(response);
  try {
    for (let next = first; !next.done; next = await iterator.next()) {
      const chunk = next.value;
      if (response.destroyed) {
        await iterator.return?.();
        break;
      }
      for (const observer of observers) observer.chunk(chunk);
      if (chunk.usage) outcome.usage = chunk.usage;
      const text = encoder.chunk(chunk);
      if (text === undefined) continue;
      outcome.chunks += 1;
      if (outcome.chunks === 1) options.onFirstChunk?.();
      await writer.push(text);
    }
    if (response.destroyed) {
      outcome.aborted = true;
      return outcome;
    }
    for (const observer of observers) observer.end?.();
    writer.end(encoder.end());
  } catch (error) {
    if (response.destroyed) {
      outcome.aborted = true;
      return outcome;
    }
    const gatewayError = toGatewayError(error);
    outcome.error = gatewayError;
    writer.end(encoder.error(gatewayError));
  }
  return outcome;
}
