import { describe, expect, it } from 'vitest';
import { chatCompletionChunkSchema, type ChatCompletionChunk } from '../../../src/api/chat-schema.js';
import { GatewayError } from '../../../src/api/errors.js';
import { createChunkFactory } from '../../../src/providers/chunk-factory.js';
import { mistralAdapter } from '../../../src/providers/mistral/index.js';
import { fixtureChunks } from '../../mocks/mock-server.js';
import { assemble, chunk, mistralContext, usageChunk } from './context.js';

function run(payloads: unknown[]): ChatCompletionChunk[] {
  const mapper = mistralAdapter.chatStream(mistralContext({ stream: true }), createChunkFactory('model', 'id', 0));
  // Mistral's stream is data-only: no SSE event names.
  const chunks = payloads.flatMap((data) => mapper.event({ type: undefined, data }));
  chunks.push(...mapper.end());
  for (const item of chunks) chatCompletionChunkSchema.parse(item);
  return chunks;
}

function failure(payloads: unknown[]): GatewayError {
  const mapper = mistralAdapter.chatStream(mistralContext({ stream: true }), createChunkFactory('model', 'id', 0));
  try {
    for (const data of payloads) mapper.event({ type: undefined, data });
    mapper.end();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected the stream to fail');
}

const delta = (value: Record<string, unknown>, finishReason: string | null = null, index = 0) => ({ id: 'u', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index, delta: value, finish_reason: finishReason }] });

describe('mistral stream mapping', () => {
  it('maps a text stream chunk by chunk, with usage at the end', () => {
    expect(run(fixtureChunks('mistral/mistral-text.chunks.txt'))).toEqual([
      chunk({ content: '' }),
      chunk({ content: 'Hello' }),
      chunk({ content: ', ' }),
      chunk({ content: 'world!' }),
      chunk({ content: ' This' }),
      chunk({ content: ' is a test' }),
      chunk({ content: ' response.' }),
      chunk({}, 'stop'),
      usageChunk({ prompt_tokens: 13, completion_tokens: 8, total_tokens: 21 }),
    ]);
  });

  it('gives a whole tool call index, id, type and name first, then its arguments', () => {
    expect(run(fixtureChunks('mistral/mistral-tool-call.chunks.txt'))).toEqual([
      chunk({ content: '' }),
      chunk({ tool_calls: [{ index: 0, id: 'gSIMJiOkT', type: 'function', function: { name: 'weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"location": "San Francisco"}' } }] }),
      chunk({}, 'tool_calls'),
      usageChunk({ prompt_tokens: 124, completion_tokens: 22, total_tokens: 146 }),
    ]);
  });

  it('continues an incremental tool call by its index, without repeating the empty name', () => {
    const chunks = run(fixtureChunks('mistral/mistral-incremental-tool-call.chunks.txt'));
    expect(chunks).toEqual([
      chunk({ content: '' }),
      chunk({ tool_calls: [{ index: 0, id: 'chatcmpl-tool-9f149c74c42f265b', type: 'function', function: { name: 'webSearchTool', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"query": "current Berlin weather"}' } }] }),
      chunk({}, 'tool_calls'),
      usageChunk({ prompt_tokens: 171, completion_tokens: 14, total_tokens: 185, prompt_tokens_details: { cached_tokens: 128 } }),
    ]);
    expect(JSON.parse(assemble(chunks).calls[0]!.arguments)).toEqual({ query: 'current Berlin weather' });
  });

  it('maps thinking chunks to reasoning_content', () => {
    expect(run(fixtureChunks('mistral/mistral-reasoning.chunks.txt'))).toEqual([
      chunk({ reasoning_content: 'The user is asking' }),
      chunk({ reasoning_content: ' for 2+2. This is basic arithmetic. 2+2=4.' }),
      chunk({ content: '2 + 2 = 4' }),
      chunk({}, 'stop'),
      usageChunk({ prompt_tokens: 10, completion_tokens: 46, total_tokens: 56 }),
    ]);
  });

  it('streams parallel calls in one delta, closes calls without arguments with {}, and maps model_length', () => {
    const chunks = run([
      delta({ role: 'assistant', content: '' }),
      delta({ content: null, tool_calls: [{ id: 'aaaaaaaaa', function: { name: 'a', arguments: '{"x":1}' } }, { id: 'bbbbbbbbb', function: { name: 'b', arguments: '' } }] }),
      delta({ content: '' }, 'model_length'),
    ]);
    expect(assemble(chunks).calls).toEqual([
      { id: 'aaaaaaaaa', type: 'function', name: 'a', arguments: '{"x":1}' },
      { id: 'bbbbbbbbb', type: 'function', name: 'b', arguments: '{}' },
    ]);
    expect(chunks.at(-1)).toEqual(chunk({}, 'length'));
  });

  it('keeps choices apart when n > 1', () => {
    const chunks = run([delta({ content: 'A' }, null, 0), delta({ content: 'B' }, null, 1), delta({}, 'stop', 0), delta({}, 'stop', 1)]);
    expect(chunks).toEqual([chunk({ content: 'A' }), chunk({ content: 'B' }, null, 1), chunk({}, 'stop'), chunk({}, 'stop', 1)]);
  });

  it('is interrupted when no finish_reason came', () => {
    expect(failure(fixtureChunks('mistral/mistral-text.chunks.txt').slice(0, -1)).code).toBe('stream_interrupted');
    expect(failure([]).code).toBe('stream_interrupted');
    expect(failure([delta({ content: 'A' }, 'stop', 0), delta({ content: 'B' }, null, 1)]).code).toBe('stream_interrupted');
  });

  it('fails on an error object in the stream', () => {
    const error = failure([delta({ content: 'A' }), { object: 'error', message: 'Service unavailable.', type: 'internal_error', param: null, code: '1000' }]);
    expect(error).toMatchObject({ code: 'upstream_error', status: 502, message: 'Service unavailable.', upstreamCode: '1000', provider: 'mis' });
  });

  it('fails on finish_reason error', () => {
    expect(failure([delta({ content: 'A' }, 'error')])).toMatchObject({ code: 'upstream_error' });
  });
});
