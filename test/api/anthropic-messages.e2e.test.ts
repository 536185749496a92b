/**
 * POST /v1/messages with Anthropic's own SDK as the client: in front of an
 * OpenAI-dialect provider (the answer translated both ways) and in front of
 * Anthropic (thinking blocks and their signatures kept), streams through the
 * SDK's own event accumulator, and errors as the SDK's error classes.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatRequestSchema } from '../../src/api/chat-schema.js';
import { countChatInput } from '../../src/usage/count-tokens.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { ANTHROPIC_MOCK_KEY, startAnthropicMock, type AnthropicMock } from '../mocks/anthropic-mock.js';
import { fixtureChunks, fixtureJson } from '../mocks/mock-server.js';
import { startOpenAIMock, type OpenAIMock } from '../mocks/openai-mock.js';

let openai: OpenAIMock;
let anthropicUpstream: AnthropicMock;
let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  openai = await startOpenAIMock({ apiKey: 'sk-upstream' });
  anthropicUpstream = await startAnthropicMock();
  gateway = await startGateway({
    config: {
      providers: {
        openai: { type: 'openai', api_key: 'sk-upstream', base_url: `${openai.url}/v1` },
        claude: { type: 'anthropic', api_key: ANTHROPIC_MOCK_KEY, base_url: anthropicUpstream.url },
      },
    },
  });
  client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
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

const weather = { name: 'weather', description: 'Weather in a place', input_schema: { type: 'object' as const, properties: { location: { type: 'string' } }, required: ['location'] } };

describe('Messages API in front of an OpenAI-dialect provider', () => {
  it('text: the request is translated to chat completions and the answer back to a message', async () => {
    const recorded = fixtureJson('openai/chat/openai-text.json');
    const message = await client.messages.create({
      model: 'openai/gpt-4.1-nano',
      max_tokens: 400,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Invent a holiday.' }],
      stop_sequences: ['END'],
      metadata: { user_id: 'u-1' },
    });
    expect(message).toMatchObject({ type: 'message', role: 'assistant', model: recorded.model, stop_reason: 'end_turn', stop_sequence: null });
    expect(message.content).toEqual([{ type: 'text', text: recorded.choices[0].message.content }]);
    const cached = recorded.usage.prompt_tokens_details?.cached_tokens ?? 0;
    expect(message.usage).toMatchObject({ input_tokens: recorded.usage.prompt_tokens - cached, output_tokens: recorded.usage.completion_tokens, cache_read_input_tokens: cached });
    expect(openai.last().body).toEqual({
      model: 'gpt-4.1-nano',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Invent a holiday.' }],
      max_completion_tokens: 400,
      stop: ['END'],
      user: 'u-1',
    });
  });

  it('stream: the SDK assembles the events into the same text, with the final usage', async () => {
    const expected = fixtureChunks('openai/chat/openai-text.chunks.txt')
      .map((chunk) => (chunk.choices as { delta: { content?: string } }[])[0]?.delta.content ?? '')
      .join('');
    const stream = client.messages.stream({ model: 'openai/gpt-4.1-nano', max_tokens: 400, messages: [{ role: 'user', content: 'Invent a holiday.' }] });
    const events: string[] = [];
    stream.on('streamEvent', (event) => events.push(event.type));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: expected }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(events[0]).toBe('message_start');
    expect(events.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(openai.last().body.stream_options).toEqual({ include_usage: true });
  });

  it('tools: tool_use comes back with its input; the tool_result goes up as a tool message', async () => {
    openai.chat = { json: 'deepseek/chat/deepseek-tool-call.json', chunks: 'deepseek/chat/deepseek-tool-call.chunks.txt' };
    const recorded = fixtureJson('deepseek/chat/deepseek-tool-call.json').choices[0].message;
    const ask = { role: 'user' as const, content: 'Weather in San Francisco?' };
    const first = await client.messages.create({ model: 'openai/deepseek-reasoner', max_tokens: 500, tools: [weather], tool_choice: { type: 'any', disable_parallel_tool_use: true }, messages: [ask] });
    expect(first.stop_reason).toBe('tool_use');
    const call = recorded.tool_calls[0];
    expect(first.content).toEqual([
      { type: 'thinking', thinking: recorded.reasoning_content, signature: '' },
      { type: 'tool_use', id: call.id, name: 'weather', input: JSON.parse(call.function.arguments) },
    ]);
    expect(openai.last().body).toMatchObject({ tools: [{ type: 'function', function: { name: 'weather', description: weather.description, parameters: weather.input_schema } }], tool_choice: 'required', parallel_tool_calls: false });

    openai.chat = { json: 'openai/chat/openai-text.json', chunks: 'openai/chat/openai-text.chunks.txt' };
    await client.messages.create({
      model: 'openai/deepseek-reasoner',
      max_tokens: 500,
      tools: [weather],
      messages: [ask, { role: 'assistant', content: first.content.filter((block) => block.type === 'tool_use') }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'Sunny, 18°C' }, { type: 'text', text: 'Thanks.' }] }],
    });
    expect(openai.last().body.messages).toEqual([
      ask,
      { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: 'weather', arguments: call.function.arguments.replace(': ', ':') } }] },
      { role: 'tool', tool_call_id: call.id, content: 'Sunny, 18°C' },
      { role: 'user', content: [{ type: 'text', text: 'Thanks.' }] },
    ]);
  });

  it('streamed tools: the SDK rebuilds the tool_use input from input_json_delta events', async () => {
    openai.chat = { json: 'deepseek/chat/deepseek-tool-call.json', chunks: 'deepseek/chat/deepseek-tool-call.chunks.txt' };
    type Delta = { reasoning_content?: string; tool_calls?: { id?: string; function?: { arguments?: string } }[] };
    const deltas = fixtureChunks('deepseek/chat/deepseek-tool-call.chunks.txt').flatMap((chunk) => (chunk.choices as { delta: Delta }[]).map((choice) => choice.delta));
    const calls = deltas.flatMap((delta) => delta.tool_calls ?? []);
    const message = await client.messages.stream({ model: 'openai/deepseek-reasoner', max_tokens: 500, tools: [weather], messages: [{ role: 'user', content: 'Weather?' }] }).finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    const toolUse = message.content.find((block) => block.type === 'tool_use');
    expect(toolUse).toMatchObject({ id: calls.find((call) => call.id)!.id, name: 'weather', input: JSON.parse(calls.map((call) => call.function?.arguments ?? '').join('')) });
    expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: deltas.map((delta) => delta.reasoning_content ?? '').join('') });
  });
});

describe('Messages API in front of Anthropic', () => {
  it('thinking: the signed block comes back and goes back unchanged, streamed or not', async () => {
    const recorded = fixtureJson('anthropic/anthropic-clear-thinking.1.json');
    anthropicUpstream.reply({ fixture: 'anthropic-clear-thinking.1' });
    const thinking = { type: 'enabled' as const, budget_tokens: 2048 };
    const first = await client.messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 3000, thinking, messages: [{ role: 'user', content: 'Divide 925 by 5.' }] });
    expect(first.content).toEqual([
      { type: 'thinking', thinking: recorded.content[0].thinking, signature: recorded.content[0].signature },
      { type: 'text', text: recorded.content[1].text },
    ]);
    expect(anthropicUpstream.last().body).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 2048 }, max_tokens: 3000 });

    anthropicUpstream.reply({ fixture: 'anthropic-clear-thinking.1' });
    const streamed = await client.messages.stream({ model: 'claude/claude-sonnet-4-5', max_tokens: 3000, thinking, messages: [{ role: 'user', content: 'Divide 925 by 5.' }] }).finalMessage();
    const [block] = streamed.content;
    expect(block).toMatchObject({ type: 'thinking', signature: expect.stringMatching(/^EvQBCkYICxgCKkAx/) });

    await client.messages.create({
      model: 'claude/claude-sonnet-4-5',
      max_tokens: 3000,
      thinking,
      messages: [{ role: 'user', content: 'Divide 925 by 5.' }, { role: 'assistant', content: streamed.content }, { role: 'user', content: 'And by 37?' }],
    });
    expect(anthropicUpstream.last().body.messages[1].content).toEqual(streamed.content.map((each) => (each.type === 'text' ? { type: 'text', text: each.text } : each)));
  });

  it('prompt caching: cache_control breakpoints reach Anthropic where the client put them, and the cache counts come back', async () => {
    const ephemeral = { type: 'ephemeral' as const };
    // A recorded stream whose usage has cache reads and writes.
    anthropicUpstream.reply({ fixture: 'anthropic-code-execution-20260120-prompt-cache.1' });
    const message = await client.messages.stream({
      model: 'claude/claude-sonnet-4-5',
      max_tokens: 1000,
      system: [{ type: 'text', text: 'You are a coding agent.' }, { type: 'text', text: 'Project notes: ...', cache_control: ephemeral }],
      tools: [{ ...weather, cache_control: ephemeral }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'weather', input: { location: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny', cache_control: ephemeral }] },
      ],
    }).finalMessage();
    const body = anthropicUpstream.last().body;
    expect(body.system).toEqual([{ type: 'text', text: 'You are a coding agent.' }, { type: 'text', text: 'Project notes: ...', cache_control: ephemeral }]);
    expect(body.tools).toEqual([{ name: 'weather', description: weather.description, input_schema: weather.input_schema, cache_control: ephemeral }]);
    expect(body.messages[2]).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny', cache_control: ephemeral }] });
    const usage = fixtureChunks('anthropic/anthropic-code-execution-20260120-prompt-cache.1.chunks.txt').filter((event: { type: string }) => event.type === 'message_delta').at(-1)!.usage as Record<string, number>;
    expect(message.usage).toMatchObject({
      input_tokens: usage.input_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens,
      output_tokens: usage.output_tokens,
    });
  });

  it('parameters it does not map reach Anthropic as they came, never dropped', async () => {
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], service_tier: 'standard_only', context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] } }),
    });
    expect(response.status).toBe(200);
    expect(anthropicUpstream.last().body).toMatchObject({ service_tier: 'standard_only', context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] } });
  });

  it('a stop sequence that ended the turn comes back as stop_sequence, streamed or not, and to chat clients as stop_reason', async () => {
    // The recorded text answer and stream, ended by a stop sequence instead of end_turn (the fields are in every recording).
    const stoppedMessage = { ...fixtureJson('anthropic/anthropic-text.json'), stop_reason: 'stop_sequence', stop_sequence: '###' };
    const stoppedEvents = fixtureChunks('anthropic/anthropic-text.chunks.txt').map((event: { type: string; delta?: Record<string, unknown> }) =>
      event.type === 'message_delta' ? { ...event, delta: { ...event.delta, stop_reason: 'stop_sequence', stop_sequence: '###' } } : event,
    );
    const ask = { model: 'claude/claude-sonnet-5-5', max_tokens: 50, stop_sequences: ['###'], messages: [{ role: 'user' as const, content: 'hi' }] };

    anthropicUpstream.reply({ message: stoppedMessage });
    const message = await client.messages.create(ask);
    expect([message.stop_reason, message.stop_sequence]).toEqual(['stop_sequence', '###']);
    expect(anthropicUpstream.last().body.stop_sequences).toEqual(['###']);

    anthropicUpstream.reply({ events: stoppedEvents });
    const streamed = await client.messages.stream(ask).finalMessage();
    expect([streamed.stop_reason, streamed.stop_sequence]).toEqual(['stop_sequence', '###']);

    // Without one, the turn ended as it said.
    const plain = await client.messages.create(ask);
    expect([plain.stop_reason, plain.stop_sequence]).toEqual(['end_turn', null]);

    anthropicUpstream.reply({ message: stoppedMessage });
    const chat = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'claude/claude-sonnet-5-5', stop: ['###'], messages: [{ role: 'user', content: 'hi' }] }) });
    expect((await chat.json()).choices[0]).toMatchObject({ finish_reason: 'stop', stop_reason: '###' });
    anthropicUpstream.reply({ events: stoppedEvents });
    const stream = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'claude/claude-sonnet-5-5', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    const finishing = (await stream.text()).split('\n').filter((line) => line.startsWith('data: {')).map((line) => JSON.parse(line.slice(6))).find((chunk) => chunk.choices[0]?.finish_reason);
    expect(finishing.choices[0]).toMatchObject({ finish_reason: 'stop', stop_reason: '###' });
  });

  it('a bare model name, as Anthropic\'s clients send it, goes to the Anthropic provider', async () => {
    const message = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content).toEqual([{ type: 'text', text: fixtureJson('anthropic/anthropic-text.json').content[0].text }]);
    expect(anthropicUpstream.last().body.model).toBe('claude-sonnet-5-5');
  });

  it('a client\'s own Anthropic key reaches Anthropic, sent as a Bearer token or as x-api-key', async () => {
    // A provider with no key of its own: the client's is used.
    const open = await startGateway({ config: { providers: { byok: { type: 'anthropic', base_url: anthropicUpstream.url } } } });
    try {
      const byok = new Anthropic({ baseURL: open.url, apiKey: ANTHROPIC_MOCK_KEY, maxRetries: 0 });
      await byok.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
      expect(anthropicUpstream.last().headers['x-api-key']).toBe(ANTHROPIC_MOCK_KEY);
      const post = (key: string) =>
        fetch(`${open.url}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': key },
          body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
        });
      expect((await post(ANTHROPIC_MOCK_KEY)).status).toBe(200);
      const refused = await post('sk-ant-wrong');
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
    } finally {
      await open.close();
    }
  });

  it('a provider error mid-stream ends the events with an error event, which the SDK raises after the text so far', async () => {
    const events = fixtureChunks('anthropic/anthropic-text.chunks.txt').slice(0, 5);
    events.push({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    anthropicUpstream.reply({ events });
    const stream = client.messages.stream({ model: 'claude-sonnet-5-5', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] });
    let text = '';
    stream.on('text', (delta) => (text += delta));
    const error = await stream.finalMessage().catch((caught: unknown) => caught);
    expect(text).toBe('Hello! I');
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as Error).message).toContain('Overloaded');
  });

  it('an upstream rate limit reaches the SDK as its RateLimitError, with retry-after', async () => {
    anthropicUpstream.reply({ error: { status: 429, type: 'rate_limit_error', message: 'Slow down' }, headers: { 'retry-after': '3' } });
    const error = await client.messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', message: expect.stringContaining('Slow down') } });
  });
});

describe('Messages API: count_tokens', () => {
  it('answers with the gateway\'s estimate of the input, without calling a provider', async () => {
    const before = openai.requests.length + anthropicUpstream.requests.length;
    const question = { model: 'claude/claude-sonnet-4-5', system: 'Be brief.', tools: [weather], messages: [{ role: 'user' as const, content: 'Weather in San Francisco?' }] };
    const counted = await client.messages.countTokens(question);
    const expected = countChatInput(chatRequestSchema.parse({ model: 'm', messages: [{ role: 'system', content: 'Be brief.' }, question.messages[0]], tools: [{ type: 'function', function: { name: 'weather', description: weather.description, parameters: weather.input_schema } }] })).tokens;
    expect(counted).toEqual({ input_tokens: expected });
    const longer = await client.messages.countTokens({ ...question, messages: [{ role: 'user', content: 'Weather in San Francisco, and in Paris, and in Tokyo, tomorrow morning?' }] });
    expect(longer.input_tokens).toBeGreaterThan(counted.input_tokens);
    expect(openai.requests.length + anthropicUpstream.requests.length).toBe(before);
  });
});

describe('Messages API: bad input', () => {
  it('a missing max_tokens is a 400 in Anthropic\'s error shape, naming the field', async () => {
    const response = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { type: string; error: { type: string; message: string; param?: string } };
    expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', param: 'max_tokens' } });
    expect(body.error.message).toMatch(/max_tokens/);
  });

  it('the SDK gets BadRequestError for a server tool and for an image in a tool result', async () => {
    const serverTool = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4.1-nano', max_tokens: 10, tools: [{ type: 'web_search_20250305', name: 'web_search' }], messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(serverTool.status).toBe(400);
    expect(((await serverTool.json()) as { error: { message: string } }).error.message).toMatch(/tools\.0\.type: server tools .* are not supported/);

    const image = { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: 'iVBORw0KGgo=' } };
    const error = await client.messages
      .create({ model: 'openai/gpt-4.1-nano', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [image] }] }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.BadRequestError>).message).toMatch(/messages\.0\.content\.0\.content\.0/);
    expect(openai.requests.some((request) => JSON.stringify(request.body).includes('iVBORw0KGgo='))).toBe(false);
  });
});
