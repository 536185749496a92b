import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { fixtureChunks, fixtureJson } from '../../mocks/mock-server.js';
import { startOpenAIMock, type OpenAIMock } from '../../mocks/openai-mock.js';

let mock: OpenAIMock;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startOpenAIMock({ apiKey: 'sk-upstream' });
  gateway = await startGateway({ config: { providers: { openai: { type: 'openai', api_key: 'sk-upstream', base_url: `${mock.url}/v1` } } } });
  client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await mock.close();
});

const weatherTool = {
  type: 'function' as const,
  function: { name: 'weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

describe('openai coverage matrix', () => {
  it('text: replays the completion and forwards the body unchanged, with the provider key', async () => {
    mock.chat = { json: 'openai/chat/openai-text.json', chunks: 'openai/chat/openai-text.chunks.txt' };
    const { data: completion, response } = await client.chat.completions
      .create({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Invent a holiday.' }], temperature: 0.3, seed: 7, user: 'u-1' })
      .withResponse();
    const recorded = fixtureJson('openai/chat/openai-text.json');
    expect(completion.choices[0]!.message.content).toBe(recorded.choices[0].message.content);
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(mock.last().path).toBe('/v1/chat/completions');
    expect(mock.last().headers.authorization).toBe('Bearer sk-upstream');
    expect(mock.last().body).toEqual({ model: 'gpt-4.1-nano', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Invent a holiday.' }], temperature: 0.3, seed: 7, user: 'u-1' });
    expect(response.headers.get('x-switchyard-provider')).toBe('openai');
    expect(response.headers.get('x-switchyard-model')).toBe('gpt-4.1-nano');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stream: deltas concatenate to the recorded text; usage is requested upstream but not shown unasked', async () => {
    mock.chat = { json: 'openai/chat/openai-text.json', chunks: 'openai/chat/openai-text.chunks.txt' };
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    let finish: string | null = null;
    let sawUsage = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) sawUsage = true;
    }
    const expected = fixtureChunks('openai/chat/openai-text.chunks.txt').map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(expected);
    expect(finish).toBe('stop');
    expect(sawUsage).toBe(false);
    expect(mock.last().body.stream_options).toEqual({ include_usage: true });
  });

  it('usage: include_usage yields one final usage chunk with cached and reasoning details', async () => {
    mock.chat = { json: 'openai/chat/openai-text.json', chunks: 'openai/chat/openai-text.chunks.txt' };
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 16, completion_tokens: 300, total_tokens: 316, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } });
    expect(chunks.filter((chunk) => chunk.usage).length).toBe(1);
  });

  it('tools: definitions and tool_choice are forwarded; tool calls come back', async () => {
    mock.chat = { json: 'deepseek/chat/deepseek-tool-call.json', chunks: 'deepseek/chat/deepseek-tool-call.chunks.txt' };
    const completion = await client.chat.completions.create({
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'weather' } },
      parallel_tool_calls: false,
    });
    const recorded = fixtureJson('deepseek/chat/deepseek-tool-call.json');
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]!.message.tool_calls).toEqual(recorded.choices[0].message.tool_calls);
    expect(mock.last().body.tools).toEqual([weatherTool]);
    expect(mock.last().body.tool_choice).toEqual({ type: 'function', function: { name: 'weather' } });
    expect(mock.last().body.parallel_tool_calls).toBe(false);
  });

  it('streamed tools: the first delta has index, id and name; arguments concatenate to JSON', async () => {
    mock.chat = { json: 'deepseek/chat/deepseek-tool-call.json', chunks: 'deepseek/chat/deepseek-tool-call.chunks.txt' };
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], stream: true });
    const calls = new Map<number, { id?: string; name?: string; arguments: string }>();
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        if (!calls.has(delta.index)) {
          expect(delta.id).toBeTruthy();
          expect(delta.function?.name).toBeTruthy();
          calls.set(delta.index, { id: delta.id, name: delta.function?.name, arguments: '' });
        }
        calls.get(delta.index)!.arguments += delta.function?.arguments ?? '';
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe('tool_calls');
    expect(calls.size).toBeGreaterThan(0);
    for (const call of calls.values()) expect(() => JSON.parse(call.arguments)).not.toThrow();
  });

  it('images: URL and data URL parts reach OpenAI unchanged', async () => {
    mock.chat = { json: 'openai/chat/openai-text.json', chunks: 'openai/chat/openai-text.chunks.txt' };
    const content = [
      { type: 'text' as const, text: 'What is in these?' },
      { type: 'image_url' as const, image_url: { url: 'https://example.com/cat.png', detail: 'low' as const } },
      { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
    ];
    await client.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content }] });
    expect(mock.last().body.messages[0].content).toEqual(content);
  });

  it('json_schema: response_format is forwarded as is', async () => {
    mock.chat = { json: 'deepseek/chat/deepseek-json.json', chunks: 'openai/chat/openai-text.chunks.txt' };
    const responseFormat = { type: 'json_schema' as const, json_schema: { name: 'answer', strict: true, schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false } } };
    const completion = await client.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'json' }], response_format: responseFormat });
    expect(mock.last().body.response_format).toEqual(responseFormat);
    expect(completion.choices[0]!.message.content).toBe(fixtureJson('deepseek/chat/deepseek-json.json').choices[0].message.content);
  });

  it('reasoning: reasoning_effort is forwarded; reasoning_content streams through', async () => {
    mock.chat = { json: 'deepseek/chat/deepseek-reasoning.json', chunks: 'deepseek/chat/deepseek-reasoning.chunks.txt' };
    const stream = await client.chat.completions.create({ model: 'openai/o4-mini', messages: [{ role: 'user', content: 'think' }], reasoning_effort: 'high', stream: true });
    let reasoning = '';
    for await (const chunk of stream) reasoning += (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
    const expected = fixtureChunks('deepseek/chat/deepseek-reasoning.chunks.txt').map((chunk) => chunk.choices[0]?.delta.reasoning_content ?? '').join('');
    expect(reasoning).toBe(expected);
    expect(reasoning.length).toBeGreaterThan(0);
    expect(mock.last().body.reasoning_effort).toBe('high');
  });

  it('history: thinking_blocks from an Anthropic-served turn are not sent to OpenAI; the rest of the message is', async () => {
    await client.chat.completions.create({
      model: 'openai/gpt-4.1-nano',
      messages: [
        { role: 'user', content: 'Divide 925 by 5.' },
        { role: 'assistant', content: '185', reasoning_content: '925 / 5', thinking_blocks: [{ type: 'thinking', thinking: '925 / 5', signature: 'EvQB' }] } as OpenAI.Chat.Completions.ChatCompletionMessageParam,
        { role: 'user', content: 'And by 37?' },
      ],
    });
    expect(mock.last().body.messages).toEqual([
      { role: 'user', content: 'Divide 925 by 5.' },
      { role: 'assistant', content: '185', reasoning_content: '925 / 5' },
      { role: 'user', content: 'And by 37?' },
    ]);
  });

  it('cache_control breakpoints on parts and tools are not sent to OpenAI, which caches prefixes by itself', async () => {
    const ephemeral = { type: 'ephemeral' as const };
    await client.chat.completions.create({
      model: 'openai/gpt-4.1-nano',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Long.', cache_control: ephemeral }] },
        { role: 'user', content: [{ type: 'text', text: 'Hi', cache_control: ephemeral }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] },
      ] as OpenAI.Chat.Completions.ChatCompletionMessageParam[],
      tools: [{ ...weatherTool, cache_control: ephemeral } as OpenAI.Chat.Completions.ChatCompletionTool],
    });
    expect(mock.last().body.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'Long.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] },
    ]);
    expect(mock.last().body.tools).toEqual([weatherTool]);
  });

  it('embeddings: the list comes back and the body is forwarded', async () => {
    const result = await client.embeddings.create({ model: 'openai/text-embedding-3-small', input: ['a', 'b'], encoding_format: 'float' });
    expect(result.data.map((item) => item.embedding)).toEqual(fixtureJson('openai/embedding/openai-embedding.json').data.map((item: { embedding: number[] }) => item.embedding));
    expect(mock.last().path).toBe('/v1/embeddings');
    expect(mock.last().body).toEqual({ model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'float' });
  });

  it('errors: the provider status, message and code are kept and the provider is named', async () => {
    mock.next((_request, response) => {
      const body = JSON.stringify(fixtureJson('openai/chat/reasoning-model-legacy-parameter-error.json'));
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(body);
    });
    const error = await client.chat.completions.create({ model: 'openai/o3', messages: [{ role: 'user', content: 'x' }], max_tokens: 5 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe('unsupported_parameter');
    expect(apiError.message).toContain("openai: Unsupported parameter: 'max_tokens'");
    expect((apiError.error as { provider?: string }).provider).toBe('openai');
  });

  it('errors: a wrong provider key surfaces as 401 from the provider', async () => {
    const other = await startGateway({ config: { providers: { openai: { api_key: 'sk-wrong', base_url: `${mock.url}/v1` } } } });
    const otherClient = new OpenAI({ baseURL: other.baseURL, apiKey: 'x', maxRetries: 0 });
    const error = await otherClient.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    await other.close();
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
  });
});
