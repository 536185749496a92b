import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { fixtureChunks, fixtureJson } from '../../mocks/mock-server.js';
import { MISTRAL_MOCK_KEY, mistralEmbeddingVectors, startMistralMock, type MistralMock } from '../../mocks/mistral-mock.js';

let mock: MistralMock;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMistralMock();
  gateway = await startGateway({ config: { providers: { mis: { type: 'mistral', api_key: MISTRAL_MOCK_KEY, base_url: `${mock.url}/v1` } } } });
  client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await mock.close();
});

const weatherTool = {
  type: 'function' as const,
  function: { name: 'weather', description: 'Weather in a city', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } },
};

interface StreamedCall {
  id?: string;
  type?: string;
  name?: string;
  arguments: string;
}

async function collect(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
  const calls = new Map<number, StreamedCall>();
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
  let content = '';
  let reasoning = '';
  let finish: string | null = null;
  for await (const chunk of stream) {
    chunks.push(chunk);
    const delta = chunk.choices[0]?.delta;
    content += delta?.content ?? '';
    reasoning += (delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
    for (const call of delta?.tool_calls ?? []) {
      if (!calls.has(call.index)) calls.set(call.index, { id: call.id, type: call.type, name: call.function?.name, arguments: '' });
      calls.get(call.index)!.arguments += call.function?.arguments ?? '';
    }
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  return { chunks, content, reasoning, finish, calls: [...calls.values()] };
}

describe('mistral coverage matrix', () => {
  it('text: sends only fields Mistral knows (seed → random_seed, no user), and maps the response back', async () => {
    mock.reply({ fixture: 'mistral-text' });
    const { data: completion, response } = await client.chat.completions
      .create({
        model: 'mis/mistral-small-latest',
        messages: [{ role: 'system', content: 'Be creative.' }, { role: 'user', content: 'Invent a holiday.', name: 'ann' }],
        temperature: 0.3,
        max_completion_tokens: 500,
        seed: 7,
        user: 'u-1',
        // @ts-expect-error a Mistral parameter outside the OpenAI contract
        safe_prompt: true,
      })
      .withResponse();
    const recorded = fixtureJson('mistral/mistral-text.json');
    expect(completion.choices).toEqual([{ index: 0, message: { role: 'assistant', content: recorded.choices[0].message.content }, finish_reason: 'stop', logprobs: null }]);
    expect(completion.id).toBe(recorded.id);
    expect(mock.last().path).toBe('/v1/chat/completions');
    expect(mock.last().headers.authorization).toBe(`Bearer ${MISTRAL_MOCK_KEY}`);
    expect(mock.last().body).toEqual({
      model: 'mistral-small-latest',
      messages: [{ role: 'system', content: 'Be creative.' }, { role: 'user', content: 'Invent a holiday.' }],
      temperature: 0.3,
      max_tokens: 500,
      random_seed: 7,
      safe_prompt: true,
    });
    expect(response.headers.get('x-switchyard-provider')).toBe('mis');
  });

  it('stream: deltas concatenate to the recorded text, ending in stop, without stream_options upstream', async () => {
    mock.reply({ fixture: 'mistral-text' });
    const result = await collect(await client.chat.completions.create({ model: 'mis/mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], stream: true }));
    expect(result.content).toBe('Hello, world! This is a test response.');
    expect(result.finish).toBe('stop');
    expect(result.chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(result.chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(mock.last().body).toEqual({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], stream: true });
  });

  it('usage: the last chunk\'s usage (with cached tokens) becomes one final usage chunk', async () => {
    mock.reply({ fixture: 'mistral-incremental-tool-call' });
    const { chunks } = await collect(
      await client.chat.completions.create({ model: 'mis/mistral-small-latest', messages: [{ role: 'user', content: 'Weather in Berlin?' }], tools: [weatherTool], stream: true, stream_options: { include_usage: true } }),
    );
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 171, completion_tokens: 14, total_tokens: 185, prompt_tokens_details: { cached_tokens: 128 } });
    expect(chunks.filter((chunk) => chunk.usage).length).toBe(1);
    expect(mock.last().body).not.toHaveProperty('stream_options');

    mock.reply({ fixture: 'mistral-text' });
    const completion = await client.chat.completions.create({ model: 'mis/mistral-small-latest', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.usage).toEqual({ prompt_tokens: 13, completion_tokens: 434, total_tokens: 447 });
  });

  it('tools: tool_choice required → any; foreign tool-call ids in the history become 9 alphanumerics; calls come back typed', async () => {
    mock.reply({ fixture: 'mistral-tool-call' });
    const completion = await client.chat.completions.create({
      model: 'mis/mistral-small-latest',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"location":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
        { role: 'user', content: 'And San Francisco?' },
      ],
      tools: [weatherTool],
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]!.message.tool_calls).toEqual([{ id: 'gSIMJiOkT', type: 'function', function: { name: 'weather', arguments: '{"location": "San Francisco"}' } }]);
    const sent = mock.last().body;
    expect(sent.tools).toEqual([weatherTool]);
    expect(sent.tool_choice).toBe('any');
    expect(sent.parallel_tool_calls).toBe(false);
    expect(sent.messages[1].tool_calls[0].id).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(sent.messages[2]).toEqual({ role: 'tool', tool_call_id: sent.messages[1].tool_calls[0].id, content: '18°C' });

    mock.reply({ fixture: 'mistral-tool-call' });
    await client.chat.completions.create({ model: 'mis/mistral-small-latest', messages: [{ role: 'user', content: 'x' }], tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'weather' } } });
    expect(mock.last().body.tool_choice).toEqual({ type: 'function', function: { name: 'weather' } });
  });

  it('streamed tools: a whole call in one delta, and an incremental one, start with index, id, type and name', async () => {
    mock.reply({ fixture: 'mistral-tool-call' });
    const whole = await collect(await client.chat.completions.create({ model: 'mis/mistral-small-latest', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], stream: true }));
    expect(whole.finish).toBe('tool_calls');
    expect(whole.calls).toEqual([{ id: 'gSIMJiOkT', type: 'function', name: 'weather', arguments: '{"location": "San Francisco"}' }]);
    const first = whole.chunks.find((chunk) => chunk.choices[0]?.delta.tool_calls)!.choices[0]!.delta.tool_calls![0];
    expect(first).toEqual({ index: 0, id: 'gSIMJiOkT', type: 'function', function: { name: 'weather', arguments: '' } });

    mock.reply({ fixture: 'mistral-incremental-tool-call' });
    const incremental = await collect(await client.chat.completions.create({ model: 'mis/mistral-small-latest', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], stream: true }));
    expect(incremental.calls).toEqual([{ id: 'chatcmpl-tool-9f149c74c42f265b', type: 'function', name: 'webSearchTool', arguments: '{"query": "current Berlin weather"}' }]);
    expect(JSON.parse(incremental.calls[0]!.arguments)).toEqual({ query: 'current Berlin weather' });
  });

  it('images: URL and data URL parts are sent as Mistral image_url chunks', async () => {
    mock.reply({ fixture: 'mistral-text' });
    const content = [
      { type: 'text' as const, text: 'What is in these?' },
      { type: 'image_url' as const, image_url: { url: 'https://example.com/cat.png', detail: 'low' as const } },
      { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
    ];
    await client.chat.completions.create({ model: 'mis/pixtral-large-latest', messages: [{ role: 'user', content }] });
    expect(mock.last().body.messages).toEqual([{ role: 'user', content }]);
  });

  it('json_schema: response_format is sent as Mistral\'s json_schema', async () => {
    mock.reply({ fixture: 'mistral-text' });
    const responseFormat = { type: 'json_schema' as const, json_schema: { name: 'answer', strict: true, schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false } } };
    await client.chat.completions.create({ model: 'mis/mistral-small-latest', messages: [{ role: 'user', content: 'json' }], response_format: responseFormat });
    expect(mock.last().body.response_format).toEqual(responseFormat);
  });

  it('reasoning: thinking chunks come back as reasoning_content, streamed and whole; reasoning_effort maps to high', async () => {
    mock.reply({ fixture: 'mistral-reasoning' });
    const completion = await client.chat.completions.create({ model: 'mis/mistral-small-latest', messages: [{ role: 'user', content: '2+2?' }], reasoning_effort: 'medium' });
    expect(mock.last().body.reasoning_effort).toBe('high');
    expect(completion.choices[0]!.message.content).toBe('2 + 2 = 4');
    expect((completion.choices[0]!.message as { reasoning_content?: string }).reasoning_content).toBe('The user is asking for 2+2. This is basic arithmetic. 2+2=4.');

    mock.reply({ fixture: 'mistral-reasoning' });
    const streamed = await collect(await client.chat.completions.create({ model: 'mis/magistral-medium-2507', messages: [{ role: 'user', content: '2+2?' }], stream: true }));
    const expected = fixtureChunks('mistral/mistral-reasoning.chunks.txt')
      .flatMap((chunk) => (Array.isArray(chunk.choices[0].delta.content) ? chunk.choices[0].delta.content : []))
      .filter((part: { type: string }) => part.type === 'thinking')
      .map((part: { thinking: Array<{ text: string }> }) => part.thinking.map((item) => item.text).join(''))
      .join('');
    expect(streamed.reasoning).toBe(expected);
    expect(streamed.content).toBe('2 + 2 = 4');
    expect(streamed.finish).toBe('stop');

    mock.reply({ fixture: 'mistral-text' });
    await client.chat.completions.create({
      model: 'mis/mistral-small-latest',
      messages: [{ role: 'user', content: '2+2?' }, { role: 'assistant', content: '4', reasoning_content: 'Basic.' } as OpenAI.Chat.Completions.ChatCompletionAssistantMessageParam, { role: 'user', content: 'and 3+3?' }],
    });
    expect(mock.last().body.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'Basic.' }], closed: true }, { type: 'text', text: '4' }] });
  });

  it('embeddings: input goes to /v1/embeddings; float and base64 (the SDK default) come back', async () => {
    const floats = await client.embeddings.create({ model: 'mis/mistral-embed', input: ['a', 'b'], encoding_format: 'float', dimensions: 512 });
    expect(floats.data.map((item) => item.embedding)).toEqual(mistralEmbeddingVectors);
    expect(floats.usage).toEqual({ prompt_tokens: 16, total_tokens: 16 });
    expect(mock.last().path).toBe('/v1/embeddings');
    expect(mock.last().body).toEqual({ model: 'mistral-embed', input: ['a', 'b'], encoding_format: 'float', output_dimension: 512 });

    const decoded = await client.embeddings.create({ model: 'mis/mistral-embed', input: 'a' });
    expect(mock.last().body.encoding_format).toBe('base64');
    expect(decoded.data[0]!.embedding).toEqual([...new Float32Array(mistralEmbeddingVectors[0]!)]);
  });

  it('errors: a wrong key is Mistral\'s 401; the provider is named', async () => {
    const other = await startGateway({ config: { providers: { mis: { type: 'mistral', api_key: 'wrong-key', base_url: `${mock.url}/v1` } } } });
    const otherClient = new OpenAI({ baseURL: other.baseURL, apiKey: 'x', maxRetries: 0 });
    const error = await otherClient.chat.completions.create({ model: 'mis/mistral-small-latest', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    await other.close();
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    const apiError = error as InstanceType<typeof OpenAI.AuthenticationError>;
    expect(apiError.status).toBe(401);
    expect(apiError.message).toContain('mis: Unauthorized');
    expect((apiError.error as { provider?: string }).provider).toBe('mis');
  });

  it('errors: a 422 validation report keeps its status, with a readable message', async () => {
    mock.reply({ error: { status: 422, message: { detail: [{ type: 'less_than_equal', loc: ['body', 'temperature'], msg: 'Input should be less than or equal to 1.5', input: 2 }] }, type: 'invalid_request_error' } });
    const error = await client.chat.completions.create({ model: 'mis/mistral-small-latest', messages: [{ role: 'user', content: 'x' }], temperature: 2 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.UnprocessableEntityError);
    const apiError = error as InstanceType<typeof OpenAI.UnprocessableEntityError>;
    expect(apiError.message).toContain('mis: body.temperature: Input should be less than or equal to 1.5');
    expect(apiError.type).toBe('invalid_request_error');
  });

  it('errors: a stream cut before any finish_reason fails in the SDK\'s iteration', async () => {
    mock.reply({ payloads: fixtureChunks('mistral/mistral-text.chunks.txt').slice(0, 4), done: false });
    const stream = await client.chat.completions.create({ model: 'mis/mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let content = '';
    const error = await (async () => {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('stream ended before it was complete');
    expect(content).toBe('Hello, world!');
  });

  it('errors: an error object in the stream fails it', async () => {
    mock.reply({ payloads: [...fixtureChunks('mistral/mistral-text.chunks.txt').slice(0, 2), { object: 'error', message: 'Service unavailable.', type: 'internal_error', param: null, code: '1000' }] });
    const stream = await client.chat.completions.create({ model: 'mis/mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const error = await collect(stream).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('mis: Service unavailable.');
  });
});
