import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { fixtureJson } from '../../mocks/mock-server.js';
import { startOpenAIMock, type OpenAIMock } from '../../mocks/openai-mock.js';

// Azure's chat-completions body is OpenAI's; the recorded OpenAI chat fixtures are replayed
// (the azure/ fixtures are of the Responses API, which this gateway passes through, not translates).
let mock: OpenAIMock;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startOpenAIMock({ apiKey: 'az-key', auth: 'api-key' });
  gateway = await startGateway({ env: { AZURE_OPENAI_ENDPOINT: mock.url, AZURE_OPENAI_API_KEY: 'az-key', OPENAI_API_VERSION: '2025-04-01-preview' } });
  client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0, defaultHeaders: { authorization: null as unknown as string } });
});
afterAll(async () => {
  await gateway.close();
  await mock.close();
});

describe('azure openai', () => {
  it('text: the model names the deployment; api-version and api-key are sent', async () => {
    const completion = await client.chat.completions.create({ model: 'azure/my-gpt4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]!.message.content).toBe(fixtureJson('openai/chat/openai-text.json').choices[0].message.content);
    const request = mock.last();
    expect(request.path).toBe('/openai/deployments/my-gpt4o/chat/completions');
    expect(request.query.get('api-version')).toBe('2025-04-01-preview');
    expect(request.headers['api-key']).toBe('az-key');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body.model).toBeUndefined();
  });

  it('stream with usage', async () => {
    const stream = await client.chat.completions.create({ model: 'azure/my-gpt4o', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    expect(usage?.total_tokens).toBe(316);
    expect(mock.last().body.stream_options).toEqual({ include_usage: true });
  });

  it('embeddings go to the deployment', async () => {
    const result = await client.embeddings.create({ model: 'azure/embed-deploy', input: 'hello' });
    expect(result.data).toHaveLength(2);
    expect(mock.last().path).toBe('/openai/deployments/embed-deploy/embeddings');
  });

  it('a wrong key is a 401 from Azure', async () => {
    const other = await startGateway({ env: { AZURE_OPENAI_ENDPOINT: mock.url, AZURE_OPENAI_API_KEY: 'bad' } });
    const response = await fetch(`${other.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'azure/d', messages: [{ role: 'user', content: 'x' }] }) });
    await other.close();
    expect(response.status).toBe(401);
    expect((await response.json()).error.provider).toBe('azure');
  });

  it('tools and tool_choice go to the deployment unchanged; tool calls come back', async () => {
    mock.chat = { json: 'deepseek/chat/deepseek-tool-call.json', chunks: 'deepseek/chat/deepseek-tool-call.chunks.txt' };
    const tools = [{ type: 'function' as const, function: { name: 'weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } }];
    const completion = await client.chat.completions.create({ model: 'azure/d', messages: [{ role: 'user', content: 'weather?' }], tools, tool_choice: 'required' });
    expect(completion.choices[0]!.message.tool_calls).toEqual(fixtureJson('deepseek/chat/deepseek-tool-call.json').choices[0].message.tool_calls);
    expect(mock.last().body).toMatchObject({ tools, tool_choice: 'required' });
  });

  it('streamed tool calls keep index, id and name, and JSON arguments', async () => {
    mock.chat = { json: 'deepseek/chat/deepseek-tool-call.json', chunks: 'deepseek/chat/deepseek-tool-call.chunks.txt' };
    const stream = await client.chat.completions.create({ model: 'azure/d', messages: [{ role: 'user', content: 'weather?' }], stream: true });
    let name: string | undefined;
    let args = '';
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      name ??= call?.function?.name;
      args += call?.function?.arguments ?? '';
    }
    expect(name).toBe('weather');
    expect(JSON.parse(args)).toEqual({ location: 'San Francisco' });
  });

  it('images, json_schema and reasoning_effort reach the deployment unchanged; reasoning_content comes back', async () => {
    mock.chat = { json: 'deepseek/chat/deepseek-reasoning.json', chunks: 'deepseek/chat/deepseek-reasoning.chunks.txt' };
    const content = [{ type: 'text' as const, text: 'what is this?' }, { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }];
    const responseFormat = { type: 'json_schema' as const, json_schema: { name: 'a', schema: { type: 'object' } } };
    const completion = await client.chat.completions.create({ model: 'azure/d', messages: [{ role: 'user', content }], response_format: responseFormat, reasoning_effort: 'low' });
    expect(mock.last().body).toMatchObject({ messages: [{ role: 'user', content }], response_format: responseFormat, reasoning_effort: 'low' });
    expect((completion.choices[0]!.message as { reasoning_content?: string }).reasoning_content).toBe(fixtureJson('deepseek/chat/deepseek-reasoning.json').choices[0].message.reasoning_content);
  });
});
