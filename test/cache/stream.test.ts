import { describe, expect, it } from 'vitest';
import type { ChatCompletion, ChatCompletionChunk } from '../../src/api/chat-schema.js';
import { StreamAssembler } from '../../src/cache/stream-assembler.js';
import { replayChunks, splitText } from '../../src/cache/stream-replay.js';

const completion: ChatCompletion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 100,
  model: 'm1',
  system_fingerprint: 'fp_1',
  choices: [
    { index: 0, message: { role: 'assistant', content: 'Paris is sunny today, about 21 degrees with a light breeze.' }, finish_reason: 'stop' },
    {
      index: 1,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius","days":3}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
};

function assemble(chunks: readonly ChatCompletionChunk[]): ChatCompletion | undefined {
  const assembler = new StreamAssembler();
  for (const chunk of chunks) assembler.add(chunk);
  return assembler.result();
}

describe('stream replay', () => {
  it('sends the role first, content in pieces, tool calls with their indices, then the finish and the usage', () => {
    const chunks = replayChunks(completion);
    const first = chunks.filter((chunk) => chunk.choices[0]?.index === 0);
    expect(first[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    expect(first.slice(1, -1).map((chunk) => chunk.choices[0]!.delta.content)).toEqual(['Paris is sunny today, ab', 'out 21 degrees with a li', 'ght breeze.']);
    expect(first.at(-1)!.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop' });
    const tools = chunks.filter((chunk) => chunk.choices[0]?.index === 1).map((chunk) => chunk.choices[0]!.delta.tool_calls);
    expect(tools[1]).toEqual([{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }]);
    expect(tools[2]).toEqual([{ index: 0, function: { arguments: '{"city":"Paris","unit":"' } }]);
    expect(tools.filter((calls) => calls?.[0]?.index === 1)[0]).toEqual([{ index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '' } }]);
    expect(chunks.at(-1)).toEqual({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 100, model: 'm1', system_fingerprint: 'fp_1', choices: [], usage: completion.usage });
    expect(chunks.every((chunk) => chunk.id === 'chatcmpl-1' && chunk.object === 'chat.completion.chunk')).toBe(true);
  });

  it('assembles back into the same completion', () => {
    expect(assemble(replayChunks(completion))).toEqual(completion);
  });

  it("keeps the stop sequence that ended a choice (the choice's stop_reason)", () => {
    const stopped: ChatCompletion = { ...completion, choices: [{ ...completion.choices[0]!, stop_reason: '###' }, completion.choices[1]!] };
    const chunks = replayChunks(stopped);
    expect(chunks.filter((chunk) => chunk.choices[0]?.index === 0).at(-1)!.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop', stop_reason: '###' });
    expect(assemble(chunks)).toEqual(stopped);
  });

  it('keeps reasoning and refusals, and never cuts a surrogate pair', () => {
    const thinking: ChatCompletion = { ...completion, choices: [{ index: 0, message: { role: 'assistant', content: 'No.', refusal: 'I cannot help with that.', reasoning_content: 'The user asks for something unsafe.' }, finish_reason: 'stop' }] };
    expect(assemble(replayChunks(thinking))).toEqual(thinking);
    // Thinking blocks, signatures and all, come back whole and in order from a cached answer.
    const signed: ChatCompletion = {
      ...completion,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: '185',
            reasoning_content: '925 / 5',
            thinking_blocks: [
              { type: 'thinking', thinking: '925 / 5', signature: 'EvQBCkYICxgC' },
              { type: 'redacted_thinking', data: 'EmwKAhgB' },
            ],
          },
          finish_reason: 'stop',
        },
      ],
    };
    expect(assemble(replayChunks(signed))).toEqual(signed);
    expect(splitText('😀'.repeat(30)).map((piece) => Array.from(piece).length)).toEqual([24, 6]);
  });
});

describe('stream assembly', () => {
  const chunk = (delta: ChatCompletionChunk['choices'][number]['delta'], finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null): ChatCompletionChunk => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });

  it('returns nothing for a stream that never finished', () => {
    expect(assemble([chunk({ role: 'assistant', content: 'Hel' }), chunk({ content: 'lo' })])).toBeUndefined();
    expect(assemble([])).toBeUndefined();
  });

  it('joins logprobs and keeps the usage from a usage-only chunk', () => {
    const result = assemble([
      { ...chunk({ content: 'Hi' }), choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null, logprobs: { content: [{ token: 'Hi', logprob: -0.1 }] } }] },
      { ...chunk({ content: '!' }, 'stop'), choices: [{ index: 0, delta: { content: '!' }, finish_reason: 'stop', logprobs: { content: [{ token: '!', logprob: -0.2 }] } }] },
      { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
    ]);
    expect(result).toEqual({
      id: 'c',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi!' }, finish_reason: 'stop', logprobs: { content: [{ token: 'Hi', logprob: -0.1 }, { token: '!', logprob: -0.2 }], refusal: [] } }],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
  });
});
