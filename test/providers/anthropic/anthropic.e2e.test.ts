import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { ANTHROPIC_MOCK_KEY, startAnthropicMock, type AnthropicMock } from '../../mocks/anthropic-mock.js';
import { fixtureChunks, fixtureJson } from '../../mocks/mock-server.js';

let mock: AnthropicMock;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startAnthropicMock();
  gateway = await startGateway({
    config: {
      providers: {
        claude: { type: 'anthropic', api_key: ANTHROPIC_MOCK_KEY, base_url: mock.url },
        'claude-v1': { type: 'anthropic', api_key: ANTHROPIC_MOCK_KEY, base_url: `${mock.url}/v1` },
        'claude-badkey': { type: 'anthropic', api_key: 'wrong-key', base_url: mock.url },
      },
    },
  });
  client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
});
beforeEach(() => mock.clearReplies());
afterAll(async () => {
  await gateway.close();
  await mock.close();
});

const weatherTool = {
  type: 'function' as const,
  function: { name: 'weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

type StreamChunk = OpenAI.Chat.Completions.ChatCompletionChunk;
type Delta = StreamChunk['choices'][number]['delta'] & { reasoning_content?: string };

async function collect(stream: AsyncIterable<StreamChunk>) {
  const chunks: StreamChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const calls: { id?: string; name?: string; arguments: string }[] = [];
  let content = '';
  let reasoning = '';
  let finish: string | null = null;
  for (const chunk of chunks) {
    const choice = chunk.choices[0];
    if (!choice) continue;
    const delta = choice.delta as Delta;
    content += delta.content ?? '';
    reasoning += delta.reasoning_content ?? '';
    for (const call of delta.tool_calls ?? []) {
      calls[call.index] ??= { arguments: '' };
      if (call.id) calls[call.index].id = call.id;
      if (call.function?.name) calls[call.index].name = call.function.name;
      calls[call.index].arguments += call.function?.arguments ?? '';
    }
    finish = choice.finish_reason ?? finish;
  }
  return { chunks, content, reasoning, calls, finish, usage: chunks.filter((chunk) => chunk.usage).map((chunk) => chunk.usage) };
}

async function streamFailure(stream: AsyncIterable<StreamChunk>): Promise<{ chunks: StreamChunk[]; error: unknown }> {
  const chunks: StreamChunk[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (error) {
    return { chunks, error };
  }
  throw new Error('expected the stream to fail');
}

const textOf = (name: string): string =>
  fixtureChunks(`anthropic/${name}.chunks.txt`)
    .filter((event) => event.type === 'content_block_delta' && event.delta.type === 'text_delta')
    .map((event) => event.delta.text)
    .join('');

describe('anthropic coverage matrix', () => {
  it('text: maps the request to /v1/messages with current auth headers and the message back', async () => {
    mock.reply({ fixture: 'anthropic-text' });
    const { data: completion, response } = await client.chat.completions
      .create({ model: 'claude/claude-sonnet-4-5', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello!' }], user: 'u-1', stop: ['###'] })
      .withResponse();
    const recorded = fixtureJson('anthropic/anthropic-text.json');
    expect(completion.id).toBe(recorded.id);
    expect(completion.model).toBe('claude-sonnet-4-5-20250929');
    expect(completion.choices[0]!.message.content).toBe(recorded.content[0].text);
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(response.headers.get('x-switchyard-provider')).toBe('claude');

    const upstream = mock.last();
    expect(upstream.method).toBe('POST');
    expect(upstream.path).toBe('/v1/messages');
    expect(upstream.headers['anthropic-version']).toBe('2026-10-21');
    expect(upstream.headers.authorization).toBe(`Bearer ${ANTHROPIC_MOCK_KEY}`);
    expect(upstream.headers['x-api-key']).toBe(ANTHROPIC_MOCK_KEY);
    expect(upstream.headers['content-type']).toContain('application/json');
    expect(upstream.body).toEqual({
      model: 'claude-sonnet-4-5',
      system: 'Be brief.',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }],
      stop_sequences: ['###'],
      metadata: { user_id: 'u-1' },
    });
  });

  it('text: a base URL ending in /v1 is not doubled; anthropic-beta is forwarded; sampling pins 2023-06-01', async () => {
    mock.reply({ fixture: 'anthropic-text' });
    const completion = await client.chat.completions.create(
      { model: 'claude-v1/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hello!' }], temperature: 0.2, max_tokens: 64 },
      { headers: { 'anthropic-beta': 'context-1m-2025-08-07' } },
    );
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(mock.last().path).toBe('/v1/messages');
    expect(mock.last().headers['anthropic-beta']).toBe('context-1m-2025-08-07');
    // 2026-10-21 rejects temperature (the mock does as Anthropic does); the dialect pins 2023-06-01 for it.
    expect(mock.last().headers['anthropic-version']).toBe('2023-06-01');
    expect(mock.last().body).toMatchObject({ temperature: 0.2, max_tokens: 64 });
  });

  it('stream: text deltas concatenate to the recorded text, usage stays hidden unasked', async () => {
    mock.reply({ fixture: 'anthropic-text' });
    const result = await collect(await client.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hello!' }], stream: true }));
    expect(result.content).toBe(textOf('anthropic-text'));
    expect(result.finish).toBe('stop');
    expect(result.usage).toEqual([]);
    expect(result.chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(mock.last().body).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }], stream: true });
  });

  it('tools: definitions, choice, history and tool results are mapped; tool_use comes back as tool_calls', async () => {
    mock.reply({ fixture: 'anthropic-tool-no-args' });
    const completion = await client.chat.completions.create({
      model: 'claude/claude-sonnet-4-5',
      messages: [
        { role: 'user', content: 'Weather in Paris, then update the issues.' },
        { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'toolu_a', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_a', content: 'Sunny, 21°C' },
      ],
      tools: [weatherTool, { type: 'function', function: { name: 'updateIssueList' } }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
    });
    const [choice] = completion.choices;
    expect(choice!.finish_reason).toBe('tool_calls');
    expect(choice!.message.tool_calls).toEqual([{ id: 'toolu_01LRmxn9vGM1d2DZSDBowdZ1', type: 'function', function: { name: 'updateIssueList', arguments: '{}' } }]);
    expect(mock.last().body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris, then update the issues.' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_a', name: 'weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: 'Sunny, 21°C' }] },
      ],
      tools: [
        { name: 'weather', description: 'Weather in a city', input_schema: weatherTool.function.parameters },
        { name: 'updateIssueList', input_schema: { type: 'object', properties: {} } },
      ],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
    });
  });

  it('streamed tools: first delta carries index, id and name; arguments join into valid JSON', async () => {
    mock.reply({ fixture: 'anthropic-json-tool.1' });
    const result = await collect(
      await client.chat.completions.create({ model: 'claude/claude-haiku-4-5', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], tool_choice: 'required', stream: true }),
    );
    expect(result.finish).toBe('tool_calls');
    expect(result.calls).toHaveLength(1);
    expect(result.calls[0]).toMatchObject({ id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA', name: 'json' });
    expect(JSON.parse(result.calls[0]!.arguments)).toEqual({ elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] });
    const first = result.chunks.find((chunk) => chunk.choices[0]?.delta.tool_calls)!;
    expect(first.choices[0]!.delta.tool_calls).toEqual([{ index: 0, id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA', type: 'function', function: { name: 'json', arguments: '' } }]);
    expect(mock.last().body.tool_choice).toEqual({ type: 'any' });
  });

  it('streamed tools: a call without arguments streams "{}"', async () => {
    mock.reply({ fixture: 'anthropic-tool-no-args' });
    const result = await collect(await client.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Update.' }], tools: [weatherTool], stream: true }));
    expect(result.content).toBe("I'll update the issue list for you.");
    expect(result.calls).toEqual([{ id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList', arguments: '{}' }]);
    expect(result.finish).toBe('tool_calls');
  });

  it('images: http URLs go as url sources, data URLs as base64 sources', async () => {
    mock.reply({ fixture: 'anthropic-text' });
    await client.chat.completions.create({
      model: 'claude/claude-sonnet-4-5',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image_url', image_url: { url: 'https://upload.example.org/cat.jpg' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
    });
    expect(mock.last().body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image', source: { type: 'url', url: 'https://upload.example.org/cat.jpg' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        ],
      },
    ]);
  });

  it('json_schema: sent as native structured output; the JSON comes back as content', async () => {
    mock.reply({ fixture: 'anthropic-json-output-format.1' });
    const schema = { type: 'object', properties: { recipe: { type: 'object' } }, required: ['recipe'], additionalProperties: false };
    const completion = await client.chat.completions.create({
      model: 'claude/claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'A lasagna recipe.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'recipe', schema, strict: true } },
    });
    expect(JSON.parse(completion.choices[0]!.message.content!).recipe.name).toBe('Classic Lasagna');
    expect(mock.last().body.output_config).toEqual({ format: { type: 'json_schema', schema } });

    mock.reply({ fixture: 'anthropic-json-output-format.1' });
    const streamed = await collect(
      await client.chat.completions.create({
        model: 'claude/claude-sonnet-4-5',
        messages: [{ role: 'user', content: 'Three characters.' }],
        response_format: { type: 'json_schema', json_schema: { name: 'characters', schema } },
        stream: true,
      }),
    );
    expect(JSON.parse(streamed.content).characters).toHaveLength(3);
  });

  it('reasoning: reasoning_effort becomes a thinking budget; thinking comes back as reasoning_content', async () => {
    mock.reply({ fixture: 'anthropic-claude-opus-5-reasoning-high.1' });
    const completion = await client.chat.completions.create({
      model: 'claude/claude-opus-5',
      messages: [{ role: 'user', content: 'Solve x^3 - 6x^2 + 11x - 6 = 0.' }, { role: 'assistant', content: 'Earlier answer.' }, { role: 'user', content: 'Prove it.' }],
      reasoning_effort: 'high',
    });
    const recorded = fixtureJson('anthropic/anthropic-claude-opus-5-reasoning-high.1.json');
    const message = completion.choices[0]!.message as typeof completion.choices[0]['message'] & { reasoning_content?: string };
    expect(message.reasoning_content).toBe(recorded.content[0].thinking);
    expect(message.content).toBe(recorded.content[1].text);
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(139);
    expect(mock.last().body).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 16384 }, max_tokens: 16384 + 4096 });

    mock.reply({ fixture: 'anthropic-clear-thinking.1' });
    const streamed = await collect(
      await client.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Divide by 5.' }], reasoning_effort: 'low', max_completion_tokens: 3000, stream: true }),
    );
    expect(streamed.reasoning).toBe('The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185');
    expect(streamed.content).toBe('925 ÷ 5 = 185');
    expect(mock.last().body).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 2048 }, max_tokens: 3000 });
  });

  it('usage: cache reads and writes count into prompt_tokens, in one final chunk when asked', async () => {
    mock.reply({ fixture: 'anthropic-code-execution-20260120-prompt-cache.1' });
    const result = await collect(
      await client.chat.completions.create({ model: 'claude/claude-sonnet-5', messages: [{ role: 'user', content: 'Run it.' }], stream: true, stream_options: { include_usage: true } }),
    );
    expect(result.usage).toEqual([
      {
        prompt_tokens: 9632,
        completion_tokens: 198,
        total_tokens: 9830,
        prompt_tokens_details: { cached_tokens: 6289, cache_write_tokens: 3337 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    ]);
    expect(result.chunks.at(-1)!.choices).toEqual([]);
    expect(result.content).toBe(textOf('anthropic-code-execution-20260120-prompt-cache.1'));

    mock.reply({ fixture: 'anthropic-message-delta-input-tokens' });
    const late = await collect(
      await client.chat.completions.create({ model: 'claude/claude-opus-4-5', messages: [{ role: 'user', content: 'ping' }], stream: true, stream_options: { include_usage: true } }),
    );
    expect(late.usage).toEqual([{ prompt_tokens: 61, completion_tokens: 2, total_tokens: 63 }]);

    mock.reply({ fixture: 'anthropic-text' });
    const completion = await client.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hello!' }] });
    expect(completion.usage).toEqual({ prompt_tokens: 12, completion_tokens: 29, total_tokens: 41, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } });
  });

  it('errors: a wrong key gets Anthropic\'s 401 authentication_error through', async () => {
    const error = await client.chat.completions.create({ model: 'claude-badkey/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(401);
    expect(apiError.message).toContain('invalid x-api-key');
    expect(apiError.code).toBe('authentication_error');
    expect(mock.last().headers['x-api-key']).toBe('wrong-key');
  });

  it('errors: an HTTP 529 overloaded_error keeps its status, message and type', async () => {
    mock.reply({ error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } });
    const error = await client.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(529);
    expect(apiError.message).toContain('Overloaded');
    expect(apiError.code).toBe('overloaded_error');
  });

  it('errors: an error event mid-stream fails the SDK iteration after the text so far', async () => {
    const events = fixtureChunks('anthropic/anthropic-text.chunks.txt').slice(0, 5);
    events.push({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    mock.reply({ events });
    const { chunks, error } = await streamFailure(await client.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Hello! I');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('Overloaded');
  });

  it('errors: a stream that closes without message_stop fails instead of ending cleanly', async () => {
    mock.reply({ events: fixtureChunks('anthropic/anthropic-text.chunks.txt').slice(0, -2) });
    const { chunks, error } = await streamFailure(await client.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason)).toBe(false);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toMatch(/ended before it was complete/);
  });

  it('errors: two spliced messages fail the stream; a duplicated message_start does not', async () => {
    mock.reply({ fixture: 'spliced-message-start' });
    const spliced = await streamFailure(await client.chat.completions.create({ model: 'claude/claude-3-haiku', messages: [{ role: 'user', content: 'Hi' }], tools: [weatherTool], stream: true }));
    expect((spliced.error as Error).message).toContain('msg_second');

    mock.reply({ fixture: 'duplicate-message-start' });
    const duplicate = await collect(await client.chat.completions.create({ model: 'claude/claude-3-haiku', messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(duplicate.content).toBe('Hello, World!');
    expect(duplicate.finish).toBe('stop');
  });

  it('errors: parameters Anthropic cannot honour are rejected before any upstream call', async () => {
    const before = mock.requests.length;
    const error = await client.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }], n: 2 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).param).toBe('n');
    expect(mock.requests.length).toBe(before);
  });

  it('refusal: stop_reason refusal maps to content_filter with the explanation', async () => {
    mock.reply({ fixture: 'anthropic-refusal' });
    const completion = await client.chat.completions.create({ model: 'claude/claude-fable-5', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0]!.finish_reason).toBe('content_filter');
    expect(completion.choices[0]!.message.refusal).toMatch(/^This request triggered restrictions/);
  });
});
