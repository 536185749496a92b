import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { googleErrorBody, googleSseFrames } from '../../mocks/gemini-mock.js';
import { fixtureChunks, fixtureJson, sendJson, sendSse } from '../../mocks/mock-server.js';
import { startVertexMock, type VertexMock } from '../../mocks/vertex-mock.js';
import { testServiceAccount } from './service-account.js';

const { account, publicKey } = testServiceAccount();
const stranger = testServiceAccount('stranger@other-project.iam.gserviceaccount.com').account;
let mock: VertexMock;
let gateway: TestGateway;
let client: OpenAI;

const modelPrefix = '/v1/projects/my-project/locations/us-central1/publishers/google/models';

beforeAll(async () => {
  mock = await startVertexMock({ publicKey, clientEmail: account.client_email, project: 'my-project', location: 'us-central1' });
  const common = { type: 'vertex', base_url: `${mock.url}/v1`, project: 'my-project', location: 'us-central1', token_url: mock.tokenURL };
  gateway = await startGateway({
    config: {
      providers: {
        vertex: { ...common, service_account: JSON.stringify(account) },
        'vertex-stranger': { ...common, service_account: stranger },
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

const model = 'vertex/gemini-3-pro-preview';
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

describe('vertex coverage matrix', () => {
  it('text: bearer token from the service account, fetched once and reused; Google body on the project path', async () => {
    use('google/google-text.json', 'google/google-text.chunks.txt');
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: 'How many r in strawberry?' },
    ];
    const completion = await client.chat.completions.create({ model, messages, top_p: 0.5 });
    await client.chat.completions.create({ model, messages, top_p: 0.5 });
    expect(completion.choices[0].message.content).toBe(fixtureJson('google/google-text.json').candidates[0].content.parts[0].text);
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(mock.tokenRequests).toHaveLength(1);
    expect(mock.lastClaims).toMatchObject({ iss: account.client_email, aud: mock.tokenURL, scope: 'https://www.googleapis.com/auth/cloud-platform', kid: 'key-1' });
    const request = mock.last();
    expect(request.path).toBe(`${modelPrefix}/gemini-3-pro-preview:generateContent`);
    expect(request.headers.authorization).toBe('Bearer ya29.mock-token-1');
    expect(request.headers['x-goog-api-key']).toBeUndefined();
    expect(request.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'How many r in strawberry?' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { topP: 0.5 },
    });
  });

  it('stream: streamGenerateContent?alt=sse deltas concatenate to the recorded text, then stop', async () => {
    use('google/google-reasoning-gemini3.json', 'google/google-reasoning-gemini3.chunks.txt');
    const chunks = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true }));
    const expected = fixtureChunks('google/google-reasoning-gemini3.chunks.txt')
      .map((line) => line.candidates[0].content.parts[0].text)
      .join('');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(expected);
    expect(chunks.at(-1)!.choices[0].finish_reason).toBe('stop');
    expect(mock.last().path).toBe(`${modelPrefix}/gemini-3-pro-preview:streamGenerateContent`);
    expect(mock.last().query.get('alt')).toBe('sse');
    expect(mock.tokenRequests).toHaveLength(1);
  });

  it('tools: tool_calls out, functionCall/functionResponse back in', async () => {
    use('google/google-tool-call-gemini3.json', 'google/google-tool-call-gemini3.chunks.txt');
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in SF?' }];
    const first = await client.chat.completions.create({ model, messages, tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'weather' } } });
    const signature = fixtureJson('google/google-tool-call-gemini3.json').candidates[0].content.parts[0].thoughtSignature;
    expect(first.choices[0].finish_reason).toBe('tool_calls');
    expect(first.choices[0].message.tool_calls).toEqual([
      { id: `call_0__thought__${signature}`, type: 'function', function: { name: 'weather', arguments: '{"location":"San Francisco"}' } },
    ]);
    expect(mock.last().body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] } });

    use('google/google-text.json', 'google/google-text.chunks.txt');
    const call = first.choices[0].message.tool_calls![0];
    await client.chat.completions.create({ model, messages: [...messages, first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: 'foggy' }] });
    expect(mock.last().body.contents.slice(1)).toEqual([
      { role: 'model', parts: [{ functionCall: { name: 'weather', args: { location: 'San Francisco' } }, thoughtSignature: signature }] },
      { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { result: 'foggy' } } }] },
    ]);
  });

  it('streamed tools: the recorded nested partialArgs stream assembles into the full recipe', async () => {
    use('google/google-tool-call-gemini3.json', 'google/google-vertex-stream-tool-call-arguments-nested.1.chunks.txt');
    const runner = client.chat.completions.stream({ model, messages: [{ role: 'user', content: 'Cook lasagna.' }], tools: [weatherTool] });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    const calls = final.choices[0].message.tool_calls!;
    expect(calls.map((call) => call.function.name)).toEqual(['cookRecipe']);
    const args = JSON.parse(calls[0].function.arguments);
    expect(Object.keys(args.recipe)).toEqual(['ingredients', 'name', 'steps']);
    expect(args.recipe.name).toBe('Lasagna');
    expect(args.recipe.ingredients[9]).toEqual({ amount: '1/2 tsp', name: 'Pepper' });
    expect(args.recipe.steps).toHaveLength(10);
    expect(args.recipe.steps[4]).toBe('In a 9x13 baking dish, spread a thin layer of meat sauce.');
  });

  it('images: data URLs become inlineData parts', async () => {
    use('google/google-text.json', 'google/google-text.chunks.txt');
    await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/webp;base64,UklGRg==' } }, { type: 'text', text: 'What is it?' }] }],
    });
    expect(mock.last().body.contents).toEqual([{ role: 'user', parts: [{ inlineData: { mimeType: 'image/webp', data: 'UklGRg==' } }, { text: 'What is it?' }] }]);
  });

  it('json_schema: responseMimeType + responseJsonSchema (const rewritten as enum)', async () => {
    const recorded = fixtureJson('google/google-text.json');
    recorded.candidates[0].content.parts[0].text = '{"kind":"holiday"}';
    mock.next((_request, response) => sendJson(response, 200, recorded));
    const completion = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'x' }],
      response_format: { type: 'json_schema', json_schema: { name: 'k', schema: { type: 'object', properties: { kind: { const: 'holiday' } } } } },
    });
    expect(JSON.parse(completion.choices[0].message.content!)).toEqual({ kind: 'holiday' });
    expect(mock.last().body.generationConfig).toEqual({ responseMimeType: 'application/json', responseJsonSchema: { type: 'object', properties: { kind: { enum: ['holiday'] } } } });
  });

  it('reasoning: thinkingLevel for Gemini 3, thought parts → reasoning_content', async () => {
    use('google/google-reasoning.json', 'google/google-stream-no-args-tool-call.chunks.txt');
    const chunks = await collect(await client.chat.completions.create({ model: 'vertex/gemini-3-flash-preview', messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'minimal', stream: true }));
    expect(mock.last().body.generationConfig).toEqual({ thinkingConfig: { thinkingLevel: 'minimal', includeThoughts: true } });
    const reasoning = chunks.map((chunk) => (chunk.choices[0]?.delta as Delta | undefined)?.reasoning_content ?? '').join('');
    expect(reasoning).toMatch(/^\*\*Processing User Requests\*\*/);
    expect(chunks.at(-1)!.choices[0].finish_reason).toBe('tool_calls');
  });

  it('embeddings: :predict with instances, token counts as usage', async () => {
    const result = await client.embeddings.create({ model: 'vertex/text-embedding-005', input: ['hello there world', 'hi'], encoding_format: 'float' });
    expect(mock.last().path).toBe(`${modelPrefix}/text-embedding-005:predict`);
    expect(mock.last().headers.authorization).toBe('Bearer ya29.mock-token-1');
    expect(mock.last().body).toEqual({ instances: [{ content: 'hello there world' }, { content: 'hi' }] });
    expect(result.data).toEqual([
      { object: 'embedding', index: 0, embedding: [0, 0.25, 0.25] },
      { object: 'embedding', index: 1, embedding: [1, 0.25, 0.25] },
    ]);
    expect(result.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
  });

  it('usage: final stream chunk carries prompt, completion (with thoughts) and reasoning tokens', async () => {
    use('google/google-tool-call.json', 'google/google-stream-tool-call-array-arguments-missing-terminal-function-call.chunks.txt');
    const chunks = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }], stream: true, stream_options: { include_usage: true } }));
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 54, completion_tokens: 195, total_tokens: 249, completion_tokens_details: { reasoning_tokens: 121 } });
    expect(chunks.at(-2)!.choices[0].finish_reason).toBe('tool_calls');
  });

  it('errors: a rejected service account, Vertex\'s 401 and an in-stream error reach the SDK', async () => {
    await expect(client.chat.completions.create({ model: 'vertex-stranger/gemini-3-pro-preview', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      status: 401,
      code: 'invalid_grant',
      message: expect.stringContaining('could not get an access token (invalid_grant: Invalid JWT Signature.)'),
    });

    mock.next((_request, response) => sendJson(response, 401, googleErrorBody(401, 'Request had invalid authentication credentials.')));
    await expect(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });

    mock.next((_request, response) => sendSse(response, googleSseFrames([googleErrorBody(500, 'Internal error encountered.')])));
    // The error is the stream's first event, so nothing has reached the client yet: it gets a plain HTTP error
    // (a route could still have fallen back), not a 200 stream that fails.
    await expect(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }], stream: true })).rejects.toThrow(/Internal error encountered/);
  });
});
