import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { COHERE_MOCK_KEY, startCohereMock, type CohereMock } from '../../mocks/cohere-mock.js';
import { fixtureChunks, fixtureJson } from '../../mocks/mock-server.js';

let mock: CohereMock;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startCohereMock();
  gateway = await startGateway({ config: { providers: { co: { type: 'cohere', api_key: COHERE_MOCK_KEY, base_url: mock.url } } } });
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
const attractionsTool = {
  type: 'function' as const,
  function: { name: 'cityAttractions', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
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

describe('cohere coverage matrix', () => {
  it('text: maps the request to /v2/chat with the Bearer key, and the response back', async () => {
    mock.reply({ fixture: 'cohere-text' });
    const { data: completion, response } = await client.chat.completions
      .create({ model: 'co/command-a-03-2025', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Capital of France?' }], temperature: 0.3, top_p: 0.9, max_tokens: 64, stop: ['END'], seed: 7 })
      .withResponse();
    expect(completion.id).toBe('e7592632-1e3d-424f-b129-bd5f9f980f7b');
    expect(completion.choices).toEqual([{ index: 0, message: { role: 'assistant', content: 'The capital of France is Paris.' }, finish_reason: 'stop', logprobs: null }]);
    expect(mock.last().path).toBe('/v2/chat');
    expect(mock.last().headers.authorization).toBe(`Bearer ${COHERE_MOCK_KEY}`);
    expect(mock.last().body).toEqual({
      model: 'command-a-03-2025',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Capital of France?' }],
      temperature: 0.3,
      p: 0.9,
      max_tokens: 64,
      stop_sequences: ['END'],
      seed: 7,
    });
    expect(response.headers.get('x-switchyard-provider')).toBe('co');
  });

  it('stream: deltas concatenate to the recorded text, ending in stop; usage is not shown unasked', async () => {
    mock.reply({ fixture: 'cohere-text' });
    const stream = await client.chat.completions.create({ model: 'co/command-a-03-2025', messages: [{ role: 'user', content: 'Capital of France?' }], stream: true });
    const result = await collect(stream);
    expect(result.content).toBe('The capital of France is Paris.');
    expect(result.finish).toBe('stop');
    expect(result.chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(result.chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(mock.last().body).toEqual({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Capital of France?' }], stream: true });
    expect(mock.last().headers.accept).toBe('text/event-stream');
  });

  it('usage: tokens (not billed units) with cached tokens, in the response and as the last stream chunk', async () => {
    mock.reply({ fixture: 'cohere-text' });
    const completion = await client.chat.completions.create({ model: 'co/command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.usage).toEqual({ prompt_tokens: 507, completion_tokens: 10, total_tokens: 517, prompt_tokens_details: { cached_tokens: 448 } });

    mock.reply({ fixture: 'cohere-text' });
    const stream = await client.chat.completions.create({ model: 'co/command-a-03-2025', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    const { chunks } = await collect(stream);
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 507, completion_tokens: 10, total_tokens: 517, prompt_tokens_details: { cached_tokens: 448 } });
    expect(chunks.filter((chunk) => chunk.usage).length).toBe(1);
    expect(mock.last().body).not.toHaveProperty('stream_options');
  });

  it('tools: definitions, a named tool_choice (that tool + REQUIRED) and a tool-result turn map; calls come back', async () => {
    mock.reply({ fixture: 'cohere-tool-call' });
    const completion = await client.chat.completions.create({
      model: 'co/command-a-03-2025',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'weather', arguments: '{"location":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_0', content: '18°C' },
        { role: 'user', content: 'And San Francisco, with attractions?' },
      ],
      tools: [weatherTool, attractionsTool],
      tool_choice: { type: 'function', function: { name: 'weather' } },
    });
    const recorded = fixtureJson('cohere/cohere-tool-call.json');
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]!.message.content).toBe(recorded.message.tool_plan);
    expect(completion.choices[0]!.message.tool_calls).toEqual(recorded.message.tool_calls);
    expect(mock.last().body).toEqual({
      model: 'command-a-03-2025',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', tool_plan: 'Checking.', tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'weather', arguments: '{"location":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_0', content: '18°C' },
        { role: 'user', content: 'And San Francisco, with attractions?' },
      ],
      tools: [weatherTool],
      tool_choice: 'REQUIRED',
    });
  });

  it('tools: "null" arguments of a call without parameters come back as {}', async () => {
    mock.reply({ fixture: 'cohere-null-args' });
    const completion = await client.chat.completions.create({ model: 'co/command-a-03-2025', messages: [{ role: 'user', content: 'Time?' }], tools: [{ type: 'function', function: { name: 'currentTime' } }], tool_choice: 'required' });
    expect(completion.choices[0]!.message.tool_calls).toEqual([{ id: 'currentTime_tf4dywn8wgnk', type: 'function', function: { name: 'currentTime', arguments: '{}' } }]);
    expect(mock.last().body.tool_choice).toBe('REQUIRED');
    expect(mock.last().body.tools).toEqual([{ type: 'function', function: { name: 'currentTime', parameters: { type: 'object', properties: {} } } }]);
  });

  it('streamed tools: each call starts with index, id, type and name; arguments concatenate to JSON', async () => {
    mock.reply({ fixture: 'cohere-tool-call' });
    const stream = await client.chat.completions.create({ model: 'co/command-a-03-2025', messages: [{ role: 'user', content: 'Weather and attractions in SF?' }], tools: [weatherTool, attractionsTool], stream: true });
    const result = await collect(stream);
    expect(result.finish).toBe('tool_calls');
    expect(result.calls).toEqual([
      { id: 'weather_e8p4pn45zt0t', type: 'function', name: 'weather', arguments: '{"location": "San Francisco"}' },
      { id: 'cityAttractions_pyxssbwnq9fq', type: 'function', name: 'cityAttractions', arguments: '{"city": "San Francisco"}' },
    ]);
    expect(result.calls.map((call) => JSON.parse(call.arguments))).toEqual([{ location: 'San Francisco' }, { city: 'San Francisco' }]);
    expect(result.content).toBe(fixtureChunks('cohere/cohere-tool-call.chunks.txt').map((event) => event.delta?.message?.tool_plan ?? '').join(''));

    mock.reply({ fixture: 'cohere-empty-tool-call' });
    const empty = await collect(await client.chat.completions.create({ model: 'co/command-a-03-2025', messages: [{ role: 'user', content: 'Time?' }], tools: [{ type: 'function', function: { name: 'currentTime' } }], stream: true }));
    expect(empty.calls).toEqual([{ id: 'currentTime_y46ar19t5gvw', type: 'function', name: 'currentTime', arguments: '{}' }]);
  });

  it('images: URL and data URL parts are sent as Cohere image_url content', async () => {
    mock.reply({ fixture: 'cohere-text' });
    const content = [
      { type: 'text' as const, text: 'What is in these?' },
      { type: 'image_url' as const, image_url: { url: 'https://example.com/cat.png', detail: 'low' as const } },
      { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
    ];
    await client.chat.completions.create({ model: 'co/command-a-vision-07-2025', messages: [{ role: 'user', content }] });
    expect(mock.last().body.model).toBe('command-a-vision-07-2025');
    expect(mock.last().body.messages).toEqual([{ role: 'user', content }]);
  });

  it('json_schema: response_format becomes json_object with the schema', async () => {
    mock.reply({ fixture: 'cohere-text' });
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    await client.chat.completions.create({ model: 'co/command-a-03-2025', messages: [{ role: 'user', content: 'json' }], response_format: { type: 'json_schema', json_schema: { name: 'answer', strict: true, schema } } });
    expect(mock.last().body.response_format).toEqual({ type: 'json_object', json_schema: schema });
  });

  it('reasoning: reasoning_effort becomes a thinking budget; thinking comes back as reasoning_content', async () => {
    mock.reply({ fixture: 'cohere-reasoning' });
    const completion = await client.chat.completions.create({ model: 'co/command-a-reasoning-08-2025', messages: [{ role: 'user', content: '2+2?' }], reasoning_effort: 'medium' });
    expect(mock.last().body.thinking).toEqual({ type: 'enabled', token_budget: 8192 });
    expect(completion.choices[0]!.message.content).toBe('2 + 2 = 4');
    expect((completion.choices[0]!.message as { reasoning_content?: string }).reasoning_content).toBe(fixtureJson('cohere/cohere-reasoning.json').message.content[0].thinking);

    mock.reply({ fixture: 'cohere-reasoning' });
    const streamed = await collect(await client.chat.completions.create({ model: 'co/command-a-reasoning-08-2025', messages: [{ role: 'user', content: '2+2?' }], reasoning_effort: 'none', stream: true }));
    expect(mock.last().body.thinking).toEqual({ type: 'disabled' });
    expect(streamed.reasoning).toBe(fixtureChunks('cohere/cohere-reasoning.chunks.txt').map((event) => event.delta?.message?.content?.thinking ?? '').join(''));
    expect(streamed.content).toBe('The answer to 2 + 2 is 4.');
  });

  it('embeddings: texts go to /v2/embed; float and base64 vectors come back', async () => {
    const recorded = fixtureJson('cohere/cohere-embedding.json');
    const floats = await client.embeddings.create({ model: 'co/embed-v4.0', input: ['sunny day at the beach', 'rainy day in the city'], encoding_format: 'float' });
    expect(floats.data.map((item) => item.embedding)).toEqual(recorded.embeddings.float);
    expect(floats.usage).toEqual({ prompt_tokens: 10, total_tokens: 10 });
    expect(mock.last().path).toBe('/v2/embed');
    expect(mock.last().body).toEqual({ model: 'embed-v4.0', texts: ['sunny day at the beach', 'rainy day in the city'], input_type: 'search_document', embedding_types: ['float'] });

    // The SDK's default asks for base64 and decodes it to float32.
    const decoded = await client.embeddings.create({ model: 'co/embed-v4.0', input: 'sunny day at the beach' });
    expect(mock.last().body.embedding_types).toEqual(['base64']);
    expect(decoded.data[0]!.embedding).toEqual([...new Float32Array(recorded.embeddings.float[0])]);
  });

  it('errors: a wrong key is Cohere\'s 401 with its message; the provider is named', async () => {
    const other = await startGateway({ config: { providers: { co: { type: 'cohere', api_key: 'wrong-key', base_url: mock.url } } } });
    const otherClient = new OpenAI({ baseURL: other.baseURL, apiKey: 'x', maxRetries: 0 });
    const error = await otherClient.chat.completions.create({ model: 'co/command-a-03-2025', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    await other.close();
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    const apiError = error as InstanceType<typeof OpenAI.AuthenticationError>;
    expect(apiError.status).toBe(401);
    expect(apiError.type).toBe('authentication_error');
    expect(apiError.message).toContain('co: invalid api token');
    expect((apiError.error as { provider?: string }).provider).toBe('co');
  });

  it('errors: a provider 400 keeps its status and message; n > 1 is refused before any call', async () => {
    mock.reply({ error: { status: 400, message: "invalid request: message must be at least 1 token long or tool results must be specified." } });
    const error = await client.chat.completions.create({ model: 'co/command-a-03-2025', messages: [{ role: 'user', content: '' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('co: invalid request: message must be at least 1 token long');

    const calls = mock.requests.length;
    const refused = await client.chat.completions.create({ model: 'co/command-a-03-2025', messages: [{ role: 'user', content: 'x' }], n: 2 }).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect((refused as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('n');
    expect(mock.requests.length).toBe(calls);
  });

  it('errors: a stream that closes before message-end fails in the SDK\'s iteration', async () => {
    mock.reply({ events: fixtureChunks('cohere/cohere-text.chunks.txt').slice(0, -1) });
    const stream = await client.chat.completions.create({ model: 'co/command-a-03-2025', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let content = '';
    const error = await (async () => {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('stream ended before it was complete');
    expect(content).toBe('The capital of France is Paris.');
  });

  it('errors: finish_reason ERROR at message-end fails the stream', async () => {
    const events = fixtureChunks('cohere/cohere-text.chunks.txt');
    events[events.length - 1] = { type: 'message-end', delta: { finish_reason: 'ERROR', usage: events.at(-1).delta.usage } };
    mock.reply({ events });
    const stream = await client.chat.completions.create({ model: 'co/command-a-03-2025', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const error = await collect(stream).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('finish_reason ERROR');
  });
});
