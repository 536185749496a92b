import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../../src/api/chat-schema.js';
import { cohereAdapter } from '../../../src/providers/cohere/index.js';
import { streamHarness, type TypedPayload } from '../../helpers/provider-test-kit.js';
import { fixtureChunks } from '../../mocks/mock-server.js';
import { assemble, chunk, cohereContext, usageChunk } from './context.js';

type Payload = TypedPayload;

const { run, failure } = streamHarness(cohereAdapter, () => cohereContext({ stream: true }));

const start: Payload = { id: 'm1', type: 'message-start', delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } };
const end = (finish: string): Payload => ({ type: 'message-end', delta: { finish_reason: finish, usage: { tokens: { input_tokens: 5, output_tokens: 2 } } } });
const callStart = (index: number, id: string, name: string, args: string): Payload => ({
  type: 'tool-call-start',
  index,
  delta: { message: { tool_calls: { id, type: 'function', function: { name, arguments: args } } } },
});
const callDelta = (index: number, args: string): Payload => ({ type: 'tool-call-delta', index, delta: { message: { tool_calls: { function: { arguments: args } } } } });

describe('cohere stream mapping', () => {
  it('maps a text stream chunk by chunk', () => {
    expect(run(fixtureChunks('cohere/cohere-text.chunks.txt'))).toEqual([
      chunk({ content: '' }),
      chunk({ content: 'The' }),
      chunk({ content: ' capital' }),
      chunk({ content: ' of' }),
      chunk({ content: ' France' }),
      chunk({ content: ' is' }),
      chunk({ content: ' Paris' }),
      chunk({ content: '.' }),
      chunk({}, 'stop'),
      usageChunk({ prompt_tokens: 507, completion_tokens: 10, total_tokens: 517, prompt_tokens_details: { cached_tokens: 448 } }),
    ]);
  });

  it('maps thinking deltas to reasoning_content, then text', () => {
    const chunks = run(fixtureChunks('cohere/cohere-reasoning.chunks.txt'));
    const result = assemble(chunks);
    expect(result.reasoning).toBe(
      "The user is asking for the sum of 2 and 2. Since this is a straightforward arithmetic problem, I don't need to use any tools. I can calculate the answer directly.",
    );
    expect(result.content).toBe('The answer to 2 + 2 is 4.');
    expect(chunks[1]).toEqual(chunk({ reasoning_content: 'The' }));
    expect(result.finishes).toEqual(['stop']);
    expect(result.usages).toEqual([{ prompt_tokens: 1394, completion_tokens: 54, total_tokens: 1448, prompt_tokens_details: { cached_tokens: 1360 } }]);
  });

  it('streams two tool calls: the plan as content, ids and names first, then arguments that parse', () => {
    const chunks = run(fixtureChunks('cohere/cohere-tool-call.chunks.txt'));
    const result = assemble(chunks);
    expect(result.content).toBe('I will use the weather tool to find the weather in San Francisco and the cityAttractions tool to find attractions in San Francisco.');
    expect(result.calls).toEqual([
      { id: 'weather_e8p4pn45zt0t', type: 'function', name: 'weather', arguments: '{"location": "San Francisco"}' },
      { id: 'cityAttractions_pyxssbwnq9fq', type: 'function', name: 'cityAttractions', arguments: '{"city": "San Francisco"}' },
    ]);
    expect(result.calls.map((call) => JSON.parse(call.arguments))).toEqual([{ location: 'San Francisco' }, { city: 'San Francisco' }]);
    const starts = chunks.filter((item) => item.choices[0]?.delta.tool_calls?.[0]?.id);
    expect(starts.map((item) => item.choices[0]!.delta)).toEqual([
      { tool_calls: [{ index: 0, id: 'weather_e8p4pn45zt0t', type: 'function', function: { name: 'weather', arguments: '' } }] },
      { tool_calls: [{ index: 1, id: 'cityAttractions_pyxssbwnq9fq', type: 'function', function: { name: 'cityAttractions', arguments: '' } }] },
    ]);
    expect(chunks.find((item) => item.choices[0]?.delta.tool_calls?.[0]?.function?.arguments === '{"')!.choices[0]!.delta).toEqual({ tool_calls: [{ index: 0, function: { arguments: '{"' } }] });
    expect(result.finishes).toEqual(['tool_calls']);
    expect(result.usages).toEqual([{ prompt_tokens: 1549, completion_tokens: 95, total_tokens: 1644, prompt_tokens_details: { cached_tokens: 1504 } }]);
  });

  it('gives a call with empty arguments {} at tool-call-end', () => {
    const chunks = run(fixtureChunks('cohere/cohere-empty-tool-call.chunks.txt'));
    const tail = chunks.slice(-4);
    expect(tail).toEqual([
      chunk({ tool_calls: [{ index: 0, id: 'currentTime_y46ar19t5gvw', type: 'function', function: { name: 'currentTime', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
      usageChunk({ prompt_tokens: 1445, completion_tokens: 43, total_tokens: 1488, prompt_tokens_details: { cached_tokens: 704 } }),
    ]);
  });

  it('holds back streamed "null" arguments and sends {} instead', () => {
    const result = assemble(run([start, callStart(0, 't1', 'currentTime', ''), callDelta(0, 'nu'), callDelta(0, 'll'), { type: 'tool-call-end', index: 0 }, end('TOOL_CALL')]));
    expect(result.calls).toEqual([{ id: 't1', type: 'function', name: 'currentTime', arguments: '{}' }]);
  });

  it('passes arguments that come whole in tool-call-start, and closes calls left open at message-end', () => {
    const result = assemble(run([start, callStart(0, 't1', 'weather', '{"city":"Paris"}'), callStart(1, 't2', 'currentTime', ''), end('TOOL_CALL')]));
    expect(result.calls).toEqual([
      { id: 't1', type: 'function', name: 'weather', arguments: '{"city":"Paris"}' },
      { id: 't2', type: 'function', name: 'currentTime', arguments: '{}' },
    ]);
  });

  it('skips citation events and unknown event types', () => {
    const chunks = run([
      start,
      { type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } },
      { type: 'content-delta', index: 0, delta: { message: { content: { text: 'Hi' } } } },
      { type: 'citation-start', index: 0, delta: { message: { citations: { start: 0, end: 2, text: 'Hi', sources: [] } } } },
      { type: 'citation-end', index: 0 },
      { type: 'debug', prompt: 'x' },
      { type: 'content-end', index: 0 },
      end('MAX_TOKENS'),
    ]);
    expect(chunks.slice(0, 3)).toEqual([chunk({ content: '' }), chunk({ content: 'Hi' }), chunk({}, 'length')]);
  });

  it('is interrupted when message-end never came', () => {
    const { chunks, error } = failure(fixtureChunks('cohere/cohere-text.chunks.txt').slice(0, -1));
    expect(error.code).toBe('stream_interrupted');
    expect(assemble(chunks).content).toBe('The capital of France is Paris.');
  });

  it('fails the stream on finish_reason ERROR', () => {
    const { error } = failure([start, end('ERROR')], false);
    expect(error).toMatchObject({ code: 'upstream_error', status: 502, provider: 'co' });
  });

  it('rejects a malformed event', () => {
    expect(failure([start, { type: 'content-delta', index: 'x' }], false).error.code).toBe('upstream_bad_response');
  });
});
