import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { fixtureChunks, fixtureJson } from '../mocks/mock-server.js';
import { startOpenAIMock, type OpenAIMock } from '../mocks/openai-mock.js';

let mock: OpenAIMock;
let gateway: TestGateway;

beforeAll(async () => {
  mock = await startOpenAIMock({ apiKey: 'k' });
  gateway = await startGateway({ config: { providers: { openai: { api_key: 'k', base_url: `${mock.url}/v1` } } } });
});
afterAll(async () => {
  await gateway.close();
  await mock.close();
});

describe('the Vercel AI SDK as a client', () => {
  const provider = () => createOpenAI({ baseURL: gateway.baseURL, apiKey: 'client' });

  it('generateText returns the text and usage', async () => {
    mock.chat = { json: 'openai/chat/openai-text.json', chunks: 'openai/chat/openai-text.chunks.txt' };
    const result = await generateText({ model: provider().chat('openai/gpt-4.1-nano'), prompt: 'Invent a holiday' });
    expect(result.text).toBe(fixtureJson('openai/chat/openai-text.json').choices[0].message.content);
    expect(result.usage.inputTokens).toBe(16);
    expect(result.finishReason).toBe('stop');
  });

  it('streamText with a tool call yields the parsed tool input', async () => {
    mock.chat = { json: 'deepseek/chat/deepseek-tool-call.json', chunks: 'deepseek/chat/deepseek-tool-call.chunks.txt' };
    const result = streamText({
      model: provider().chat('openai/gpt-4o'),
      prompt: 'Weather in San Francisco?',
      tools: { weather: tool({ description: 'weather', inputSchema: jsonSchema<{ location: string }>({ type: 'object', properties: { location: { type: 'string' } }, required: ['location'] }) }) },
    });
    const calls = [];
    for await (const part of result.fullStream) if (part.type === 'tool-call') calls.push(part);
    const argumentsText = fixtureChunks('deepseek/chat/deepseek-tool-call.chunks.txt')
      .flatMap((chunk) => chunk.choices?.[0]?.delta?.tool_calls ?? [])
      .map((call: { function?: { arguments?: string } }) => call.function?.arguments ?? '')
      .join('');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.toolName).toBe('weather');
    expect(calls[0]!.input).toEqual(JSON.parse(argumentsText));
    expect(await result.finishReason).toBe('tool-calls');
  });
});
