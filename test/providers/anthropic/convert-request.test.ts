import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/api/errors.js';
import { anthropicAdapter } from '../../../src/providers/anthropic/index.js';
import { JSON_OBJECT_INSTRUCTION } from '../../../src/providers/anthropic/convert-request.js';
import { fixtureJson } from '../../mocks/mock-server.js';
import { anthropicContext, chatRequest } from './context.js';

function build(input: Record<string, unknown>, context = anthropicContext()) {
  return anthropicAdapter.chatRequest(chatRequest(input), context);
}

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('anthropic request: URL and headers', () => {
  it('posts to /v1/messages with the current version and both auth headers', () => {
    const request = build({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://api.anthropic.com/v1/messages');
    expect(request.headers).toEqual({
      'content-type': 'application/json',
      'anthropic-version': '2026-10-21',
      authorization: 'Bearer sk-ant-test',
      'x-api-key': 'sk-ant-test',
    });
  });

  it.each([
    ['https://api.anthropic.com', 'https://api.anthropic.com/v1/messages'],
    ['https://api.anthropic.com/', 'https://api.anthropic.com/v1/messages'],
    ['https://api.anthropic.com/v1', 'https://api.anthropic.com/v1/messages'],
    ['https://proxy.example/anthropic/v1/', 'https://proxy.example/anthropic/v1/messages'],
    ['', 'https://api.anthropic.com/v1/messages'],
  ])('base URL %j → %s', (baseURL, url) => {
    expect(build({ messages: [{ role: 'user', content: 'Hi' }] }, anthropicContext({ settings: { baseURL } })).url).toBe(url);
  });

  it('forwards the inbound anthropic-beta header, merged with configured betas', () => {
    const context = anthropicContext({
      inboundHeaders: { 'anthropic-beta': 'context-1m-2025-08-07, files-api-2025-04-14' },
      settings: { headers: { 'Anthropic-Beta': 'files-api-2025-04-14', 'X-Team': 'blue' } },
    });
    const { headers } = build({ messages: [{ role: 'user', content: 'Hi' }] }, context);
    expect(headers['anthropic-beta']).toBe('files-api-2025-04-14,context-1m-2025-08-07');
    expect(headers['x-team']).toBe('blue');
  });

  it('sends 2023-06-01 when the body carries a sampling parameter (removed in 2026-10-21)', () => {
    expect(build({ messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2 }).headers['anthropic-version']).toBe('2023-06-01');
    expect(build({ messages: [{ role: 'user', content: 'Hi' }], top_p: 0.9 }).headers['anthropic-version']).toBe('2023-06-01');
    expect(build({ messages: [{ role: 'user', content: 'Hi' }], top_k: 40 }).headers['anthropic-version']).toBe('2023-06-01');
  });

  it('lets a configured anthropic-version win', () => {
    const context = anthropicContext({ settings: { headers: { 'anthropic-version': '2023-06-01' } } });
    expect(build({ messages: [{ role: 'user', content: 'Hi' }] }, context).headers['anthropic-version']).toBe('2023-06-01');
  });

  it('fails with missing_credentials without an API key', () => {
    const error = thrown(() => build({ messages: [{ role: 'user', content: 'Hi' }] }, anthropicContext({ settings: { apiKey: undefined } })));
    expect(error.code).toBe('missing_credentials');
  });
});

describe('anthropic request: body', () => {
  it('maps a minimal request with the default max_tokens', () => {
    expect(build({ messages: [{ role: 'user', content: 'Hi' }] }).body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
  });

  it('maps system and developer messages, multi-turn history, sampling, stop, user and stream', () => {
    const context = anthropicContext({ stream: true });
    const request = build(
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Answer in English.' }] },
          { role: 'user', content: 'Hello' },
          { role: 'assistant', content: 'Hi! How can I help?', reasoning_content: 'The user greets me.' },
          { role: 'user', content: [{ type: 'text', text: 'Tell me ' }, { type: 'text', text: 'a joke.' }] },
        ],
        max_completion_tokens: 300,
        max_tokens: 100,
        temperature: 0.5,
        top_p: 0.8,
        stop: 'END',
        user: 'user-42',
        seed: 7,
        metadata: { trace: 'abc' },
        n: 1,
        stream: true,
      },
      context,
    );
    expect(request.body).toEqual({
      model: 'claude-sonnet-4-5',
      system: 'Be brief.\n\nAnswer in English.',
      max_tokens: 300,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Hi! How can I help?' }] },
        { role: 'user', content: [{ type: 'text', text: 'Tell me ' }, { type: 'text', text: 'a joke.' }] },
      ],
      temperature: 0.5,
      top_p: 0.8,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-42' },
      stream: true,
    });
  });

  it('maps image parts: http URLs as url sources, data URLs as base64 sources', () => {
    expect(anthropicAdapter.needs.imageUrls).toBe('url');
    const body = build({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
          ],
        },
      ],
    }).body as { messages: unknown };
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these.' },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
        ],
      },
    ]);
  });

  it('maps a PDF file part to a document block and rejects audio', () => {
    const body = build({
      messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0x', filename: 'a.pdf' } }] }],
    }).body as { messages: unknown };
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' }, title: 'a.pdf' }] },
    ]);
    const error = thrown(() => build({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }] }));
    expect(error.code).toBe('unsupported_parameter');
  });

  it('maps tools, tool calls and merges consecutive tool results into one user turn', () => {
    const body = build({
      messages: [
        { role: 'user', content: 'Weather in Paris and Berlin?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
        { role: 'tool', tool_call_id: 'toolu_2', content: [{ type: 'text', text: '12°C' }] },
        { role: 'user', content: 'Thanks. Which is warmer?' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: true },
        },
        { type: 'function', function: { name: 'now' } },
      ],
      tool_choice: 'required',
      parallel_tool_calls: false,
    }).body;
    expect(body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Berlin?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: '12°C' },
            { type: 'text', text: 'Thanks. Which is warmer?' },
          ],
        },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather',
          input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          strict: true,
        },
        { name: 'now', input_schema: { type: 'object', properties: {} } },
      ],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
    });
  });

  it.each([
    [{ tool_choice: 'auto' }, { type: 'auto' }],
    [{ tool_choice: 'none' }, { type: 'none' }],
    [{ tool_choice: 'required' }, { type: 'any' }],
    [{ tool_choice: { type: 'function', function: { name: 'now' } } }, { type: 'tool', name: 'now' }],
    [{ tool_choice: { type: 'function', function: { name: 'now' } }, parallel_tool_calls: false }, { type: 'tool', name: 'now', disable_parallel_tool_use: true }],
    [{ parallel_tool_calls: false }, { type: 'auto', disable_parallel_tool_use: true }],
    [{ tool_choice: 'none', parallel_tool_calls: false }, { type: 'none' }],
    [{}, undefined],
  ])('tool choice %j → %j', (params, expected) => {
    const body = build({ messages: [{ role: 'user', content: 'Hi' }], tools: [{ type: 'function', function: { name: 'now' } }], ...params }).body as Record<string, unknown>;
    expect(body.tool_choice).toEqual(expected);
  });

  it('sends an assistant turn\'s thinking_blocks back first, signatures unchanged, and never reasoning_content alone', () => {
    const recorded = fixtureJson('anthropic/anthropic-clear-thinking.1.json');
    const [thinking] = recorded.content as [{ type: 'thinking'; thinking: string; signature: string }];
    const redacted = { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT' };
    const body = build({
      reasoning_effort: 'low',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          reasoning_content: thinking.thinking,
          thinking_blocks: [thinking, redacted],
          tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
      ],
    }).body as { messages: { role: string; content: unknown[] }[] };
    expect(body.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: thinking.thinking, signature: thinking.signature },
        redacted,
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
    });
  });

  it('leaves thinking_blocks out when the request does not think (Anthropic refuses them in a final assistant turn then)', () => {
    const recorded = fixtureJson('anthropic/anthropic-clear-thinking.1.json');
    const messages = [
      { role: 'user', content: 'Divide 925 by 5.' },
      { role: 'assistant', content: '185', thinking_blocks: [recorded.content[0]] },
      { role: 'assistant', content: null, thinking_blocks: [recorded.content[0]] },
    ];
    const plain = build({ messages }).body as { messages: unknown[] };
    expect(plain.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Divide 925 by 5.' }] },
      { role: 'assistant', content: [{ type: 'text', text: '185' }] },
    ]);
    const adaptive = build({ messages, thinking: { type: 'adaptive' } }).body as { messages: { content: { type: string }[] }[] };
    // The two assistant turns merge into one, as consecutive turns of a role do.
    expect(adaptive.messages[1]!.content.map((block) => block.type)).toEqual(['thinking', 'text', 'thinking']);
  });

  it('places cache_control breakpoints on the blocks and tools they were set on; system becomes blocks then', () => {
    const ephemeral = { type: 'ephemeral' };
    const body = build({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Long instructions.', cache_control: ephemeral }] },
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Read this.', cache_control: { type: 'ephemeral', ttl: '1h' } }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' }, cache_control: ephemeral }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'now', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 't1', content: [{ type: 'text', text: '12:00', cache_control: ephemeral }] },
      ],
      tools: [{ type: 'function', function: { name: 'now' }, cache_control: ephemeral }],
      response_format: { type: 'json_object' },
    }).body as Record<string, unknown>;
    expect(body.system).toEqual([
      { type: 'text', text: 'Long instructions.', cache_control: ephemeral },
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: JSON_OBJECT_INSTRUCTION },
    ]);
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Read this.', cache_control: { type: 'ephemeral', ttl: '1h' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' }, cache_control: ephemeral },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'now', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: '12:00', cache_control: ephemeral }] },
    ]);
    expect(body.tools).toEqual([{ name: 'now', input_schema: { type: 'object', properties: {} }, cache_control: ephemeral }]);
    // Without a breakpoint the system prompt stays one string.
    expect(build({ messages: [{ role: 'system', content: [{ type: 'text', text: 'A' }] }, { role: 'user', content: 'x' }] }).body).toMatchObject({ system: 'A' });
  });

  it('rejects a thinking block without its signature with the field named', () => {
    expect(() => chatRequest({ messages: [{ role: 'assistant', content: 'x', thinking_blocks: [{ type: 'thinking', thinking: 'unsigned' }] }] })).toThrow(/signature/);
  });

  it('maps json_schema to native structured output and json_object to a system instruction', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false };
    const structured = build({
      messages: [{ role: 'user', content: 'A name.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'person', schema, strict: true } },
    }).body as Record<string, unknown>;
    expect(structured.output_config).toEqual({ format: { type: 'json_schema', schema } });
    expect(structured.system).toBeUndefined();

    const jsonObject = build({
      messages: [{ role: 'system', content: 'You list things.' }, { role: 'user', content: 'Fruits.' }],
      response_format: { type: 'json_object' },
    }).body as Record<string, unknown>;
    expect(jsonObject.system).toBe(`You list things.\n\n${JSON_OBJECT_INSTRUCTION}`);
    expect(jsonObject.output_config).toBeUndefined();
  });

  it('maps reasoning_effort to a thinking budget below max_tokens', () => {
    const high = build({ messages: [{ role: 'user', content: 'Prove it.' }], reasoning_effort: 'high' }).body as Record<string, unknown>;
    expect(high.thinking).toEqual({ type: 'enabled', budget_tokens: 16384 });
    expect(high.max_tokens).toBe(16384 + 4096);

    const capped = build({ messages: [{ role: 'user', content: 'Prove it.' }], reasoning_effort: 'medium', max_completion_tokens: 5000 }).body as Record<string, unknown>;
    expect(capped).toMatchObject({ max_tokens: 5000, thinking: { type: 'enabled', budget_tokens: 4999 } });

    const roomy = build({ messages: [{ role: 'user', content: 'Prove it.' }], reasoning_effort: 'low', max_tokens: 10000 }).body as Record<string, unknown>;
    expect(roomy).toMatchObject({ max_tokens: 10000, thinking: { type: 'enabled', budget_tokens: 2048 } });

    const off = build({ messages: [{ role: 'user', content: 'Hi' }], reasoning_effort: 'none' }).body as Record<string, unknown>;
    expect(off).toMatchObject({ max_tokens: 4096, thinking: { type: 'disabled' } });

    const error = thrown(() => build({ messages: [{ role: 'user', content: 'Hi' }], reasoning_effort: 'low', max_tokens: 1000 }));
    expect(error.code).toBe('unsupported_parameter');
    expect(error.param).toBe('max_tokens');
  });

  it('passes unknown parameters through: they replace mapped values, output_config merges', () => {
    const body = build({
      messages: [{ role: 'user', content: 'Hi' }],
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
      top_k: 40,
      output_config: { effort: 'low' },
      thinking: { type: 'adaptive' },
      reasoning_effort: 'high',
    }).body as Record<string, unknown>;
    expect(body.top_k).toBe(40);
    expect(body.output_config).toEqual({ format: { type: 'json_schema', schema: { type: 'object' } }, effort: 'low' });
    expect(body.thinking).toEqual({ type: 'adaptive' });
  });

  it.each([
    [{ n: 2 }, 'n'],
    [{ presence_penalty: 0.5 }, 'presence_penalty'],
    [{ frequency_penalty: -1 }, 'frequency_penalty'],
    [{ logit_bias: { '50256': -100 } }, 'logit_bias'],
    [{ logprobs: true }, 'logprobs'],
    [{ top_logprobs: 3 }, 'top_logprobs'],
  ])('rejects %j as unsupported_parameter', (params, param) => {
    const error = thrown(() => build({ messages: [{ role: 'user', content: 'Hi' }], ...params }));
    expect(error.code).toBe('unsupported_parameter');
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
  });

  it('takes metadata.user_id from user, safety_identifier or metadata.user_id', () => {
    const metadataOf = (params: Record<string, unknown>) => (build({ messages: [{ role: 'user', content: 'Hi' }], ...params }).body as Record<string, unknown>).metadata;
    expect(metadataOf({ user: 'u-1', safety_identifier: 's-1' })).toEqual({ user_id: 'u-1' });
    expect(metadataOf({ safety_identifier: 's-1' })).toEqual({ user_id: 's-1' });
    expect(metadataOf({ metadata: { user_id: 'm-1', trace: 'x' } })).toEqual({ user_id: 'm-1' });
    expect(metadataOf({ metadata: { trace: 'x' } })).toBeUndefined();
    expect((build({ messages: [{ role: 'user', content: 'Hi' }], safety_identifier: 's-1' }).body as Record<string, unknown>).safety_identifier).toBeUndefined();
  });

  it('gives a parameter schema without a type the object type Anthropic requires', () => {
    const body = build({ messages: [{ role: 'user', content: 'Hi' }], tools: [{ type: 'function', function: { name: 'ping', parameters: { properties: {} } } }] }).body as Record<string, unknown>;
    expect(body.tools).toEqual([{ name: 'ping', input_schema: { type: 'object', properties: {} } }]);
  });

  it('accepts no-op values of parameters Anthropic lacks', () => {
    const body = build({ messages: [{ role: 'user', content: 'Hi' }], n: 1, presence_penalty: 0, frequency_penalty: 0, logprobs: false, logit_bias: {} }).body;
    expect(body).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] });
  });
});
