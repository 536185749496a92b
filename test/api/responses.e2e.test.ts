/**
 * POST /v1/responses with the `openai` SDK (and the Vercel AI SDK's Responses model) as the client: translated
 * to the chat path in front of Anthropic and behind an alias, passed through unchanged to an OpenAI-dialect
 * provider, streams through the SDK's own event accumulator, and the 400s for what the gateway cannot honour.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { generateText } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { ANTHROPIC_MOCK_KEY, startAnthropicMock, type AnthropicMock } from '../mocks/anthropic-mock.js';
import { fixtureChunks, fixtureJson } from '../mocks/mock-server.js';
import { startOpenAIMock, type OpenAIMock } from '../mocks/openai-mock.js';

let openai: OpenAIMock;
let anthropicUpstream: AnthropicMock;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  openai = await startOpenAIMock({ apiKey: 'sk-upstream' });
  anthropicUpstream = await startAnthropicMock();
  gateway = await startGateway({
    config: {
      providers: {
        openai: { type: 'openai', api_key: 'sk-upstream', base_url: `${openai.url}/v1` },
        claude: { type: 'anthropic', api_key: ANTHROPIC_MOCK_KEY, base_url: anthropicUpstream.url },
      },
      models: { 'weather-bot': { provider: 'openai', model: 'gpt-4o', params: { temperature: 0.1 } } },
    },
  });
  client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
});
beforeEach(() => {
  openai.chat = { json: 'openai/chat/openai-text.json', chunks: 'openai/chat/openai-text.chunks.txt' };
  anthropicUpstream.clearReplies();
});
afterAll(async () => {
  await gateway.close();
  await openai.close();
  await anthropicUpstream.close();
});

const weather = { type: 'function' as const, name: 'weather', description: 'Weather in a place', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] }, strict: false };
const recordedText = (): string => fixtureJson('anthropic/anthropic-text.json').content[0].text;
/** The recorded stream's text (recorded apart from the JSON answer, so its words differ). */
const recordedStreamText = (): string =>
  fixtureChunks('anthropic/anthropic-text.chunks.txt')
    .map((event: { delta?: { text?: string } }) => event.delta?.text ?? '')
    .join('');

describe('Responses API in front of Anthropic (translated)', () => {
  it('text: instructions and input become the messages; the answer comes back as a Response', async () => {
    const response = await client.responses.create({ model: 'claude/claude-sonnet-5-5', instructions: 'Be brief.', input: 'Hello!', max_output_tokens: 100 });
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.id).toMatch(/^resp_/);
    expect(response.output_text).toBe(recordedText());
    const usage = fixtureJson('anthropic/anthropic-text.json').usage;
    expect(response.usage).toMatchObject({ input_tokens: usage.input_tokens, output_tokens: usage.output_tokens, total_tokens: usage.input_tokens + usage.output_tokens });
    expect(anthropicUpstream.last().body).toMatchObject({ model: 'claude-sonnet-5-5', system: 'Be brief.', max_tokens: 100, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }] });
  });

  it('stream: the SDK assembles the events into the same Response', async () => {
    const stream = client.responses.stream({ model: 'claude/claude-sonnet-5-5', input: 'Hello!' });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    const final = await stream.finalResponse();
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(text).toBe(recordedStreamText());
    expect(text.length).toBeGreaterThan(0);
    expect(final.output_text).toBe(recordedStreamText());
    const usage = fixtureChunks('anthropic/anthropic-text.chunks.txt').find((event: { type: string }) => event.type === 'message_delta').usage;
    expect(final.usage?.output_tokens).toBe(usage.output_tokens);
  });
});

describe('Responses API: a provider error mid-stream', () => {
  it('ends the events with an error event and response.failed, which the SDK raises after the text so far', async () => {
    const events = fixtureChunks('anthropic/anthropic-text.chunks.txt').slice(0, 5);
    events.push({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    anthropicUpstream.reply({ events });
    const stream = client.responses.stream({ model: 'claude/claude-sonnet-5-5', input: 'Hello!' });
    const types: string[] = [];
    let text = '';
    const error = await (async () => {
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'response.output_text.delta') text += event.delta;
      }
    })().catch((caught: unknown) => caught);
    const sent = fixtureChunks('anthropic/anthropic-text.chunks.txt').slice(0, 5).map((event: { delta?: { text?: string } }) => event.delta?.text ?? '').join('');
    expect(sent.length).toBeGreaterThan(0);
    expect(text).toBe(sent);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('Overloaded');
    expect(types).not.toContain('response.completed');

    // On the wire: the error event, then response.failed, numbered after everything before them.
    anthropicUpstream.reply({ events });
    const raw = await fetch(`${gateway.baseURL}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'claude/claude-sonnet-5-5', input: 'Hello!', stream: true }) });
    const frames = (await raw.text()).split('\n\n').filter(Boolean).map((frame) => JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as { type: string; sequence_number: number });
    expect(frames.slice(-2).map((frame) => frame.type)).toEqual(['error', 'response.failed']);
    expect(frames.map((frame) => frame.sequence_number)).toEqual(frames.map((_frame, index) => index));
  });
});

describe('Responses API: a tool loop with thinking on, in front of Anthropic', () => {
  it('the reasoning item carries the signed thinking block back, as Anthropic requires', async () => {
    // A thinking-then-tool_use answer, made of two recorded answers' blocks (no single recording holds both).
    const thinking = fixtureJson('anthropic/anthropic-clear-thinking.1.json');
    const tool = fixtureJson('anthropic/anthropic-json-tool.1.json');
    const [block, toolUse] = [thinking.content[0], tool.content[0]];
    anthropicUpstream.reply({ message: { ...tool, content: [block, toolUse] } });
    const jsonTool = { type: 'function' as const, name: 'json', description: 'Weather report', parameters: { type: 'object', properties: { elements: { type: 'array' } } }, strict: false };
    const settings = { model: 'claude/claude-sonnet-5-5', tools: [jsonTool], reasoning: { effort: 'low' as const }, max_output_tokens: 3000 };
    const first = await client.responses.create({ ...settings, input: 'Weather in San Francisco?' });
    const reasoning = first.output.find((item) => item.type === 'reasoning');
    expect(reasoning).toMatchObject({ summary: [{ type: 'summary_text', text: block.thinking }], encrypted_content: expect.any(String) });
    expect(first.output.find((item) => item.type === 'function_call')).toMatchObject({ call_id: toolUse.id, name: 'json', arguments: JSON.stringify(toolUse.input) });

    // The mock refuses, in Anthropic's words, a tool-use turn whose thinking block was lost.
    anthropicUpstream.reply({ fixture: 'anthropic-clear-thinking.1' });
    const second = await client.responses.create({
      ...settings,
      input: [{ role: 'user', content: 'Weather in San Francisco?' }, ...first.output, { type: 'function_call_output', call_id: toolUse.id, output: 'Sunny, 58°F' }] as OpenAI.Responses.ResponseInput,
    });
    expect(second.output_text).toBe(thinking.content[1].text);
    expect(anthropicUpstream.last().body.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: block.thinking, signature: block.signature },
        { type: 'tool_use', id: toolUse.id, name: 'json', input: toolUse.input },
      ],
    });
  });
});

describe('Responses API behind an alias (translated to chat completions)', () => {
  it('tools: a function_call comes back; the function_call_output goes up as a tool message', async () => {
    openai.chat = { json: 'deepseek/chat/deepseek-tool-call.json', chunks: 'deepseek/chat/deepseek-tool-call.chunks.txt' };
    const call = fixtureJson('deepseek/chat/deepseek-tool-call.json').choices[0].message.tool_calls[0];
    const first = await client.responses.create({ model: 'weather-bot', input: 'Weather in San Francisco?', tools: [weather], tool_choice: 'required' });
    const functionCall = first.output.find((item) => item.type === 'function_call');
    expect(functionCall).toMatchObject({ type: 'function_call', call_id: call.id, name: 'weather', arguments: call.function.arguments });
    expect(openai.last().body).toMatchObject({
      model: 'gpt-4o',
      temperature: 0.1,
      tool_choice: 'required',
      tools: [{ type: 'function', function: { name: 'weather', description: weather.description, parameters: weather.parameters } }],
    });

    openai.chat = { json: 'openai/chat/openai-text.json', chunks: 'openai/chat/openai-text.chunks.txt' };
    const second = await client.responses.create({
      model: 'weather-bot',
      tools: [weather],
      input: [{ role: 'user', content: 'Weather in San Francisco?' }, ...first.output, { type: 'function_call_output', call_id: call.id, output: 'Sunny, 18°C' }] as OpenAI.Responses.ResponseInput,
    });
    expect(second.output_text).toBe(fixtureJson('openai/chat/openai-text.json').choices[0].message.content);
    const messages = openai.last().body.messages as Record<string, unknown>[];
    expect(messages[0]).toEqual({ role: 'user', content: 'Weather in San Francisco?' });
    expect(messages[1]).toMatchObject({ role: 'assistant', tool_calls: [{ id: call.id, type: 'function', function: { name: 'weather', arguments: call.function.arguments } }] });
    expect(messages[2]).toEqual({ role: 'tool', tool_call_id: call.id, content: 'Sunny, 18°C' });
  });

  it('streamed tools: the SDK rebuilds the call from the argument deltas', async () => {
    openai.chat = { json: 'deepseek/chat/deepseek-tool-call.json', chunks: 'deepseek/chat/deepseek-tool-call.chunks.txt' };
    const calls = fixtureChunks('deepseek/chat/deepseek-tool-call.chunks.txt').flatMap((chunk) => chunk.choices?.[0]?.delta?.tool_calls ?? []) as { id?: string; function?: { arguments?: string } }[];
    const final = await client.responses.stream({ model: 'weather-bot', input: 'Weather?', tools: [weather] }).finalResponse();
    expect(final.output.find((item) => item.type === 'function_call')).toMatchObject({
      call_id: calls.find((call) => call.id)!.id,
      name: 'weather',
      arguments: calls.map((call) => call.function?.arguments ?? '').join(''),
    });
  });
});

describe('Responses API passed through', () => {
  it('goes unchanged to an OpenAI-dialect provider, which answers for it', async () => {
    const error = await client.responses.create({ model: 'openai/gpt-4o', input: 'hi', previous_response_id: 'resp_1' }).catch((caught: unknown) => caught);
    // The mock serves no /responses: its own 404 comes back, which shows where the request went.
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(openai.last()).toMatchObject({ path: '/v1/responses', body: { model: 'gpt-4o', input: 'hi', previous_response_id: 'resp_1' } });
  });
});

describe('Responses API: what a translated request cannot have', () => {
  it('a built-in tool or stored state is a 400 naming the field, before any provider is called', async () => {
    const before = anthropicUpstream.requests.length;
    for (const [request, param] of [
      [{ model: 'claude/claude-sonnet-5-5', input: 'hi', tools: [{ type: 'web_search' }] }, 'tools.0.type'],
      [{ model: 'claude/claude-sonnet-5-5', input: 'hi', previous_response_id: 'resp_1' }, 'previous_response_id'],
    ] as const) {
      const error = await client.responses.create(request as OpenAI.Responses.ResponseCreateParamsNonStreaming).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe(param);
    }
    expect(anthropicUpstream.requests.length).toBe(before);
  });
});

describe('the Vercel AI SDK as a Responses client', () => {
  it("generateText with the provider's default (Responses) model reaches Anthropic", async () => {
    const provider = createOpenAI({ baseURL: gateway.baseURL, apiKey: 'client' });
    const result = await generateText({ model: provider.responses('claude/claude-sonnet-5-5'), prompt: 'Hello!' });
    expect(result.text).toBe(recordedText());
    expect(result.finishReason).toBe('stop');
    expect(anthropicUpstream.last().body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }]);
  });
});
