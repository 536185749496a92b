import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../../src/api/chat-schema.js';
import { createChunkFactory } from '../../../src/providers/chunk-factory.js';
import { geminiAdapter } from '../../../src/providers/gemini/index.js';
import { fixtureChunks } from '../../mocks/mock-server.js';
import { geminiContext } from './context.js';

function run(events: unknown[]): ChatCompletionChunk[] {
  const mapper = geminiAdapter.chatStream(geminiContext({ model: 'gemini-3-pro-preview', stream: true }), createChunkFactory('model', 'id', 0));
  return [...events.flatMap((data) => mapper.event({ type: undefined, data })), ...mapper.end()];
}

const envelope = { id: 'id', object: 'chat.completion.chunk', created: 0, model: 'model' } as const;
const delta = (value: ChatCompletionChunk['choices'][number]['delta'], finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null, index = 0) => ({
  ...envelope,
  choices: [{ index, delta: value, finish_reason: finish }],
});

interface ToolCallSummary {
  id: string;
  name: string;
  arguments: string;
}

/** Tool calls rebuilt from deltas, checking OpenAI's rules: the first delta has id, type, name and '' arguments. */
function toolCalls(chunks: ChatCompletionChunk[]): ToolCallSummary[] {
  const calls: ToolCallSummary[] = [];
  for (const chunk of chunks) {
    for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
      if (call.id !== undefined) {
        expect(call.index).toBe(calls.length);
        expect(call).toEqual({ index: call.index, id: call.id, type: 'function', function: { name: expect.any(String), arguments: '' } });
        calls.push({ id: call.id, name: call.function!.name!, arguments: '' });
      } else {
        expect(Object.keys(call).sort()).toEqual(['function', 'index']);
        calls[call.index].arguments += call.function!.arguments;
      }
    }
  }
  return calls;
}

/** An independent reading of partialArgs: set each leaf at its path, appending string pieces. */
function expectedArguments(lines: any[]): Array<Record<string, unknown>> {
  const result: Array<Record<string, unknown>> = [];
  for (const line of lines) {
    for (const part of line.candidates?.[0]?.content?.parts ?? []) {
      const call = part.functionCall;
      if (!call) continue;
      if (call.name) result.push(call.args ?? {});
      for (const arg of call.partialArgs ?? []) {
        const path = [...(arg.jsonPath as string).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
        let target: any = result.at(-1);
        path.slice(0, -1).forEach((segment, i) => {
          target[segment] ??= typeof path[i + 1] === 'number' ? [] : {};
          target = target[segment];
        });
        const leaf = path.at(-1)!;
        const value = arg.stringValue ?? arg.numberValue ?? arg.boolValue ?? null;
        target[leaf] = typeof value === 'string' && typeof target[leaf] === 'string' ? target[leaf] + value : value;
      }
    }
  }
  return result;
}

describe('gemini stream mapping', () => {
  it('maps the recorded text stream to content deltas, stop, then usage (signature-only part emits nothing)', () => {
    expect(run(fixtureChunks('google/google-text.chunks.txt'))).toEqual([
      delta({ content: 'There are **3**' }),
      delta({ content: ' "r"s in strawberry.\n\nst**r**awbe**rr**y' }),
      delta({}, 'stop'),
      { ...envelope, choices: [], usage: { prompt_tokens: 9, completion_tokens: 208, total_tokens: 217, completion_tokens_details: { reasoning_tokens: 185 } } },
    ]);
  });

  it('maps a whole function call: first delta with id and name, then the arguments, finish tool_calls', () => {
    const lines = fixtureChunks('google/google-tool-call.chunks.txt');
    const signature = lines[0].candidates[0].content.parts[0].thoughtSignature;
    expect(run(lines)).toEqual([
      delta({ tool_calls: [{ index: 0, id: `call_0__thought__${signature}`, type: 'function', function: { name: 'weather', arguments: '' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"location":"San Francisco"}' } }] }),
      delta({}, 'tool_calls'),
      { ...envelope, choices: [], usage: { prompt_tokens: 29, completion_tokens: 60, total_tokens: 89, completion_tokens_details: { reasoning_tokens: 45 } } },
    ]);
  });

  it('streams partialArgs as JSON text: two calls, exact deltas', () => {
    const lines = fixtureChunks('google/google-stream-tool-call-arguments.chunks.txt');
    const signature = lines[0].candidates[0].content.parts[0].thoughtSignature;
    expect(run(lines)).toEqual([
      delta({ tool_calls: [{ index: 0, id: `call_0__thought__${signature}`, type: 'function', function: { name: 'getWeather', arguments: '' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"location":"Boston' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '"' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '}' } }] }),
      delta({ tool_calls: [{ index: 1, id: 'call_1', type: 'function', function: { name: 'getWeather', arguments: '' } }] }),
      delta({ tool_calls: [{ index: 1, function: { arguments: '{"location":"San Francisco' } }] }),
      delta({ tool_calls: [{ index: 1, function: { arguments: '"' } }] }),
      delta({ tool_calls: [{ index: 1, function: { arguments: '}' } }] }),
      delta({}, 'tool_calls'),
      { ...envelope, choices: [], usage: { prompt_tokens: 26, completion_tokens: 155, total_tokens: 181, completion_tokens_details: { reasoning_tokens: 132 } } },
    ]);
  });

  it('rebuilds nested partialArgs (objects in arrays in objects) into the exact arguments', () => {
    const lines = fixtureChunks('google/google-vertex-stream-tool-call-arguments-nested.1.chunks.txt');
    const chunks = run(lines);
    const calls = toolCalls(chunks);
    expect(calls.map((call) => call.name)).toEqual(['cookRecipe']);
    expect(JSON.parse(calls[0].arguments)).toEqual(expectedArguments(lines)[0]);
    expect(JSON.parse(calls[0].arguments).recipe.ingredients).toHaveLength(10);
    expect(JSON.parse(calls[0].arguments).recipe.steps[1]).toBe('Cook lasagna noodles according to package directions, drain and set aside.');
    expect(chunks.at(-2)).toEqual(delta({}, 'tool_calls'));
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 31, completion_tokens: 1710, total_tokens: 1741, completion_tokens_details: { reasoning_tokens: 1026 } });
  });

  it('closes a streamed call whose last partial has no willContinue (no terminal functionCall)', () => {
    const lines = fixtureChunks('google/google-stream-tool-call-array-arguments-missing-terminal-function-call.chunks.txt');
    const calls = toolCalls(run(lines));
    expect(calls.map((call) => call.name)).toEqual(['writeItems']);
    expect(JSON.parse(calls[0].arguments)).toEqual({
      operations: [
        { action: 'add', description: 'Fresh red apple', itemid: 'apple_001', price: 0.5 },
        { action: 'add', description: 'Ripe yellow banana', itemid: 'banana_001', price: 0.3 },
      ],
    });
    expect(JSON.parse(calls[0].arguments)).toEqual(expectedArguments(lines)[0]);
  });

  it('maps thoughts to reasoning_content and a no-argument call to {}', () => {
    const lines = fixtureChunks('google/google-stream-no-args-tool-call.chunks.txt');
    const chunks = run(lines);
    expect(chunks[0]).toEqual(delta({ reasoning_content: lines[0].candidates[0].content.parts[0].text }));
    const calls = toolCalls(chunks);
    expect(calls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual([
      ['read_theme', {}],
      ['read_screen', { id: 'A' }],
      ['read_screen', { id: 'B' }],
      ['read_screen', { id: 'C' }],
    ]);
    expect(calls.map((call) => call.id.split('__thought__')[0])).toEqual(['call_0', 'call_1', 'call_2', 'call_3']);
    expect(chunks.at(-2)).toEqual(delta({}, 'tool_calls'));
  });

  it('keeps choices apart by candidate index', () => {
    const chunks = run([
      { candidates: [{ index: 0, content: { parts: [{ text: 'A' }] } }, { index: 1, content: { parts: [{ text: 'B' }] } }] },
      { candidates: [{ index: 1, content: { parts: [{ text: '!' }] }, finishReason: 'MAX_TOKENS' }] },
      { candidates: [{ index: 0, content: { parts: [{ text: '' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7 } },
    ]);
    expect(chunks).toEqual([
      delta({ content: 'A' }, null, 0),
      delta({ content: 'B' }, null, 1),
      delta({ content: '!' }, null, 1),
      delta({}, 'length', 1),
      delta({}, 'stop', 0),
      { ...envelope, choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
    ]);
  });

  it('ends a blocked prompt with content_filter', () => {
    expect(run([{ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 5, totalTokenCount: 5 } }])).toEqual([
      delta({}, 'content_filter'),
      { ...envelope, choices: [], usage: { prompt_tokens: 5, completion_tokens: 0, total_tokens: 5 } },
    ]);
  });

  it('throws stream_interrupted when the upstream closed before a finishReason', () => {
    const lines = fixtureChunks('google/google-text.chunks.txt').slice(0, 2);
    expect(() => run(lines)).toThrow(expect.objectContaining({ code: 'stream_interrupted' }));
    expect(() => run([])).toThrow(expect.objectContaining({ code: 'stream_interrupted' }));
  });

  it('throws upstream_error on an in-band error event, keeping Google status and message', () => {
    const mapper = geminiAdapter.chatStream(geminiContext({ stream: true }), createChunkFactory('model', 'id', 0));
    expect(mapper.event({ type: undefined, data: fixtureChunks('google/google-text.chunks.txt')[0] })).toHaveLength(1);
    expect(() => mapper.event({ type: undefined, data: { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } } })).toThrow(
      expect.objectContaining({ code: 'upstream_error', status: 503, message: 'The model is overloaded. Please try again later.', upstreamCode: 'UNAVAILABLE' }),
    );
  });
});
