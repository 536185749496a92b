import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/api/errors.js';
import { cohereAdapter } from '../../../src/providers/cohere/index.js';
import { chatRequest, cohereContext } from './context.js';

function map(input: Record<string, unknown>, stream = false) {
  return cohereAdapter.chatRequest(chatRequest(input), cohereContext({ stream }));
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
const time = { type: 'function', function: { name: 'currentTime' } };

describe('cohere request mapping', () => {
  it('posts to /v2/chat with a Bearer key and maps the sampling parameters', () => {
    const request = map({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Capital of France?' },
      ],
      max_completion_tokens: 100,
      max_tokens: 50,
      temperature: 0.2,
      top_p: 0.9,
      stop: 'END',
      seed: 7,
      frequency_penalty: 0.5,
      presence_penalty: 0.25,
      user: 'u-1',
      metadata: { tag: 'x' },
    });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://api.cohere.com/v2/chat');
    expect(request.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer co-test' });
    expect(request.body).toEqual({
      model: 'command-a-03-2025',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'Capital of France?' },
      ],
      max_tokens: 100,
      temperature: 0.2,
      p: 0.9,
      stop_sequences: ['END'],
      seed: 7,
      frequency_penalty: 0.5,
      presence_penalty: 0.25,
    });
  });

  it('sets stream: true and asks for an event stream when streaming', () => {
    const request = map({ stream: true, stream_options: { include_usage: true } }, true);
    expect(request.body).toEqual({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }], stream: true });
    expect(request.headers.accept).toBe('text/event-stream');
  });

  it('does not double /v2 in a configured base URL', () => {
    const request = cohereAdapter.chatRequest(chatRequest({}), cohereContext({ settings: { baseURL: 'http://proxy.local/v2/' } }));
    expect(request.url).toBe('http://proxy.local/v2/chat');
  });

  it('sends text-only parts as a string and images as image_url parts', () => {
    expect(map({ messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }] }).body).toMatchObject({ messages: [{ role: 'user', content: 'ab' }] });
    const body = map({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          ],
        },
      ],
    }).body;
    expect(body).toEqual({
      model: 'command-a-03-2025',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          ],
        },
      ],
    });
  });

  it('rejects audio and files', () => {
    expect(rejected({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AA', format: 'wav' } }] }] })).toMatchObject({ code: 'unsupported_parameter', param: 'messages' });
    expect(rejected({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'f-1' } }] }] })).toMatchObject({ code: 'unsupported_parameter', param: 'messages' });
  });

  it('maps a tool-call round trip: assistant text becomes tool_plan, empty arguments become {}', () => {
    const body = map({
      messages: [
        { role: 'user', content: 'Weather in Paris, and the time?' },
        {
          role: 'assistant',
          content: 'I will look both up.',
          reasoning_content: 'thinking...',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'currentTime', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '12:00' }] },
        { role: 'assistant', content: 'It is 18°C at noon.' },
      ],
      tools: [weather, time],
    }).body;
    expect(body).toEqual({
      model: 'command-a-03-2025',
      messages: [
        { role: 'user', content: 'Weather in Paris, and the time?' },
        {
          role: 'assistant',
          tool_plan: 'I will look both up.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'currentTime', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
        { role: 'tool', tool_call_id: 'call_2', content: '12:00' },
        { role: 'assistant', content: 'It is 18°C at noon.' },
      ],
      tools: [
        { type: 'function', function: { name: 'weather', description: 'Weather in a city', parameters: weather.function.parameters } },
        { type: 'function', function: { name: 'currentTime', parameters: { type: 'object', properties: {} } } },
      ],
    });
  });

  it('maps tool_choice: required → REQUIRED, none → NONE, auto → unset', () => {
    expect(map({ tools: [weather], tool_choice: 'required' }).body).toMatchObject({ tool_choice: 'REQUIRED' });
    expect(map({ tools: [weather], tool_choice: 'none' }).body).toMatchObject({ tool_choice: 'NONE' });
    expect(map({ tools: [weather], tool_choice: 'auto' }).body).not.toHaveProperty('tool_choice');
    expect(map({ tool_choice: 'required' }).body).toEqual({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] });
  });

  it('maps a named tool_choice to that one tool plus REQUIRED', () => {
    const body = map({ tools: [weather, time], tool_choice: { type: 'function', function: { name: 'currentTime' } } }).body as Record<string, unknown>;
    expect(body.tools).toEqual([{ type: 'function', function: { name: 'currentTime', parameters: { type: 'object', properties: {} } } }]);
    expect(body.tool_choice).toBe('REQUIRED');
    expect(rejected({ tools: [weather], tool_choice: { type: 'function', function: { name: 'nope' } } })).toMatchObject({ code: 'invalid_request', param: 'tool_choice' });
  });

  it('sets strict_tools when every tool is strict', () => {
    const strict = (tool: typeof weather) => ({ ...tool, function: { ...tool.function, strict: true } });
    expect(map({ tools: [strict(weather), strict(weather)] }).body).toMatchObject({ strict_tools: true });
    expect(map({ tools: [strict(weather), weather] }).body).not.toHaveProperty('strict_tools');
  });

  it('maps response_format to json_object, with the schema for json_schema', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    expect(map({ response_format: { type: 'json_schema', json_schema: { name: 'person', schema, strict: true } } }).body).toMatchObject({ response_format: { type: 'json_object', json_schema: schema } });
    expect(map({ response_format: { type: 'json_schema', json_schema: { name: 'person' } } }).body).toMatchObject({ response_format: { type: 'json_object' } });
    expect(map({ response_format: { type: 'json_object' } }).body).toMatchObject({ response_format: { type: 'json_object' } });
    expect(map({ response_format: { type: 'text' } }).body).not.toHaveProperty('response_format');
  });

  it('maps reasoning_effort to a thinking budget, none to disabled', () => {
    expect(map({ reasoning_effort: 'low' }).body).toMatchObject({ thinking: { type: 'enabled', token_budget: 2048 } });
    expect(map({ reasoning_effort: 'high' }).body).toMatchObject({ thinking: { type: 'enabled', token_budget: 16384 } });
    expect(map({ reasoning_effort: 'none' }).body).toMatchObject({ thinking: { type: 'disabled' } });
  });

  it('passes parameters outside the OpenAI contract through, over mapped ones', () => {
    expect(map({ k: 40, safety_mode: 'STRICT', reasoning_effort: 'low', thinking: { type: 'enabled', token_budget: 99 } }).body).toMatchObject({
      k: 40,
      safety_mode: 'STRICT',
      thinking: { type: 'enabled', token_budget: 99 },
    });
  });

  it('rejects what Cohere cannot honour', () => {
    expect(rejected({ n: 2 })).toMatchObject({ code: 'unsupported_parameter', param: 'n', status: 400 });
    expect(rejected({ logit_bias: { '1': 2 } })).toMatchObject({ param: 'logit_bias' });
    expect(rejected({ logprobs: true })).toMatchObject({ param: 'logprobs' });
    expect(rejected({ frequency_penalty: -0.5 })).toMatchObject({ param: 'frequency_penalty' });
    expect(rejected({ presence_penalty: 1.5 })).toMatchObject({ param: 'presence_penalty' });
    expect(rejected({ tools: [weather], parallel_tool_calls: false })).toMatchObject({ param: 'parallel_tool_calls' });
    expect(map({ n: 1 }).body).not.toHaveProperty('n');
  });

  it('needs an API key', () => {
    expect(() => cohereAdapter.chatRequest(chatRequest({}), cohereContext({ settings: { apiKey: undefined } }))).toThrow(expect.objectContaining({ code: 'missing_credentials' }));
  });
});
