/**
 * Writes OpenAI chunks to the client as SSE. The role goes on each choice's
 * first delta; usage reaches the client only when it asked for it
 * (`stream_options.include_usage`), always as one final chunk with no choices,
 * even from providers that attach it to the finishing chunk.
 * A stream that fails after it has started ends with an error event and
 * never with `[DONE]`.
 */
import type { ServerResponse } from 'node:http';
import type { ChatCompletionChunk, Usage } from '../api/chat-schema.js';
import { toErrorBody, toGatewayError, type GatewayError } from '../api/errors.js';
import { encodeSseData, sseDone } from './sse.js';

export interface StreamOutcome {
  usage?: Usage;
  chunks: number;
  error?: GatewayError;
  /** The client went away before the end. */
  aborted: boolean;
}

function write(response: ServerResponse, text: string): Promise<void> | undefined {
  if (response.write(text)) return undefined;
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

export async function writeChunkStream(
  response: ServerResponse,
  chunks: AsyncIterable<ChatCompletionChunk>,
  options: { includeUsage: boolean; headers: Record<string, string>; onFirstChunk?: () => void },
): Promise<StreamOutcome> {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no', ...options.headers });
  response.flushHeaders();
  const outcome: StreamOutcome = { chunks: 0, aborted: false };
  const roleSent = new Set<number>();
  let usageChunk: ChatCompletionChunk | undefined;
  try {
    for await (const chunk of chunks) {
      if (response.destroyed) break;
      if (chunk.usage) {
        outcome.usage = chunk.usage;
        usageChunk = chunk.choices.length === 0 ? chunk : { ...chunk, choices: [], usage: chunk.usage };
        if (chunk.choices.length === 0) continue;
      }
      if ('usage' in chunk) delete chunk.usage;
      for (const choice of chunk.choices) {
        if (!roleSent.has(choice.index)) {
          roleSent.add(choice.index);
          if (choice.delta.role === undefined) choice.delta = { role: 'assistant', ...choice.delta };
        }
      }
      outcome.chunks += 1;
      if (outcome.chunks === 1) options.onFirstChunk?.();
      await write(response, encodeSseData(chunk));
    }
    if (response.destroyed) {
      outcome.aborted = true;
      return outcome;
    }
    if (usageChunk && options.includeUsage) await write(response, encodeSseData(usageChunk));
    response.end(sseDone);
  } catch (error) {
    if (response.destroyed) {
      outcome.aborted = true;
      return outcome;
    }
    const gatewayError = toGatewayError(error);
    outcome.error = gatewayError;
    response.end(encodeSseData(toErrorBody(gatewayError)));
  }
  return outcome;
}
