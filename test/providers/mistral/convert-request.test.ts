import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/api/errors.js';
import { mistralAdapter } from '../../../src/providers/mistral/index.js';
import { mistralToolCallId } from '../../../src/providers/mistral/tool-call-id.js';
import { chatRequest, mistralContext } from './context.js';

function map(input: Record<string, unknown>, stream = false) {
  return mistralAdapter.chatRequest(chatRequest(input), mistralContext({ stream }));
}

function rejected(input: Record<string, unknown>): GatewayError {
  try {
    map(input);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected the request to be rejected');
}

const weather = { type: 'function', function: { name: 'weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };

describe('mistral request mapping', () => {
  it('posts to {base}/chat/completions with a Bearer key and renames seed and max tokens', () => {
    const request = map({
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Invent a holiday.', name: 'ann' },
      ],
      max_completion_tokens: 100,
      max_tokens: 50,
      temperature: 0.3,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      n: 2,
      presence_penalty: -0.5,
      frequency_penalty: 0.5,
      user: 'u-1',
      metadata: { tag: 'x' },
      store: false,
      safe_prompt: true,
    });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://api.mistral.ai/v1/chat/completions');
    expect(request.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer mis-test' });
    expect(request.body).toEqual({
      model: 'mistral-small-latest',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Invent a holiday.' },
      ],
      max_tokens: 100,
      temperature: 0.3,
      top_p: 0.9,
      stop: ['END'],
      random_seed: 7,
      n: 2,
      presence_penalty: -0.5,
      frequency_penalty: 0.5,
      store: false,
      safe_prompt: true,
    });
  });

  it('streams without stream_options (usage comes with the last chunk)', () => {
    const request = map({ stream: true, stream_options: { include_usage: true } }, true);
    expect(request.body).toEqual({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], stream: true });
    expect(request.headers.accept).toBe('text/event-stream');
  });

  it('maps images, audio and inline files to Mistral chunks', () => {
    const body = map({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe these.' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' } },
            { type: 'file', file: { file_data: 'JVBER' } },
          ],
        },
      ],
    }).body;
    expect(body).toEqual({
      model: 'mistral-small-latest',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe these.' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            { type: 'input_audio', input_audio: 'UklGRg==' },
            { type: 'document_url', document_url: 'data:application/pdf;base64,JVBER', document_name: 'a.pdf' },
            { type: 'document_url', document_url: 'data:application/pdf;base64,JVBER' },
          ],
        },
      ],
    });
    expect(rejected({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'f-1' } }] }] })).toMatchObject({ code: 'unsupported_parameter', param: 'messages' });
  });

  it('makes foreign tool-call ids 9 alphanumerics, the same in the call and its result, and keeps Mistral ids', () => {
    const body = map({
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
            { id: 'gSIMJiOkT', type: 'function', function: { name: 'weather', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
        { role: 'tool', tool_call_id: 'gSIMJiOkT', content: [{ type: 'text', text: '21°C' }] },
      ],
      tools: [weather],
    }).body;
    expect(body).toEqual({
      model: 'mistral-small-latest',
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          tool_calls: [
            { id: '2zXTUoItE', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
            { id: 'gSIMJiOkT', type: 'function', function: { name: 'weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: '2zXTUoItE', content: '18°C' },
        { role: 'tool', tool_call_id: 'gSIMJiOkT', content: '21°C' },
      ],
      tools: [{ type: 'function', function: weather.function }],
    });
    expect(mistralToolCallId('chatcmpl-tool-9f149c74c42f265b')).toMatch(/^[a-zA-Z0-9]{9}$/);
  });

  it('sends earlier reasoning back as a thinking chunk', () => {
    const body = map({ messages: [{ role: 'user', content: '2+2?' }, { role: 'assistant', content: '4', reasoning_content: 'Basic arithmetic.' }, { role: 'user', content: 'and 3+3?' }] }).body as { messages: unknown[] };
    expect(body.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: [{ type: 'text', text: 'Basic arithmetic.' }], closed: true },
        { type: 'text', text: '4' },
      ],
    });
  });

  it('maps tool_choice (required → any, a name → a function choice) and parallel_tool_calls', () => {
    expect(map({ tools: [weather], tool_choice: 'required', parallel_tool_calls: false }).body).toMatchObject({ tool_choice: 'any', parallel_tool_calls: false });
    expect(map({ tools: [weather], tool_choice: 'none' }).body).toMatchObject({ tool_choice: 'none' });
    expect(map({ tools: [weather], tool_choice: 'auto' }).body).toMatchObject({ tool_choice: 'auto' });
    expect(map({ tools: [weather], tool_choice: { type: 'function', function: { name: 'weather' } } }).body).toMatchObject({ tool_choice: { type: 'function', function: { name: 'weather' } } });
    expect(map({ tool_choice: 'required', parallel_tool_calls: true }).body).toEqual({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'hi' }] });
    const strict = { ...weather, function: { ...weather.function, strict: true } };
    expect((map({ tools: [strict] }).body as { tools: unknown[] }).tools).toEqual([{ type: 'function', function: { ...weather.function, strict: true } }]);
  });

  it('maps response_format: json_schema natively, json_object as is', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    expect(map({ response_format: { type: 'json_schema', json_schema: { name: 'person', description: 'A person', schema, strict: true } } }).body).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'person', description: 'A person', schema, strict: true } },
    });
    expect(map({ response_format: { type: 'json_schema', json_schema: { name: 'person' } } }).body).toMatchObject({ response_format: { type: 'json_object' } });
    expect(map({ response_format: { type: 'json_object' } }).body).toMatchObject({ response_format: { type: 'json_object' } });
    expect(map({ response_format: { type: 'text' } }).body).not.toHaveProperty('response_format');
  });

  it('maps reasoning_effort to Mistral\'s two levels', () => {
    expect(map({ reasoning_effort: 'none' }).body).toMatchObject({ reasoning_effort: 'none' });
    expect(map({ reasoning_effort: 'low' }).body).toMatchObject({ reasoning_effort: 'high' });
    expect(map({ reasoning_effort: 'high' }).body).toMatchObject({ reasoning_effort: 'high' });
    expect(map({ prompt_mode: 'reasoning' }).body).toMatchObject({ prompt_mode: 'reasoning' });
  });

  it('rejects what Mistral cannot honour', () => {
    expect(rejected({ logit_bias: { '1': 2 } })).toMatchObject({ code: 'unsupported_parameter', param: 'logit_bias', status: 400 });
    expect(rejected({ logprobs: true })).toMatchObject({ param: 'logprobs' });
    expect(rejected({ top_logprobs: 2 })).toMatchObject({ param: 'top_logprobs' });
  });

  it('needs an API key', () => {
    expect(() => mistralAdapter.chatRequest(chatRequest({}), mistralContext({ settings: { apiKey: undefined } }))).toThrow(expect.objectContaining({ code: 'missing_credentials' }));
  });
});
