import { describe, expect, it } from 'vitest';
import { chatCompletionSchema } from '../../../src/api/chat-schema.js';
import { mistralAdapter } from '../../../src/providers/mistral/index.js';
import { fixtureJson } from '../../mocks/mock-server.js';
import { mistralContext } from './context.js';

function convert(body: unknown) {
  const completion = mistralAdapter.chatResponse(body, mistralContext());
  chatCompletionSchema.parse(completion);
  return completion;
}

describe('mistral response mapping', () => {
  it('maps a text completion', () => {
    const recorded = fixtureJson('mistral/mistral-text.json');
    expect(convert(recorded)).toEqual({
      id: '5319bd0299614c679a0068a4f2c8ffd0',
      object: 'chat.completion',
      created: 1769088720,
      model: 'mistral-small-latest',
      choices: [{ index: 0, message: { role: 'assistant', content: recorded.choices[0].message.content }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 13, completion_tokens: 434, total_tokens: 447 },
    });
  });

  it('adds the type to tool calls', () => {
    expect(convert(fixtureJson('mistral/mistral-tool-call.json')).choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: null, tool_calls: [{ id: 'gSIMJiOkT', type: 'function', function: { name: 'weather', arguments: '{"location": "San Francisco"}' } }] },
      finish_reason: 'tool_calls',
      logprobs: null,
    });
  });

  it('splits thinking and text chunks into reasoning_content and content', () => {
    const completion = convert(fixtureJson('mistral/mistral-reasoning.json'));
    expect(completion.choices[0]!.message).toEqual({ role: 'assistant', content: '2 + 2 = 4', reasoning_content: 'The user is asking for 2+2. This is basic arithmetic. 2+2=4.' });
    expect(completion.model).toBe('magistral-medium-2507');
  });

  it('maps model_length to length, object arguments to JSON, and cached and reasoning tokens', () => {
    const completion = convert({
      id: 'x',
      created: 1,
      model: 'mistral-large-latest',
      object: 'chat.completion',
      choices: [
        { index: 0, finish_reason: 'model_length', message: { role: 'assistant', content: 'cut' } },
        { index: 1, finish_reason: 'tool_calls', message: { role: 'assistant', content: '', tool_calls: [{ id: 'abcdefghi', function: { name: 'f', arguments: { a: 1 } } }] } },
      ],
      usage: { prompt_tokens: 20, completion_tokens: 2, total_tokens: 22, num_cached_tokens: 8, prompt_tokens_details: { cached_tokens: 8 }, completion_tokens_details: { reasoning_tokens: 7 } },
    });
    expect(completion.choices.map((choice) => choice.finish_reason)).toEqual(['length', 'tool_calls']);
    expect(completion.choices[1]!.message).toEqual({ role: 'assistant', content: '', tool_calls: [{ id: 'abcdefghi', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] });
    expect(completion.usage).toEqual({ prompt_tokens: 20, completion_tokens: 2, total_tokens: 22, prompt_tokens_details: { cached_tokens: 8 }, completion_tokens_details: { reasoning_tokens: 7 } });
  });

  it('fails the request on finish_reason error, and on a body without choices', () => {
    expect(() => convert({ id: 'x', choices: [{ index: 0, finish_reason: 'error', message: { content: '' } }] })).toThrow(expect.objectContaining({ code: 'upstream_error', status: 502 }));
    expect(() => convert({ id: 'x' })).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
  });
});

describe('mistral error parsing', () => {
  it('reads the object:error shape with its code', () => {
    expect(
      mistralAdapter.parseError!(400, { object: 'error', message: 'Tool call id was call_0fypS1hVX but must be a-z, A-Z, 0-9, with a length of 9.', type: 'invalid_function_call', param: null, code: '3280' }),
    ).toEqual({ message: 'Tool call id was call_0fypS1hVX but must be a-z, A-Z, 0-9, with a length of 9.', type: 'invalid_function_call', code: '3280', param: null });
  });

  it('flattens validation reports', () => {
    const issue = { type: 'extra_forbidden', loc: ['body', 'max_completion_tokens'], msg: 'Extra inputs are not permitted', input: 32000 };
    expect(mistralAdapter.parseError!(422, { object: 'error', message: { detail: [issue] }, type: 'invalid_request_error', param: null, code: null })).toEqual({
      message: 'body.max_completion_tokens: Extra inputs are not permitted',
      type: 'invalid_request_error',
      code: null,
      param: null,
    });
    expect(mistralAdapter.parseError!(422, { detail: [issue, { ...issue, loc: ['body', 'store'] }] })).toEqual({
      message: 'body.max_completion_tokens: Extra inputs are not permitted; body.store: Extra inputs are not permitted',
      type: 'invalid_request_error',
      code: null,
      param: null,
    });
    expect(mistralAdapter.parseError!(422, { object: 'Error', detail: [issue], message: [issue], type: 'invalid_request_error', code: 3001 })).toMatchObject({ code: '3001' });
  });

  it('reads the bare 401 bodies', () => {
    expect(mistralAdapter.parseError!(401, { detail: 'Unauthorized' })).toEqual({ message: 'Unauthorized', type: 'authentication_error', code: null, param: null });
    expect(mistralAdapter.parseError!(401, { message: 'Unauthorized', request_id: 'c61f' })).toEqual({ message: 'Unauthorized', type: 'authentication_error', code: null, param: null });
    expect(mistralAdapter.parseError!(503, 'upstream connect error')).toEqual({ message: 'upstream connect error', type: null, code: null });
    expect(mistralAdapter.parseError!(500, {})).toEqual({ message: 'Mistral returned HTTP 500.', type: null, code: null });
  });
});
