import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../../src/api/chat-schema.js';
import { createChunkFactory } from '../../../src/providers/chunk-factory.js';
import type { UpstreamEvent } from '../../../src/providers/contract.js';
import { bedrockAdapter } from '../../../src/providers/bedrock/index.js';
import { fixtureChunks } from '../../mocks/mock-server.js';
import { bedrockContext, thrown } from './context.js';

/** A fixture line's single key is the `:event-type`, its value the payload. */
function events(fixture: string): UpstreamEvent[] {
  return fixtureChunks(`amazon-bedrock/${fixture}`).map((line: Record<string, unknown>) => {
    const [type, data] = Object.entries(line)[0];
    return { type, data };
  });
}

function run(input: UpstreamEvent[]): ChatCompletionChunk[] {
  const mapper = bedrockAdapter.chatStream(bedrockContext({ stream: true }), createChunkFactory('model', 'id', 0));
  return [...input.flatMap((event) => mapper.event(event)), ...mapper.end()];
}

const chunk = (delta: ChatCompletionChunk['choices'][number]['delta'], finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null): ChatCompletionChunk => ({
  id: 'id',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'model',
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const usageChunk = (usage: ChatCompletionChunk['usage']): ChatCompletionChunk => ({ id: 'id', object: 'chat.completion.chunk', created: 0, model: 'model', choices: [], usage });

function toolArguments(chunks: ChatCompletionChunk[]): Map<number, string> {
  const byIndex = new Map<number, string>();
  for (const item of chunks) {
    for (const call of item.choices[0]?.delta.tool_calls ?? []) byIndex.set(call.index, (byIndex.get(call.index) ?? '') + (call.function?.arguments ?? ''));
  }
  return byIndex;
}

describe('bedrock stream mapping (recorded fixtures)', () => {
  it('maps text deltas, the finish reason, then usage last', () => {
    const chunks = run(events('amazon-bedrock-text.chunks.txt'));
    const texts = ['Let', ' me count the "', 'r"s in "', 'strawberry":\n\ns-t-', '**', 'r**-a-w-b', '-e-**', 'r**-**', 'r**-y\n\nThere', ' are **3', '** r', '\'s in "strawberry."'];
    expect(chunks).toEqual([...texts.map((content) => chunk({ content })), chunk({}, 'stop'), usageChunk({ prompt_tokens: 22, completion_tokens: 55, total_tokens: 77 })]);
  });

  it('maps a streamed tool call: id and name first, then argument pieces, usage after the finish even when metadata came first', () => {
    const chunks = run(events('amazon-bedrock-tool-call.1.chunks.txt'));
    expect(chunks).toEqual([
      chunk({ tool_calls: [{ index: 0, id: 'tool-use-id', type: 'function', function: { name: 'test-tool', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"value":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Sparkle Day"}' } }] }),
      chunk({}, 'tool_calls'),
      usageChunk({ prompt_tokens: 125, completion_tokens: 45, total_tokens: 170 }),
    ]);
    expect(JSON.parse(toolArguments(chunks).get(0)!)).toEqual({ value: 'Sparkle Day' });
  });

  it('gives a tool call without arguments "{}" so the arguments parse', () => {
    const chunks = run(events('amazon-bedrock-tool-no-args.chunks.txt'));
    expect(chunks).toEqual([
      chunk({ content: "I'll update the issue list for you." }),
      chunk({ tool_calls: [{ index: 0, id: 'tool-use-id', type: 'function', function: { name: 'updateIssueList', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
      usageChunk({ prompt_tokens: 100, completion_tokens: 25, total_tokens: 125 }),
    ]);
    expect(JSON.parse(toolArguments(chunks).get(0)!)).toEqual({});
  });

  it('counts tool indices from 0 across text blocks (content block 1 and 2 → tool 0 and 1)', () => {
    const chunks = run(events('amazon-bedrock-json-tool-text-then-weather-then-json.1.chunks.txt'));
    const firsts = chunks.flatMap((item) => item.choices[0]?.delta.tool_calls ?? []).filter((call) => call.id !== undefined);
    expect(firsts).toEqual([
      { index: 0, id: 'weather-tool-1', type: 'function', function: { name: 'weather', arguments: '' } },
      { index: 1, id: 'weather-tool-2', type: 'function', function: { name: 'weather', arguments: '' } },
    ]);
    expect([...toolArguments(chunks)].map(([index, text]) => [index, JSON.parse(text)])).toEqual([
      [0, { location: 'San Francisco' }],
      [1, { location: 'London' }],
    ]);
    expect(chunks.map((item) => item.choices[0]?.delta.content).filter(Boolean).join('')).toBe('2 + 2 equals 4. Now let me check the weather for you.');
    expect(chunks.at(-2)).toEqual(chunk({}, 'tool_calls'));
    expect(chunks.at(-1)).toEqual(usageChunk({ prompt_tokens: 500, completion_tokens: 100, total_tokens: 600 }));
  });

  it('handles tool blocks that interleave with text blocks (three tools)', () => {
    const chunks = run(events('amazon-bedrock-json-with-tools.1.chunks.txt'));
    expect([...toolArguments(chunks)]).toEqual([
      [0, '{"a":"1"}'],
      [1, '{"b":"2"}'],
      [2, '{"final":"result"}'],
    ]);
    expect(chunks.at(-1)).toEqual(chunk({}, 'tool_calls'));
  });

  it('maps reasoning deltas to reasoning_content (empty deltas skipped), then the block whole with its signature', () => {
    const payloads = events('amazon-bedrock-reasoning.chunks.txt');
    const chunks = run(payloads);
    const reasoning = chunks.map((item) => item.choices[0]?.delta.reasoning_content).filter((text) => text !== undefined);
    const signature = payloads.map((payload) => (payload.data as { delta?: { reasoningContent?: { signature?: string } } }).delta?.reasoningContent?.signature).find(Boolean);
    const blocks = chunks.filter((item) => item.choices[0]?.delta.thinking_blocks);
    expect(blocks).toEqual([chunk({ thinking_blocks: [{ type: 'thinking', thinking: reasoning.join(''), signature: signature! }] })]);
    expect(chunks.indexOf(blocks[0]!)).toBe(reasoning.length);
    expect(reasoning.join('')).toBe('Let me count the r\'s in "strawberry":\n\ns-t-r-a-w-b-e-r-r-y\n\nr appears at positions 3, 8, and 9.\n\nSo there are 3 r\'s.');
    expect(reasoning).toHaveLength(10);
    expect(chunks.map((item) => item.choices[0]?.delta.content).filter(Boolean).join('')).toBe('There are **3** r\'s in "strawberry":\n\n1. st**r**awbe**r****r**y');
    expect(chunks.slice(-2)).toEqual([chunk({}, 'stop'), usageChunk({ prompt_tokens: 51, completion_tokens: 94, total_tokens: 145 })]);
  });

  it('passes redacted reasoning on whole when its block stops, and no block for unsigned reasoning', () => {
    const chunks = run([
      { type: 'messageStart', data: { role: 'assistant' } },
      { type: 'contentBlockDelta', data: { contentBlockIndex: 0, delta: { reasoningContent: { redactedContent: 'EmwKAhgB' } } } },
      { type: 'contentBlockDelta', data: { contentBlockIndex: 0, delta: { reasoningContent: { redactedContent: 'Egy3va3p' } } } },
      { type: 'contentBlockStop', data: { contentBlockIndex: 0 } },
      { type: 'contentBlockDelta', data: { contentBlockIndex: 1, delta: { reasoningContent: { text: 'unsigned' } } } },
      { type: 'contentBlockStop', data: { contentBlockIndex: 1 } },
      { type: 'messageStop', data: { stopReason: 'end_turn' } },
    ]);
    expect(chunks.flatMap((item) => item.choices[0]?.delta.thinking_blocks ?? [])).toEqual([{ type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3p' }]);
    expect(chunks.map((item) => item.choices[0]?.delta.reasoning_content).filter(Boolean)).toEqual(['unsigned']);
  });

  it('emits no usage chunk when metadata never came', () => {
    const chunks = run(events('amazon-bedrock-json-tool.1.chunks.txt'));
    expect(chunks.at(-1)).toEqual(chunk({}, 'tool_calls'));
    expect(chunks.some((item) => item.usage)).toBe(false);
  });
});

describe('bedrock stream mapping: edge cases', () => {
  it('maps cache reads and writes in the metadata usage', () => {
    const chunks = run([
      { type: 'messageStop', data: { stopReason: 'max_tokens' } },
      { type: 'metadata', data: { usage: { inputTokens: 4, outputTokens: 9, totalTokens: 113, cacheReadInputTokens: 60, cacheWriteInputTokens: 40 } } },
    ]);
    expect(chunks).toEqual([chunk({}, 'length'), usageChunk({ prompt_tokens: 104, completion_tokens: 9, total_tokens: 113, prompt_tokens_details: { cached_tokens: 60, cache_write_tokens: 40 } })]);
  });

  it('ignores unknown event types and padding fields', () => {
    const chunks = run([
      { type: 'somethingNew', data: { x: 1 } },
      { type: 'contentBlockDelta', data: { contentBlockIndex: 0, delta: { text: 'Hi' }, p: 'abcdef' } },
      { type: 'messageStop', data: { stopReason: 'end_turn', p: 'abc' } },
    ]);
    expect(chunks).toEqual([chunk({ content: 'Hi' }), chunk({}, 'stop')]);
  });

  it('throws stream_interrupted when the stream ends without messageStop', () => {
    const mapper = bedrockAdapter.chatStream(bedrockContext({ stream: true }), createChunkFactory('model', 'id', 0));
    expect(mapper.event({ type: 'contentBlockDelta', data: { contentBlockIndex: 0, delta: { text: 'Hel' } } })).toEqual([chunk({ content: 'Hel' })]);
    const error = thrown(() => mapper.end());
    expect([error.code, error.status, error.provider, error.isRetryable]).toEqual(['stream_interrupted', 502, 'aws', true]);
  });

  it('rejects tool input for a block that never started, and malformed events', () => {
    const mapper = bedrockAdapter.chatStream(bedrockContext({ stream: true }), createChunkFactory('model', 'id', 0));
    expect(thrown(() => mapper.event({ type: 'contentBlockDelta', data: { contentBlockIndex: 3, delta: { toolUse: { input: '{}' } } } })).code).toBe('upstream_bad_response');
    expect(thrown(() => mapper.event({ type: 'messageStop', data: { reason: 'x' } })).code).toBe('upstream_bad_response');
  });
});
