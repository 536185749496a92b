/**
 * The coverage matrix for AWS Bedrock, driven end to end with the official openai SDK:
 * gateway → SigV4-verifying mock Bedrock Runtime (Converse JSON, binary event streams).
 */
import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { bedrockError, bedrockTestApiKey, bedrockTestCredentials, converseJson, converseStream, startBedrockMock, titanEmbedding } from '../../mocks/bedrock-mock.js';
import { fixtureChunks, fixtureJson, startMockServer, type MockUpstream } from '../../mocks/mock-server.js';

const claude = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0';
const conversePath = '/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse';
const streamPath = '/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream';

let mock: MockUpstream;
let images: MockUpstream;
let gateway: TestGateway;
let client: OpenAI;

// A 1x1 PNG, served over http to prove the gateway inlines image URLs for Bedrock.
const pngBase64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

beforeAll(async () => {
  mock = await startBedrockMock();
  images = await startMockServer((_request, response) => {
    const bytes = Buffer.from(pngBase64, 'base64');
    response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(bytes.length) });
    response.end(bytes);
  });
  const { accessKeyId, secretAccessKey, region } = bedrockTestCredentials;
  gateway = await startGateway({
    config: {
      providers: {
        aws: { type: 'bedrock', base_url: mock.url, region, access_key_id: accessKeyId, secret_access_key: secretAccessKey },
        'aws-apikey': { type: 'bedrock', base_url: mock.url, region, api_key: bedrockTestApiKey },
        'aws-badsecret': { type: 'bedrock', base_url: mock.url, region, access_key_id: accessKeyId, secret_access_key: 'not-the-secret' },
      },
      images: { allow_private_addresses: true },
    },
  });
  client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await mock.close();
  await images.close();
});

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

function expectSigV4(headers: Record<string, string | string[] | undefined>): void {
  expect(headers.authorization).toMatch(
    /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
  );
}

async function apiError(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

describe('bedrock coverage matrix', () => {
  it('text: Converse with a SigV4-signed request, system blocks and inferenceConfig', async () => {
    mock.next(converseJson(fixtureJson('amazon-bedrock/amazon-bedrock-text.json')));
    const completion = await client.chat.completions.create({
      model: `aws/${claude}`,
      messages: [
        { role: 'system', content: 'Be precise.' },
        { role: 'user', content: 'How many r are in strawberry?' },
      ],
      max_tokens: 200,
      temperature: 0.3,
      stop: ['###'],
    });
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: 'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** "r"s in "strawberry."' },
        finish_reason: 'stop',
        logprobs: null,
      },
    ]);
    expect(completion.model).toBe(claude);
    const upstream = mock.last();
    expect([upstream.method, upstream.path]).toEqual(['POST', conversePath]);
    expectSigV4(upstream.headers);
    expect(upstream.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(upstream.rawBody).digest('hex'));
    expect(upstream.body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'How many r are in strawberry?' }] }],
      system: [{ text: 'Be precise.' }],
      inferenceConfig: { maxTokens: 200, temperature: 0.3, stopSequences: ['###'] },
    });
  });

  it('text with a Bedrock API key: Authorization Bearer instead of SigV4', async () => {
    mock.next(converseJson(fixtureJson('amazon-bedrock/amazon-bedrock-text.json')));
    const completion = await client.chat.completions.create({ model: `aws-apikey/${claude}`, messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(mock.last().headers.authorization).toBe(`Bearer ${bedrockTestApiKey}`);
    expect(mock.last().headers['x-amz-date']).toBeUndefined();
  });

  it('stream: ConverseStream binary frames split across writes → content deltas, finish, [DONE]', async () => {
    mock.next(converseStream(fixtureChunks('amazon-bedrock/amazon-bedrock-text.chunks.txt'), { pieceBytes: 37 }));
    const stream = await client.chat.completions.create({ model: `aws/${claude}`, messages: [{ role: 'user', content: 'Count' }], stream: true });
    const result = await collect(stream);
    expect(result.content).toBe('Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** r\'s in "strawberry."');
    expect(result.finish).toBe('stop');
    expect(result.chunks[0].choices[0].delta.role).toBe('assistant');
    expect(result.usage).toEqual([]);
    expect([mock.last().path, mock.last().body]).toEqual([streamPath, { messages: [{ role: 'user', content: [{ text: 'Count' }] }] }]);
    expectSigV4(mock.last().headers);
  });

  it('tools: toolConfig out, toolUse back as tool_calls', async () => {
    mock.next(converseJson(fixtureJson('amazon-bedrock/amazon-bedrock-tool-call.1.json')));
    const completion = await client.chat.completions.create({
      model: `aws/${claude}`,
      messages: [{ role: 'user', content: 'List files' }],
      tools: [{ type: 'function', function: { name: 'bash', description: 'Run a command', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } } }],
      tool_choice: 'required',
    });
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: null, tool_calls: [{ id: 'tool-use-id', type: 'function', function: { name: 'bash', arguments: '{"command":"ls -l"}' } }] },
      finish_reason: 'tool_calls',
      logprobs: null,
    });
    expect(mock.last().body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'bash', description: 'Run a command', inputSchema: { json: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } } } }],
      toolChoice: { any: {} },
    });
  });

  it('tools: a tool-result round trip sends toolUse and toolResult blocks', async () => {
    mock.next(converseJson(fixtureJson('amazon-bedrock/amazon-bedrock-text.json')));
    await client.chat.completions.create({
      model: `aws/${claude}`,
      messages: [
        { role: 'user', content: 'List files' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'tool-use-id', type: 'function', function: { name: 'bash', arguments: '{"command":"ls -l"}' } }] },
        { role: 'tool', tool_call_id: 'tool-use-id', content: 'a.txt b.txt' },
      ],
      tools: [{ type: 'function', function: { name: 'bash', parameters: { type: 'object', properties: { command: { type: 'string' } } } } }],
    });
    expect(mock.last().body.messages).toEqual([
      { role: 'user', content: [{ text: 'List files' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 'tool-use-id', name: 'bash', input: { command: 'ls -l' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 'tool-use-id', content: [{ text: 'a.txt b.txt' }] } }] },
    ]);
  });

  it('streamed tools: id and name first, argument pieces that parse, finish tool_calls', async () => {
    mock.next(converseStream(fixtureChunks('amazon-bedrock/amazon-bedrock-json-tool-text-then-weather-then-json.1.chunks.txt'), { pieceBytes: 11 }));
    const stream = await client.chat.completions.create({
      model: `aws/${claude}`,
      messages: [{ role: 'user', content: 'Weather in SF and London' }],
      tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } }],
      stream: true,
    });
    const result = await collect(stream);
    expect(result.content).toBe('2 + 2 equals 4. Now let me check the weather for you.');
    expect(result.calls).toEqual([
      { id: 'weather-tool-1', name: 'weather', arguments: '{"location":"San Francisco"}' },
      { id: 'weather-tool-2', name: 'weather', arguments: '{"location":"London"}' },
    ]);
    expect(result.calls.map((call) => JSON.parse(call.arguments))).toEqual([{ location: 'San Francisco' }, { location: 'London' }]);
    expect(result.finish).toBe('tool_calls');
    const firstDeltas = result.chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []).filter((call) => call.id);
    expect(firstDeltas).toEqual([
      { index: 0, id: 'weather-tool-1', type: 'function', function: { name: 'weather', arguments: '' } },
      { index: 1, id: 'weather-tool-2', type: 'function', function: { name: 'weather', arguments: '' } },
    ]);
  });

  it('streamed tools: a call without arguments concatenates to "{}"', async () => {
    mock.next(converseStream(fixtureChunks('amazon-bedrock/amazon-bedrock-tool-no-args.chunks.txt')));
    const stream = await client.chat.completions.create({
      model: `aws/${claude}`,
      messages: [{ role: 'user', content: 'Update the issues' }],
      tools: [{ type: 'function', function: { name: 'updateIssueList' } }],
      stream: true,
    });
    const result = await collect(stream);
    expect(result.calls).toEqual([{ id: 'tool-use-id', name: 'updateIssueList', arguments: '{}' }]);
    expect(result.finish).toBe('tool_calls');
  });

  it('images: an http image URL is fetched and sent as image bytes', async () => {
    mock.next(converseJson(fixtureJson('amazon-bedrock/amazon-bedrock-text.json')));
    await client.chat.completions.create({
      model: `aws/${claude}`,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe both.' },
            { type: 'image_url', image_url: { url: `${images.url}/pixel.png` } },
            { type: 'image_url', image_url: { url: 'data:image/webp;base64,UklGRg==' } },
          ],
        },
      ],
    });
    expect(images.last().path).toBe('/pixel.png');
    expect(mock.last().body.messages).toEqual([
      {
        role: 'user',
        content: [{ text: 'Describe both.' }, { image: { format: 'png', source: { bytes: pngBase64 } } }, { image: { format: 'webp', source: { bytes: 'UklGRg==' } } }],
      },
    ]);
  });

  it('json_schema: native structured output (outputConfig.textFormat), JSON text back', async () => {
    const recorded = fixtureJson('amazon-bedrock/amazon-bedrock-text.json');
    recorded.output.message.content = [{ text: '{"name":"John","age":42}' }];
    mock.next(converseJson(recorded));
    const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'], additionalProperties: false };
    const completion = await client.chat.completions.create({
      model: `aws/${claude}`,
      messages: [{ role: 'user', content: 'Make up a person' }],
      response_format: { type: 'json_schema', json_schema: { name: 'person', schema, strict: true } },
    });
    expect(JSON.parse(completion.choices[0].message.content!)).toEqual({ name: 'John', age: 42 });
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(mock.last().body.outputConfig).toEqual({ textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify(schema), name: 'person' } } } });
    expect(mock.last().body.toolConfig).toBeUndefined();
  });

  it('json_schema: json_object is refused with a 400 before any upstream call', async () => {
    const before = mock.requests.length;
    const error = await apiError(client.chat.completions.create({ model: `aws/${claude}`, messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_object' } }));
    expect([error.status, error.param]).toEqual([400, 'response_format']);
    expect(mock.requests.length).toBe(before);
  });

  it('reasoning: reasoning_effort → thinking budget; reasoningContent → reasoning_content', async () => {
    mock.next(converseJson(fixtureJson('amazon-bedrock/amazon-bedrock-reasoning.json')));
    const completion = await client.chat.completions.create({
      model: `aws/${claude}`,
      messages: [{ role: 'user', content: 'How many r in strawberry?' }],
      reasoning_effort: 'low',
      max_completion_tokens: 1000,
    });
    const message = completion.choices[0].message as OpenAI.Chat.Completions.ChatCompletionMessage & { reasoning_content?: string };
    expect(message.reasoning_content).toBe('Let me count the r\'s in "strawberry":\n\ns-t-r-a-w-b-e-r-r-y\n\nThere are 3 r\'s.');
    expect(message.content).toBe('There are **3** r\'s in "strawberry":\n\n1. st**r**awbe**r****r**y');
    expect(mock.last().body).toMatchObject({
      inferenceConfig: { maxTokens: 3048 },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2048 } },
    });
  });

  it('reasoning: signed reasoning comes back in thinking_blocks, and goes back first in the next turn', async () => {
    const recorded = fixtureJson('amazon-bedrock/amazon-bedrock-reasoning.json');
    const { text, signature } = recorded.output.message.content[0].reasoningContent.reasoningText;
    mock.next(converseJson(recorded));
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'How many r in strawberry?' }];
    const first = await client.chat.completions.create({ model: `aws/${claude}`, messages, reasoning_effort: 'low' });
    const message = first.choices[0].message as OpenAI.Chat.Completions.ChatCompletionMessage & { thinking_blocks?: unknown[] };
    expect(message.thinking_blocks).toEqual([{ type: 'thinking', thinking: text, signature }]);

    // The client appends the answer as it came, as tool loops do.
    messages.push(message as OpenAI.Chat.Completions.ChatCompletionMessageParam, { role: 'user', content: 'And in raspberry?' });
    mock.next(converseJson(fixtureJson('amazon-bedrock/amazon-bedrock-text.json')));
    await client.chat.completions.create({ model: `aws/${claude}`, messages, reasoning_effort: 'low' });
    expect(mock.last().body.messages[1]).toEqual({ role: 'assistant', content: [{ reasoningContent: { reasoningText: { text, signature } } }, { text: message.content }] });
  });

  it('reasoning: streamed reasoning deltas', async () => {
    mock.next(converseStream(fixtureChunks('amazon-bedrock/amazon-bedrock-reasoning.chunks.txt'), { pieceBytes: 64 }));
    const stream = await client.chat.completions.create({ model: `aws/${claude}`, messages: [{ role: 'user', content: 'r?' }], reasoning_effort: 'medium', stream: true });
    const result = await collect(stream);
    expect(result.reasoning).toBe('Let me count the r\'s in "strawberry":\n\ns-t-r-a-w-b-e-r-r-y\n\nr appears at positions 3, 8, and 9.\n\nSo there are 3 r\'s.');
    expect(result.content).toBe('There are **3** r\'s in "strawberry":\n\n1. st**r**awbe**r****r**y');
    expect(result.finish).toBe('stop');
    expect(mock.last().body.additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 8192 } });
  });

  it('embeddings: Titan through InvokeModel', async () => {
    const result = await client.embeddings.create({ model: 'aws/amazon.titan-embed-text-v2:0', input: 'hello world', dimensions: 256, encoding_format: 'float' });
    expect(result.data).toEqual([{ object: 'embedding', index: 0, embedding: titanEmbedding.embedding }]);
    expect(result.usage).toEqual({ prompt_tokens: 7, total_tokens: 7 });
    expect(mock.last().path).toBe('/model/amazon.titan-embed-text-v2%3A0/invoke');
    expect(mock.last().body).toEqual({ inputText: 'hello world', dimensions: 256 });
    expectSigV4(mock.last().headers);
  });

  it('usage: cache reads and writes in prompt_tokens; the stream usage chunk comes last when asked for', async () => {
    const recorded = fixtureJson('amazon-bedrock/amazon-bedrock-text.json');
    recorded.usage = { ...recorded.usage, inputTokens: 22, cacheReadInputTokens: 1000, cacheWriteInputTokens: 200, totalTokens: 1279 };
    mock.next(converseJson(recorded));
    const completion = await client.chat.completions.create({ model: `aws/${claude}`, messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.usage).toEqual({ prompt_tokens: 1222, completion_tokens: 57, total_tokens: 1279, prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 200 } });

    mock.next(converseStream(fixtureChunks('amazon-bedrock/amazon-bedrock-tool-call.1.chunks.txt')));
    const stream = await client.chat.completions.create({ model: `aws/${claude}`, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    const result = await collect(stream);
    expect(result.usage).toEqual([{ prompt_tokens: 125, completion_tokens: 45, total_tokens: 170 }]);
    expect(result.chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 125, completion_tokens: 45, total_tokens: 170 } });
  });

  it('errors: 429 ThrottlingException keeps its status and message', async () => {
    mock.next(bedrockError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.'));
    const error = await apiError(client.chat.completions.create({ model: `aws/${claude}`, messages: [{ role: 'user', content: 'Hi' }] }));
    expect(error.status).toBe(429);
    expect(error.message).toContain('Too many requests, please wait before trying again.');
  });

  it('errors: a wrong secret fails the mock signature check with 403 InvalidSignatureException', async () => {
    const error = await apiError(client.chat.completions.create({ model: `aws-badsecret/${claude}`, messages: [{ role: 'user', content: 'Hi' }] }));
    expect(error.status).toBe(403);
    expect(error.message).toContain('The request signature we calculated does not match the signature you provided.');
  });

  it('errors: n > 1 is refused with 400 unsupported_parameter', async () => {
    const error = await apiError(client.chat.completions.create({ model: `aws/${claude}`, messages: [{ role: 'user', content: 'Hi' }], n: 2 }));
    expect([error.status, error.param]).toEqual([400, 'n']);
  });

  it('errors: an exception frame mid-stream surfaces as an error in the SDK iteration, after the text before it', async () => {
    const lines = fixtureChunks('amazon-bedrock/amazon-bedrock-text.chunks.txt').slice(0, 4);
    mock.next(converseStream(lines, { exception: { type: 'modelStreamErrorException', message: 'The model stream broke.' } }));
    const stream = await client.chat.completions.create({ model: `aws/${claude}`, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let content = '';
    const error = await (async () => {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    })().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(content).toBe('Let me count the "r"s in "');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('The model stream broke.');
  });

  it('errors: a stream that ends without messageStop is reported as interrupted, not a clean end', async () => {
    const lines = fixtureChunks('amazon-bedrock/amazon-bedrock-text.chunks.txt').slice(0, 5);
    mock.next(converseStream(lines));
    const stream = await client.chat.completions.create({ model: `aws/${claude}`, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const error = await collect(stream).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toMatch(/messageStop|ended before/);
  });
});
