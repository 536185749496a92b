import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../../src/api/chat-schema.js';
import { anthropicAdapter } from '../../../src/providers/anthropic/index.js';
import { streamHarness, type TypedPayload } from '../../helpers/provider-test-kit.js';
import { fixtureChunks } from '../../mocks/mock-server.js';
import { anthropicContext } from './context.js';

type Payload = TypedPayload;

const { run, failure } = streamHarness(anthropicAdapter, () => anthropicContext({ stream: true }));

/** The first response of a fixture that recorded several calls back to back. */
function firstResponse(payloads: Payload[]): Payload[] {
  return payloads.slice(0, payloads.findIndex((payload) => payload.type === 'message_stop') + 1);
}

function assemble(chunks: ChatCompletionChunk[]) {
  const calls: { id?: string; name?: string; arguments: string }[] = [];
  let content = '';
  let reasoning = '';
  for (const chunk of chunks) {
    const delta = chunk.choices[0]?.delta;
    content += delta?.content ?? '';
    reasoning += delta?.reasoning_content ?? '';
    for (const call of delta?.tool_calls ?? []) {
      calls[call.index] ??= { arguments: '' };
      if (call.id) calls[call.index].id = call.id;
      if (call.function?.name) calls[call.index].name = call.function.name;
      calls[call.index].arguments += call.function?.arguments ?? '';
    }
  }
  const finishes = chunks.filter((chunk) => chunk.choices[0]?.finish_reason).map((chunk) => chunk.choices[0].finish_reason);
  const usages = chunks.filter((chunk) => chunk.usage).map((chunk) => chunk.usage);
  return { content, reasoning, calls, finishes, usages };
}

const chunk = (delta: ChatCompletionChunk['choices'][number]['delta'], finishReason: ChatCompletionChunk['choices'][number]['finish_reason'] = null): ChatCompletionChunk => ({
  id: 'id',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'model',
  choices: [{ index: 0, delta, finish_reason: finishReason }],
});

describe('anthropic stream mapping', () => {
  it('maps a text stream chunk by chunk', () => {
    expect(run(fixtureChunks('anthropic/anthropic-text.chunks.txt'))).toEqual([
      chunk({ content: '' }),
      chunk({ content: 'Hello' }),
      chunk({ content: '! I' }),
      chunk({ content: "'m doing well, thank you for asking" }),
      chunk({ content: '. How are you doing today?' }),
      chunk({ content: ' Is' }),
      chunk({ content: ' there anything I can help you with?' }),
      chunk({}, 'stop'),
      {
        id: 'id',
        object: 'chat.completion.chunk',
        created: 0,
        model: 'model',
        choices: [],
        usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } },
      },
    ]);
  });

  it('streams a tool call without arguments as "{}"', () => {
    const chunks = run(fixtureChunks('anthropic/anthropic-tool-no-args.chunks.txt'));
    expect(chunks.slice(3, 5)).toEqual([
      chunk({ tool_calls: [{ index: 0, id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', type: 'function', function: { name: 'updateIssueList', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] }),
    ]);
    const result = assemble(chunks);
    expect(result.content).toBe("I'll update the issue list for you.");
    expect(result.calls).toEqual([{ id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList', arguments: '{}' }]);
    expect(result.finishes).toEqual(['tool_calls']);
    expect(result.usages).toEqual([{ prompt_tokens: 565, completion_tokens: 48, total_tokens: 613, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } }]);
  });

  it('streams tool arguments that concatenate to the JSON input', () => {
    const chunks = run(fixtureChunks('anthropic/anthropic-json-tool.1.chunks.txt'));
    const result = assemble(chunks);
    expect(result.calls).toHaveLength(1);
    expect(result.calls[0]).toMatchObject({ id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA', name: 'json' });
    expect(JSON.parse(result.calls[0].arguments)).toEqual({ elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] });
    const argumentChunks = chunks.filter((item) => item.choices[0]?.delta.tool_calls?.[0]?.function?.arguments);
    expect(argumentChunks.map((item) => item.choices[0].delta.tool_calls)).toEqual([
      [{ index: 0, function: { arguments: '{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]' } }],
      [{ index: 0, function: { arguments: '}' } }],
    ]);
    expect(result.finishes).toEqual(['tool_calls']);
  });

  it('counts tool-call indices over tool_use blocks only (server tools skipped, full input at start)', () => {
    const result = assemble(run(firstResponse(fixtureChunks('anthropic/anthropic-programmatic-tool-calling.1.chunks.txt'))));
    // Block 1 is the server's code_execution call (its input streams too) and is not a client tool call; block 2 is.
    expect(result.calls).toEqual([{ id: 'toolu_019jKkXz4jAdwHweHBw92CVY', name: 'rollDie', arguments: '{"player":"player1"}' }]);
    expect(result.finishes).toEqual(['tool_calls']);
  });

  it('maps client tool calls after server tool search', () => {
    const payloads = firstResponse(fixtureChunks('anthropic/anthropic-tool-search-regex.1.chunks.txt'));
    const starts = payloads.filter((payload) => payload.type === 'content_block_start' && (payload.content_block as { type: string }).type === 'tool_use');
    const result = assemble(run(payloads));
    expect(result.calls.map((call) => call.id)).toEqual(starts.map((start) => (start.content_block as { id: string }).id));
    for (const call of result.calls) expect(() => JSON.parse(call.arguments)).not.toThrow();
  });

  it('maps thinking deltas to reasoning_content, then the whole block with its signature once it ends', () => {
    const payloads = fixtureChunks('anthropic/anthropic-clear-thinking.1.chunks.txt');
    const signature = payloads.find((payload) => payload.type === 'content_block_delta' && payload.delta.type === 'signature_delta')!.delta.signature as string;
    const chunks = run(payloads);
    const result = assemble(chunks);
    const thinking = 'The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185';
    expect(result.reasoning).toBe(thinking);
    expect(result.content).toBe('925 ÷ 5 = 185');
    expect(chunks[1]).toEqual(chunk({ reasoning_content: 'The previous' }));
    const carrying = chunks.filter((item) => JSON.stringify(item).includes(signature.slice(0, 16)));
    expect(carrying).toEqual([chunk({ thinking_blocks: [{ type: 'thinking', thinking, signature }] })]);
    // After the last reasoning delta and before the answer's text.
    const at = chunks.indexOf(carrying[0]!);
    expect(chunks[at - 1]!.choices[0]!.delta.reasoning_content).toBeDefined();
    expect(chunks[at + 1]!.choices[0]!.delta.content).toBe('925');
  });

  it('passes a redacted_thinking block on whole, and none for a thinking block without a signature', () => {
    const payloads = [
      { type: 'message_start', message: { id: 'msg_r', model: 'claude-sonnet-4-5', usage: { input_tokens: 5, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'thinking_delta', thinking: 'unsigned' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: 'Done.' } },
      { type: 'content_block_stop', index: 2 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } },
      { type: 'message_stop' },
    ];
    const chunks = run(payloads as never);
    const blocks = chunks.flatMap((item) => item.choices[0]?.delta.thinking_blocks ?? []);
    expect(blocks).toEqual([{ type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT' }]);
    expect(assemble(chunks).reasoning).toBe('unsigned');
  });

  it('keeps text around web search, MCP and code execution blocks', () => {
    for (const name of ['anthropic-web-search-tool.1', 'anthropic-mcp.1', 'anthropic-code-execution-20250825.1', 'anthropic-compaction.1', 'anthropic-fallback']) {
      const payloads = fixtureChunks(`anthropic/${name}.chunks.txt`);
      const expected = payloads
        .filter((payload) => payload.type === 'content_block_delta' && payload.delta.type === 'text_delta')
        .map((payload) => payload.delta.text)
        .join('');
      const result = assemble(run(payloads));
      expect(result.content, name).toBe(expected);
      expect(result.calls, name).toEqual([]);
      expect(result.finishes, name).toEqual(['stop']);
    }
  });

  it('reports cache reads and writes, and thinking tokens, from message_delta', () => {
    const result = assemble(run(fixtureChunks('anthropic/anthropic-code-execution-20260120-prompt-cache.1.chunks.txt')));
    expect(result.usages).toEqual([
      {
        prompt_tokens: 6 + 6289 + 3337,
        completion_tokens: 198,
        total_tokens: 6 + 6289 + 3337 + 198,
        prompt_tokens_details: { cached_tokens: 6289, cache_write_tokens: 3337 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    ]);
  });

  it('takes input tokens from message_delta when it reports them', () => {
    const result = assemble(run(fixtureChunks('anthropic/anthropic-message-delta-input-tokens.chunks.txt')));
    expect(result.content).toBe('pong');
    expect(result.usages).toEqual([{ prompt_tokens: 61, completion_tokens: 2, total_tokens: 63 }]);
  });

  it('maps a streamed refusal to content_filter with its explanation', () => {
    expect(run(fixtureChunks('anthropic/anthropic-refusal.chunks.txt')).slice(0, 3)).toEqual([
      chunk({ content: '' }),
      chunk({ refusal: "This request triggered restrictions on violative cyber content and was blocked under Anthropic's Usage Policy." }),
      chunk({}, 'content_filter'),
    ]);
  });

  it('ignores a duplicate message_start for the open message', () => {
    const result = assemble(run(fixtureChunks('anthropic/duplicate-message-start.chunks.txt')));
    expect(result.content).toBe('Hello, World!');
    expect(result.finishes).toEqual(['stop']);
    expect(result.usages).toEqual([{ prompt_tokens: 17, completion_tokens: 227, total_tokens: 244 }]);
  });

  it('fails when a different message starts while one is open (spliced stream)', () => {
    const { chunks, error } = failure(fixtureChunks('anthropic/spliced-message-start.chunks.txt'));
    expect(error.code).toBe('upstream_bad_response');
    expect(error.message).toContain('msg_second');
    const result = assemble(chunks);
    expect(result.calls).toEqual([{ id: 'toolu_first', name: 'test-tool', arguments: '{"value":"Spark' }]);
    expect(result.finishes).toEqual([]);
  });

  it('throws stream_interrupted when the stream ends before message_stop', () => {
    const payloads = fixtureChunks('anthropic/anthropic-text.chunks.txt').slice(0, -1);
    const { chunks, error } = failure(payloads);
    expect(error.code).toBe('stream_interrupted');
    expect(assemble(chunks).finishes).toEqual([]);
  });

  it.each([
    ['overloaded_error', 529],
    ['rate_limit_error', 429],
    ['api_error', 500],
    ['timeout_error', 504],
    ['invalid_request_error', 400],
    ['something_new', 500],
  ])('turns an %s event into upstream_error %i', (type, status) => {
    const payloads = fixtureChunks('anthropic/anthropic-text.chunks.txt').slice(0, 4);
    payloads.push({ type: 'error', error: { type, message: 'Overloaded' } });
    const { chunks, error } = failure(payloads, false);
    expect(error.code).toBe('upstream_error');
    expect(error.status).toBe(status);
    expect(error.message).toBe('Overloaded');
    expect(error.provider).toBe('claude');
    expect(error.upstreamCode).toBe(type);
    expect(assemble(chunks).content).toBe('Hello');
  });

  it('skips unknown event types and rejects malformed known ones', () => {
    const payloads = fixtureChunks('anthropic/anthropic-text.chunks.txt');
    payloads.splice(2, 0, { type: 'some_future_event', value: 1 });
    expect(assemble(run(payloads)).content).toBe("Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?");
    const { error } = failure([{ type: 'content_block_delta', delta: 'oops' }]);
    expect(error.code).toBe('upstream_bad_response');
  });
});
