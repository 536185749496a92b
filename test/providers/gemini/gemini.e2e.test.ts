import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { googleErrorBody, googleSseFrames, pixelPng, startGeminiMock, type GeminiMock } from '../../mocks/gemini-mock.js';
import { fixtureChunks, fixtureJson, sendJson, sendSse } from '../../mocks/mock-server.js';

let mock: GeminiMock;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startGeminiMock({ apiKey: 'test-key' });
  gateway = await startGateway({
    config: {
      providers: {
        gemini: { type: 'gemini', api_key: 'test-key', base_url: `${mock.url}/v1beta` },
        'gemini-badkey': { type: 'gemini', api_key: 'wrong-key', base_url: `${mock.url}/v1beta` },
      },
      images: { allow_private_addresses: true },
    },
  });
  client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await mock.close();
});

const model = 'gemini/gemini-3-pro-preview';
const weatherTool = {
  type: 'function' as const,
  function: { name: 'weather', description: 'Weather in a city', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } },
};

type StreamChunk = OpenAI.Chat.Completions.ChatCompletionChunk;
type Delta = StreamChunk['choices'][number]['delta'] & { reasoning_content?: string };

async function collect(stream: AsyncIterable<StreamChunk>): Promise<StreamChunk[]> {
  const chunks: StreamChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function use(json: string, chunks: string): void {
  mock.chat = { json, chunks };
}

describe('gemini coverage matrix', () => {
  it('text: maps the recorded completion; the body, path and API key header are Google\'s', async () => {
    use('google/google-text.json', 'google/google-text.chunks.txt');
    const completion = await client.chat.completions.create({
      model,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'How many r in strawberry?' },
      ],
      temperature: 0.3,
      max_tokens: 200,
      stop: ['END'],
      seed: 7,
    });
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: fixtureJson('google/google-text.json').candidates[0].content.parts[0].text },
        finish_reason: 'stop',
        logprobs: null,
      },
    ]);
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toBe('chatcmpl-Un6LacrVMcjUxs0PmJfWoQc');
    const request = mock.last();
    expect(request.path).toBe('/v1beta/models/gemini-3-pro-preview:generateContent');
    expect(request.headers['x-goog-api-key']).toBe('test-key');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'How many r in strawberry?' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { temperature: 0.3, maxOutputTokens: 200, stopSequences: ['END'], seed: 7 },
    });
  });

  it('stream: SSE from streamGenerateContent?alt=sse; deltas concatenate to the recorded text, then stop', async () => {
    use('google/google-text.json', 'google/google-text.chunks.txt');
    const chunks = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true }));
    const expected = fixtureChunks('google/google-text.chunks.txt')
      .map((line) => line.candidates[0].content.parts[0].text)
      .join('');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(expected);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.at(-1)!.choices[0].finish_reason).toBe('stop');
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(mock.last().path).toBe('/v1beta/models/gemini-3-pro-preview:streamGenerateContent');
    expect(mock.last().query.get('alt')).toBe('sse');
  });

  it('tools: a function call comes back as tool_calls; the next turn sends functionCall (with its signature) and functionResponse', async () => {
    use('google/google-tool-call.json', 'google/google-tool-call.chunks.txt');
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in SF?' }];
    const first = await client.chat.completions.create({ model, messages, tools: [weatherTool], tool_choice: 'required' });
    const signature = fixtureJson('google/google-tool-call.json').candidates[0].content.parts[0].thoughtSignature;
    expect(first.choices[0].finish_reason).toBe('tool_calls');
    expect(first.choices[0].message.tool_calls).toEqual([
      { id: `call_0__thought__${signature}`, type: 'function', function: { name: 'weather', arguments: '{"location":"San Francisco"}' } },
    ]);
    expect(mock.last().body.tools).toEqual([{ functionDeclarations: [{ name: 'weather', description: 'Weather in a city', parametersJsonSchema: weatherTool.function.parameters }] }]);
    expect(mock.last().body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });

    use('google/google-text.json', 'google/google-text.chunks.txt');
    const call = first.choices[0].message.tool_calls![0];
    await client.chat.completions.create({
      model,
      messages: [...messages, first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: '{"temperature":18}' }],
      tools: [weatherTool],
    });
    expect(mock.last().body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in SF?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'weather', args: { location: 'San Francisco' } }, thoughtSignature: signature }] },
      { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { temperature: 18 } } }] },
    ]);
  });

  it('streamed tools: partialArgs become argument deltas the SDK assembles into two complete calls', async () => {
    use('google/google-tool-call.json', 'google/google-stream-tool-call-arguments.chunks.txt');
    const runner = client.chat.completions.stream({ model, messages: [{ role: 'user', content: 'Weather in Boston and SF?' }], tools: [weatherTool] });
    const chunks = await collect(runner);
    const final = await runner.finalChatCompletion();
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    expect(final.choices[0].message.tool_calls!.map((call) => [call.id.split('__thought__')[0], call.function.name, JSON.parse(call.function.arguments)])).toEqual([
      ['call_0', 'getWeather', { location: 'Boston' }],
      ['call_1', 'getWeather', { location: 'San Francisco' }],
    ]);
    const firsts = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []).filter((delta) => delta.id !== undefined);
    expect(firsts.map((delta) => [delta.index, delta.type, delta.function?.name, delta.function?.arguments])).toEqual([
      [0, 'function', 'getWeather', ''],
      [1, 'function', 'getWeather', ''],
    ]);
  });

  it('images: an http image is fetched and inlined by the gateway, a data URL goes straight to inlineData', async () => {
    use('google/google-text.json', 'google/google-text.chunks.txt');
    await client.chat.completions.create({
      model,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe both.' },
            { type: 'image_url', image_url: { url: `${mock.url}/images/pixel.png` } },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
          ],
        },
      ],
    });
    expect(mock.last().body.contents).toEqual([
      {
        role: 'user',
        parts: [{ text: 'Describe both.' }, { inlineData: { mimeType: 'image/png', data: pixelPng.toString('base64') } }, { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } }],
      },
    ]);
  });

  it('json_schema: sent as responseMimeType + responseJsonSchema; the JSON text comes back as content', async () => {
    const recorded = fixtureJson('google/google-text.json');
    recorded.candidates[0].content.parts[0].text = '{"name":"Strawberry Day"}';
    mock.next((_request, response) => sendJson(response, 200, recorded));
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false };
    const completion = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Invent a holiday.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'holiday', schema, strict: true } },
    });
    expect(JSON.parse(completion.choices[0].message.content!)).toEqual({ name: 'Strawberry Day' });
    expect(mock.last().body.generationConfig).toEqual({ responseMimeType: 'application/json', responseJsonSchema: schema });
  });

  it('reasoning: reasoning_effort → thinkingConfig; thought parts stream as reasoning_content', async () => {
    use('google/google-reasoning.json', 'google/google-stream-no-args-tool-call.chunks.txt');
    const chunks = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Read the screens.' }], reasoning_effort: 'high', stream: true }));
    const reasoning = chunks.map((chunk) => (chunk.choices[0]?.delta as Delta | undefined)?.reasoning_content ?? '').join('');
    expect(reasoning).toBe(fixtureChunks('google/google-stream-no-args-tool-call.chunks.txt')[0].candidates[0].content.parts[0].text);
    expect(mock.last().body.generationConfig).toEqual({ thinkingConfig: { thinkingLevel: 'high', includeThoughts: true } });

    const completion = await client.chat.completions.create({ model: 'gemini/gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'medium' });
    expect(mock.last().path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(mock.last().body.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 8192, includeThoughts: true } });
    expect(completion.usage!.completion_tokens_details).toEqual({ reasoning_tokens: 282 });
  });

  it('embeddings: batchEmbedContents, one request per input, vectors in order', async () => {
    const result = await client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: ['hello', 'brave new world'], dimensions: 3, encoding_format: 'float' });
    expect(mock.last().path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(mock.last().body).toEqual({
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'hello' }] }, outputDimensionality: 3 },
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'brave new world' }] }, outputDimensionality: 3 },
      ],
    });
    expect(result.data).toEqual([
      { object: 'embedding', index: 0, embedding: [0, 5, 0.5] },
      { object: 'embedding', index: 1, embedding: [1, 15, 0.5] },
    ]);
    expect(result.usage).toEqual({ prompt_tokens: 0, total_tokens: 0 });
  });

  it('usage: thinking tokens count as completion and reasoning tokens, in the stream\'s final usage chunk and in the completion', async () => {
    use('google/google-reasoning.json', 'google/google-reasoning.chunks.txt');
    const chunks = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }], stream: true, stream_options: { include_usage: true } }));
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual({ prompt_tokens: 9, completion_tokens: 285, total_tokens: 294, completion_tokens_details: { reasoning_tokens: 256 } });
    const cached = fixtureJson('google/google-text.json');
    cached.usageMetadata = { ...cached.usageMetadata, promptTokenCount: 2009, cachedContentTokenCount: 2000, totalTokenCount: 2281 };
    mock.next((_request, response) => sendJson(response, 200, cached));
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] });
    expect(completion.usage).toEqual({
      prompt_tokens: 2009,
      completion_tokens: 272,
      total_tokens: 2281,
      prompt_tokens_details: { cached_tokens: 2000 },
      completion_tokens_details: { reasoning_tokens: 244 },
    });
  });

  it('errors: bad key, quota (recorded 429), an error event mid-stream and a cut stream all reach the SDK as errors', async () => {
    const badKey = client.chat.completions.create({ model: 'gemini-badkey/gemini-3-pro-preview', messages: [{ role: 'user', content: 'x' }] });
    await expect(badKey).rejects.toMatchObject({ status: 400, code: 'INVALID_ARGUMENT', message: expect.stringContaining('API key not valid. Please pass a valid API key.') });

    mock.next((_request, response) => sendJson(response, 429, fixtureJson('google/google-429-retry-info.json')));
    await expect(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      status: 429,
      code: 'RESOURCE_EXHAUSTED',
      message: expect.stringContaining('You exceeded your current quota'),
    });

    const first = fixtureChunks('google/google-text.chunks.txt')[0];
    mock.next((_request, response) => sendSse(response, googleSseFrames([first, googleErrorBody(503, 'The model is overloaded. Please try again later.')])));
    const broken = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }], stream: true });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of broken) seen.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow(/The model is overloaded/);
    expect(seen).toEqual([first.candidates[0].content.parts[0].text]);

    mock.next((_request, response) => sendSse(response, googleSseFrames(fixtureChunks('google/google-text.chunks.txt').slice(0, 2))));
    const cut = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }], stream: true });
    await expect(collect(cut)).rejects.toThrow(/ended before it was complete/);
  });
});
