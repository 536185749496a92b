import { describe, expect, it, vi } from 'vitest';
import { chatCompletionSchema } from '../../../src/api/chat-schema.js';
import { GatewayError } from '../../../src/api/errors.js';
import { cohereAdapter } from '../../../src/providers/cohere/index.js';
import { fixtureJson } from '../../mocks/mock-server.js';
import { cohereContext } from './context.js';

function convert(body: unknown) {
  const completion = cohereAdapter.chatResponse(body, cohereContext());
  chatCompletionSchema.parse(completion);
  return completion;
}

describe('cohere response mapping', () => {
  it('maps a text response with usage from tokens and cached_tokens', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    try {
      expect(convert(fixtureJson('cohere/cohere-text.json'))).toEqual({
        id: 'e7592632-1e3d-424f-b129-bd5f9f980f7b',
        object: 'chat.completion',
        created: 1_700_000_000,
        model: 'command-a-03-2025',
        choices: [{ index: 0, message: { role: 'assistant', content: 'The capital of France is Paris.' }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 507, completion_tokens: 10, total_tokens: 517, prompt_tokens_details: { cached_tokens: 448 } },
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('maps tool calls, with the tool plan as content', () => {
    const completion = convert(fixtureJson('cohere/cohere-tool-call.json'));
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: 'I will use the weather tool to find out the weather in San Francisco. I will also use the cityAttractions tool to find out what attractions are in San Francisco.',
        tool_calls: [
          { id: 'weather_dqgshstja6p9', type: 'function', function: { name: 'weather', arguments: '{"location":"San Francisco"}' } },
          { id: 'cityAttractions_dcxfx4myvx68', type: 'function', function: { name: 'cityAttractions', arguments: '{"city":"San Francisco"}' } },
        ],
      },
      finish_reason: 'tool_calls',
      logprobs: null,
    });
    expect(completion.usage).toEqual({ prompt_tokens: 1549, completion_tokens: 103, total_tokens: 1652, prompt_tokens_details: { cached_tokens: 992 } });
  });

  it('turns "null" arguments into {}', () => {
    const completion = convert(fixtureJson('cohere/cohere-null-args.json'));
    expect(completion.choices[0]!.message.tool_calls).toEqual([{ id: 'currentTime_tf4dywn8wgnk', type: 'function', function: { name: 'currentTime', arguments: '{}' } }]);
    expect(JSON.parse(completion.choices[0]!.message.tool_calls![0]!.function.arguments)).toEqual({});
  });

  it('maps MAX_TOKENS to length', () => {
    const completion = convert(fixtureJson('cohere/cohere-max-tokens.json'));
    expect(completion.choices[0]!.finish_reason).toBe('length');
    expect(completion.choices[0]!.message.content).toBe('**The History of');
  });

  it('maps thinking items to reasoning_content', () => {
    const completion = convert(fixtureJson('cohere/cohere-reasoning.json'));
    expect(completion.choices[0]!.message).toEqual({
      role: 'assistant',
      content: '2 + 2 = 4',
      reasoning_content: 'Okay, so I need to figure out what 2 + 2 is. Let me start by recalling what addition means.',
    });
    expect(completion.usage).toEqual({ prompt_tokens: 1394, completion_tokens: 582, total_tokens: 1976, prompt_tokens_details: { cached_tokens: 1344 } });
  });

  it('keeps the text of a response with citations', () => {
    const completion = convert(fixtureJson('cohere/cohere-citations.json'));
    expect(completion.choices[0]!.message).toEqual({
      role: 'assistant',
      content: 'The key benefits mentioned in this document are:\n1. Automation of tasks\n2. Better decision-making\n3. Cost reduction',
    });
    expect(completion.choices[0]!.finish_reason).toBe('stop');
  });

  it('falls back to billed units without tokens, and maps STOP_SEQUENCE to stop', () => {
    const body = { id: 'x', finish_reason: 'STOP_SEQUENCE', message: { role: 'assistant', content: [{ type: 'text', text: 'a' }] }, usage: { billed_units: { input_tokens: 3, output_tokens: 1 } } };
    const completion = convert(body);
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage).toEqual({ prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 });
  });

  it('fails the request on finish_reason ERROR and TIMEOUT', () => {
    const body = (reason: string) => ({ id: 'x', finish_reason: reason, message: { role: 'assistant', content: [{ type: 'text', text: 'partial' }] } });
    expect(() => convert(body('ERROR'))).toThrow(expect.objectContaining({ code: 'upstream_error', status: 502, provider: 'co' }));
    expect(() => convert(body('TIMEOUT'))).toThrow(expect.objectContaining({ code: 'upstream_timeout' }));
  });

  it('rejects a body without a message', () => {
    expect(() => convert({ id: 'x' })).toThrow(GatewayError);
    expect(() => convert({ id: 'x' })).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
  });
});

describe('cohere error parsing', () => {
  it('reads the message and gives the OpenAI type for the status', () => {
    expect(cohereAdapter.parseError!(401, { id: 'b7f0', message: 'invalid api token' })).toEqual({ message: 'invalid api token', type: 'authentication_error', code: null });
    expect(cohereAdapter.parseError!(429, { id: 'b7f0', message: "You are using a Trial key, which is limited to 10 API calls / minute." })).toEqual({
      message: 'You are using a Trial key, which is limited to 10 API calls / minute.',
      type: 'rate_limit_error',
      code: null,
    });
    expect(cohereAdapter.parseError!(500, { id: 'x', message: 'internal server error' })).toEqual({ message: 'internal server error', type: null, code: null });
    expect(cohereAdapter.parseError!(502, '<html>Bad gateway</html>')).toEqual({ message: '<html>Bad gateway</html>', type: null, code: null });
    expect(cohereAdapter.parseError!(503, '')).toEqual({ message: 'Cohere returned HTTP 503.', type: null, code: null });
  });
});
