import { describe, expect, it } from 'vitest';
import { bedrockAdapter } from '../../../src/providers/bedrock/index.js';
import { encodeModelId } from '../../../src/providers/bedrock/model-url.js';
import { fixtureJson } from '../../mocks/mock-server.js';
import { bedrockContext, chatRequest, claudeProfile, thrown } from './context.js';

function build(input: Record<string, unknown>, context = bedrockContext()) {
  return bedrockAdapter.chatRequest(chatRequest(input), context);
}

const pngBase64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('bedrock request: URL and headers', () => {
  it('posts Converse to /model/{id}/converse with the id encoded like the AWS SDK', () => {
    const request = build({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse');
    expect(request.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('posts streams to /converse-stream', () => {
    const request = build({ messages: [{ role: 'user', content: 'Hi' }], stream: true }, bedrockContext({ stream: true }));
    expect(request.url).toBe('https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream');
  });

  it('encodes ARNs, and the characters encodeURIComponent leaves alone', () => {
    expect(encodeModelId('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2')).toBe(
      'arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fa1b2',
    );
    expect(encodeModelId("a!b'c(d)e*f")).toBe('a%21b%27c%28d%29e%2Af');
  });

  it('uses the configured base URL (AWS_ENDPOINT_URL_BEDROCK_RUNTIME), or the region default when empty', () => {
    const custom = build({ messages: [{ role: 'user', content: 'Hi' }] }, bedrockContext({ settings: { baseURL: 'http://127.0.0.1:9000/' } }));
    expect(custom.url).toBe(`http://127.0.0.1:9000/model/${encodeURIComponent(claudeProfile)}/converse`);
    const regional = build(
      { messages: [{ role: 'user', content: 'Hi' }] },
      bedrockContext({ settings: { baseURL: '', options: { region: 'eu-west-3', accessKeyId: 'A', secretAccessKey: 'B' } } }),
    );
    expect(regional.url).toBe(`https://bedrock-runtime.eu-west-3.amazonaws.com/model/${encodeURIComponent(claudeProfile)}/converse`);
  });

  it('adds the configured extra headers', () => {
    const request = build({ messages: [{ role: 'user', content: 'Hi' }] }, bedrockContext({ settings: { headers: { 'x-team': 'search' } } }));
    expect(request.headers).toEqual({ 'content-type': 'application/json', 'x-team': 'search' });
  });
});

describe('bedrock request: messages', () => {
  it('maps system and developer messages to system blocks and keeps the turns', () => {
    const request = build({
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Salut.' },
        { role: 'user', content: [{ type: 'text', text: 'Again' }, { type: 'text', text: '' }] },
      ],
    });
    expect(request.body).toEqual({
      system: [{ text: 'You are terse.' }, { text: 'Answer in French.' }],
      messages: [
        { role: 'user', content: [{ text: 'Hi' }] },
        { role: 'assistant', content: [{ text: 'Salut.' }] },
        { role: 'user', content: [{ text: 'Again' }] },
      ],
    });
  });

  it('maps data-URL images to image blocks with the format and base64 bytes', () => {
    const request = build({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${pngBase64}` } },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
          ],
        },
      ],
    });
    expect(request.body).toEqual({
      messages: [
        {
          role: 'user',
          content: [
            { text: 'What is this?' },
            { image: { format: 'png', source: { bytes: pngBase64 } } },
            { image: { format: 'jpeg', source: { bytes: '/9j/4AAQ' } } },
          ],
        },
      ],
    });
  });

  it('refuses image types Bedrock does not take, and URLs that were not inlined', () => {
    const svg = thrown(() => build({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/svg+xml;base64,PHN2Zz4=' } }] }] }));
    expect([svg.code, svg.param]).toEqual(['unsupported_parameter', 'messages']);
    const remote = thrown(() => build({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] }));
    expect(remote.code).toBe('invalid_request');
  });

  it('maps PDF files to document blocks with a Bedrock-safe name', () => {
    const request = build({
      messages: [{ role: 'user', content: [{ type: 'file', file: { filename: 'Q3 report_final.v2.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } }] }],
    });
    expect(request.body).toEqual({
      messages: [{ role: 'user', content: [{ document: { format: 'pdf', name: 'Q3 report final v2', source: { bytes: 'JVBERi0=' } } }] }],
    });
  });

  it('refuses audio input', () => {
    const error = thrown(() => build({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }] }));
    expect([error.code, error.status, error.param]).toEqual(['unsupported_parameter', 400, 'messages']);
  });

  it('maps assistant tool calls to toolUse and merges consecutive tool results into one user message', () => {
    const request = build({
      messages: [
        { role: 'user', content: 'Weather in SF and London?' },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'tooluse_1', type: 'function', function: { name: 'weather', arguments: '{"location":"San Francisco"}' } },
            { id: 'tooluse_2', type: 'function', function: { name: 'weather', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'tooluse_1', content: '18C' },
        { role: 'tool', tool_call_id: 'tooluse_2', content: [{ type: 'text', text: '12C' }] },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } }],
    });
    expect(request.body).toEqual({
      messages: [
        { role: 'user', content: [{ text: 'Weather in SF and London?' }] },
        {
          role: 'assistant',
          content: [
            { text: 'Checking.' },
            { toolUse: { toolUseId: 'tooluse_1', name: 'weather', input: { location: 'San Francisco' } } },
            { toolUse: { toolUseId: 'tooluse_2', name: 'weather', input: {} } },
          ],
        },
        {
          role: 'user',
          content: [
            { toolResult: { toolUseId: 'tooluse_1', content: [{ text: '18C' }] } },
            { toolResult: { toolUseId: 'tooluse_2', content: [{ text: '12C' }] } },
            { text: 'Thanks' },
          ],
        },
      ],
      toolConfig: { tools: [{ toolSpec: { name: 'weather', inputSchema: { json: { type: 'object', properties: { location: { type: 'string' } } } } } }] },
    });
  });

  it('leaves out assistant reasoning_content and empty assistant turns', () => {
    const request = build({
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b', reasoning_content: 'thinking...' },
        { role: 'assistant', content: null },
        { role: 'user', content: 'c' },
      ],
    });
    expect(request.body).toEqual({
      messages: [
        { role: 'user', content: [{ text: 'a' }] },
        { role: 'assistant', content: [{ text: 'b' }] },
        { role: 'user', content: [{ text: 'c' }] },
      ],
    });
  });
});

describe('bedrock request: signed reasoning', () => {
  const recorded = fixtureJson('amazon-bedrock/amazon-bedrock-reasoning.json');
  const reasoningText = recorded.output.message.content[0].reasoningContent.reasoningText as { text: string; signature: string };
  const history = [
    { role: 'user', content: 'Weather in Paris?' },
    {
      role: 'assistant',
      content: null,
      thinking_blocks: [
        { type: 'thinking', thinking: reasoningText.text, signature: reasoningText.signature },
        { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT' },
      ],
      tool_calls: [{ id: 't1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
    },
    { role: 'tool', tool_call_id: 't1', content: '18°C' },
  ];

  it('sends an assistant turn\'s thinking_blocks back first as reasoningContent, signatures unchanged, when it thinks', () => {
    const body = build({ messages: history, reasoning_effort: 'low' }).body as { messages: unknown[] };
    expect(body.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { reasoningContent: { reasoningText: { text: reasoningText.text, signature: reasoningText.signature } } },
        { reasoningContent: { redactedContent: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT' } },
        { toolUse: { toolUseId: 't1', name: 'get_weather', input: { city: 'Paris' } } },
      ],
    });
  });

  it('leaves them out when the request does not think', () => {
    const body = build({ messages: history }).body as { messages: unknown[] };
    expect(body.messages[1]).toEqual({ role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'get_weather', input: { city: 'Paris' } } }] });
    const adaptive = build({ messages: history, additionalModelRequestFields: { thinking: { type: 'adaptive' } } }).body as { messages: { content: object[] }[] };
    expect(adaptive.messages[1]!.content).toHaveLength(3);
  });
});

describe('bedrock request: prompt caching', () => {
  it('puts a cachePoint after each block and tool that carried cache_control', () => {
    const ephemeral = { type: 'ephemeral' };
    const body = build({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Long rules.', cache_control: ephemeral }, { type: 'text', text: 'More.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Read.', cache_control: ephemeral }, { type: 'text', text: 'Now.' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Calling.', cache_control: ephemeral }], tool_calls: [{ id: 't1', type: 'function', function: { name: 'now', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 't1', content: [{ type: 'text', text: '12:00', cache_control: ephemeral }] },
      ],
      tools: [
        { type: 'function', function: { name: 'now' }, cache_control: ephemeral },
        { type: 'function', function: { name: 'later' } },
      ],
    }).body as Record<string, unknown>;
    const point = { cachePoint: { type: 'default' } };
    expect(body.system).toEqual([{ text: 'Long rules.' }, point, { text: 'More.' }]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ text: 'Read.' }, point, { text: 'Now.' }] },
      { role: 'assistant', content: [{ text: 'Calling.' }, point, { toolUse: { toolUseId: 't1', name: 'now', input: {} } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: '12:00' }] } }, point] },
    ]);
    expect((body.toolConfig as { tools: unknown[] }).tools).toEqual([
      { toolSpec: { name: 'now', inputSchema: { json: { type: 'object', properties: {} } } } },
      point,
      { toolSpec: { name: 'later', inputSchema: { json: { type: 'object', properties: {} } } } },
    ]);
  });
});

describe('bedrock request: tools', () => {
  const tools = [
    { type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
    { type: 'function', function: { name: 'now' } },
  ];
  const specs = [
    { toolSpec: { name: 'get_weather', description: 'Weather by city', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } } },
    { toolSpec: { name: 'now', inputSchema: { json: { type: 'object', properties: {} } } } },
  ];
  const messages = [{ role: 'user', content: 'Hi' }];

  it.each([
    [undefined, { tools: specs }],
    ['auto', { tools: specs, toolChoice: { auto: {} } }],
    ['required', { tools: specs, toolChoice: { any: {} } }],
    [{ type: 'function', function: { name: 'now' } }, { tools: specs, toolChoice: { tool: { name: 'now' } } }],
  ])('tool_choice %j → toolConfig %j', (choice, toolConfig) => {
    const request = build({ messages, tools, ...(choice === undefined ? {} : { tool_choice: choice }) });
    expect(request.body).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }], toolConfig });
  });

  it("tool_choice 'none' leaves the tools out", () => {
    expect(build({ messages, tools, tool_choice: 'none' }).body).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
  });

  it("tool_choice 'none' keeps the tools (without a choice) when the history has tool blocks, as Converse requires", () => {
    const request = build({
      messages: [
        { role: 'user', content: 'time?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'now', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 't1', content: '12:00' },
      ],
      tools,
      tool_choice: 'none',
    });
    expect((request.body as { toolConfig: unknown }).toolConfig).toEqual({ tools: specs });
  });
});

describe('bedrock request: parameters', () => {
  const messages = [{ role: 'user', content: 'Hi' }];

  it('maps max tokens, temperature, top_p and stop to inferenceConfig, metadata to requestMetadata', () => {
    const request = build({ messages, max_completion_tokens: 300, max_tokens: 10, temperature: 0.2, top_p: 0.9, stop: 'END', metadata: { team: 'search' }, user: 'u-1' });
    expect(request.body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      inferenceConfig: { maxTokens: 300, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
      requestMetadata: { team: 'search' },
    });
    expect((build({ messages, stop: ['a', 'b'], max_tokens: 5 }).body as { inferenceConfig: unknown }).inferenceConfig).toEqual({ maxTokens: 5, stopSequences: ['a', 'b'] });
  });

  it('maps json_schema to native structured output (outputConfig.textFormat, schema as a JSON string)', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false };
    const request = build({ messages, response_format: { type: 'json_schema', json_schema: { name: 'person', description: 'A person', schema, strict: true } } });
    expect(request.body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      outputConfig: { textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify(schema), name: 'person', description: 'A person' } } } },
    });
  });

  it('refuses json_object (no schema-less JSON mode on Bedrock) and accepts text', () => {
    const error = thrown(() => build({ messages, response_format: { type: 'json_object' } }));
    expect([error.code, error.param, error.provider]).toEqual(['unsupported_parameter', 'response_format', 'aws']);
    expect(build({ messages, response_format: { type: 'text' } }).body).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
  });

  it('maps reasoning_effort to Anthropic thinking, adding the budget to the answer allowance', () => {
    expect(build({ messages, reasoning_effort: 'low', max_tokens: 1000 }).body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      inferenceConfig: { maxTokens: 3048 },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2048 } },
    });
    expect(build({ messages, reasoning_effort: 'high' }).body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      inferenceConfig: { maxTokens: 4096 + 16384 },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 16384 } },
    });
    expect(build({ messages, reasoning_effort: 'none' }).body).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
  });

  it('refuses reasoning_effort on non-Anthropic models', () => {
    const error = thrown(() => build({ messages, reasoning_effort: 'medium' }, bedrockContext({ model: 'amazon.nova-pro-v1:0' })));
    expect([error.code, error.param]).toEqual(['unsupported_parameter', 'reasoning_effort']);
  });

  it('passes unknown parameters through: Converse fields at the top level, the rest in additionalModelRequestFields', () => {
    const request = build({
      messages,
      top_k: 40,
      guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: '1' },
      additionalModelRequestFields: { anthropic_beta: ['context-1m-2025-08-07'] },
      reasoning_effort: 'minimal',
    });
    expect(request.body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      inferenceConfig: { maxTokens: 4096 + 1024 },
      guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: '1' },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 }, top_k: 40, anthropic_beta: ['context-1m-2025-08-07'] },
    });
  });

  it.each([
    ['n', { n: 2 }],
    ['seed', { seed: 7 }],
    ['presence_penalty', { presence_penalty: 0.5 }],
    ['frequency_penalty', { frequency_penalty: 0.5 }],
    ['logit_bias', { logit_bias: { '50256': -100 } }],
    ['logprobs', { logprobs: true }],
    ['top_logprobs', { top_logprobs: 2 }],
    ['parallel_tool_calls', { parallel_tool_calls: false }],
  ])('refuses %s with unsupported_parameter (400)', (param, extra) => {
    const error = thrown(() => build({ messages, ...extra }));
    expect([error.code, error.status, error.param, error.provider]).toEqual(['unsupported_parameter', 400, param, 'aws']);
  });

  it('accepts the neutral values of unsupported parameters', () => {
    const request = build({ messages, n: 1, presence_penalty: 0, frequency_penalty: 0, logit_bias: {}, logprobs: false, parallel_tool_calls: true });
    expect(request.body).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
  });
});
