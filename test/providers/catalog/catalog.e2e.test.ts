import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openaiCompatibleCatalog } from '../../../src/providers/catalog.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { fixtureChunks, fixtureJson } from '../../mocks/mock-server.js';
import { startOpenAIMock, type OpenAIMock } from '../../mocks/openai-mock.js';

/** Catalog providers with recorded fixtures, reached in zero-config mode through `<ID>_BASE_URL` and `<ID>_API_KEY`. */
const cases = [
  { id: 'groq', text: 'groq/groq-text', tool: 'groq/groq-tool-call', prefix: '/openai/v1' },
  { id: 'deepseek', text: 'deepseek/chat/deepseek-text', tool: 'deepseek/chat/deepseek-tool-call', prefix: '/v1' },
  { id: 'xai', text: 'xai/xai-text', tool: 'xai/xai-tool-call', prefix: '/v1' },
  { id: 'perplexity', text: 'perplexity/perplexity-text', tool: undefined, prefix: '' },
  { id: 'together', text: 'openai-compatible/chat/xai-text', tool: 'openai-compatible/chat/xai-tool-call', prefix: '/v1' },
  { id: 'ollama', text: 'openai/chat/openai-text', tool: undefined, prefix: '/v1' },
] as const;

const mocks = new Map<string, OpenAIMock>();
let gateway: TestGateway;

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = {};
  for (const entry of cases) {
    const mock = await startOpenAIMock({ apiKey: `${entry.id}-key`, prefix: entry.prefix, auth: entry.id === 'ollama' ? 'none' : 'bearer', strictMessages: entry.id === 'groq', reasoningOnToolTurns: entry.id === 'deepseek' });
    mocks.set(entry.id, mock);
    env[`${entry.id.toUpperCase()}_BASE_URL`] = mock.url + entry.prefix;
    env[`${entry.id.toUpperCase()}_API_KEY`] = `${entry.id}-key`;
  }
  delete env.OLLAMA_API_KEY;
  gateway = await startGateway({ env });
});
afterAll(async () => {
  await gateway.close();
  await Promise.all([...mocks.values()].map((mock) => mock.close()));
});

/** No Authorization header: in zero-config mode a client's bearer would be used as the provider key, overriding the env key. */
const client = (): OpenAI => new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0, defaultHeaders: { authorization: null as unknown as string } });

describe.each(cases)('catalog provider $id', (entry) => {
  it('text, non-streaming and streaming, with its own key and path', async () => {
    const mock = mocks.get(entry.id)!;
    mock.chat = { json: `${entry.text}.json`, chunks: `${entry.text}.chunks.txt` };
    const direct = client();
    const completion = await direct.chat.completions.create({ model: `${entry.id}/some-model`, messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]!.message.content).toBe(fixtureJson(`${entry.text}.json`).choices[0].message.content);
    expect(mock.last().path).toBe(`${entry.prefix}/chat/completions`);
    expect(mock.last().body.model).toBe('some-model');
    if (entry.id !== 'ollama') expect(mock.last().headers.authorization).toBe(`Bearer ${entry.id}-key`);

    const stream = await direct.chat.completions.create({ model: `${entry.id}/some-model`, messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(fixtureChunks(`${entry.text}.chunks.txt`).map((chunk) => chunk.choices?.[0]?.delta?.content ?? '').join(''));
    expect(usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
  });

});

describe.each(cases.filter((entry) => entry.tool !== undefined))('catalog provider $id tools', (entry) => {
  it('max_completion_tokens reaches it as max_tokens, which every OpenAI-compatible server reads; max_tokens stays', async () => {
    const mock = mocks.get(entry.id)!;
    await client().chat.completions.create({ model: `${entry.id}/m`, messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 7 });
    expect(mock.last().body).toMatchObject({ max_tokens: 7 });
    expect(mock.last().body.max_completion_tokens).toBeUndefined();
    await client().chat.completions.create({ model: `${entry.id}/m`, messages: [{ role: 'user', content: 'hi' }], max_tokens: 9 });
    expect(mock.last().body).toMatchObject({ max_tokens: 9 });
  });

  it('tool calls, streamed, arrive with ids, names and JSON arguments', async () => {
    const mock = mocks.get(entry.id)!;
    mock.chat = { json: `${entry.tool}.json`, chunks: `${entry.tool}.chunks.txt` };
    const stream = await client().chat.completions.create({ model: `${entry.id}/m`, messages: [{ role: 'user', content: 'weather?' }], stream: true, tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }] });
    const calls = new Map<number, { id?: string; name?: string; arguments: string }>();
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        const call = calls.get(delta.index) ?? { id: delta.id, name: delta.function?.name, arguments: '' };
        call.arguments += delta.function?.arguments ?? '';
        calls.set(delta.index, call);
      }
    }
    expect(calls.size).toBeGreaterThan(0);
    for (const call of calls.values()) {
      expect(call.id).toBeTruthy();
      expect(call.name).toBe('weather');
      expect(() => JSON.parse(call.arguments)).not.toThrow();
    }
  });
});

/** A DeepSeek answer with its reasoning (a recorded one), replayed as history, then a new question. */
function historyWithReasoning(): OpenAI.ChatCompletionMessageParam[] {
  const answer = fixtureJson('deepseek/chat/deepseek-reasoning.json').choices[0].message as { content: string; reasoning_content: string };
  expect(answer.reasoning_content.length).toBeGreaterThan(0);
  const replayed = { role: 'assistant', content: answer.content, reasoning_content: answer.reasoning_content } as OpenAI.ChatCompletionAssistantMessageParam;
  return [{ role: 'user', content: 'How many r in strawberry?' }, replayed, { role: 'user', content: 'And in raspberry?' }];
}

describe('reasoning_content in history', () => {
  it('reaches DeepSeek, which reads it back, and not Groq, which refuses the property', async () => {
    const deepseek = mocks.get('deepseek')!;
    deepseek.chat = { json: 'deepseek/chat/deepseek-text.json', chunks: 'deepseek/chat/deepseek-text.chunks.txt' };
    await client().chat.completions.create({ model: 'deepseek/deepseek-reasoner', messages: historyWithReasoning() });
    expect(deepseek.last().body.messages[1].reasoning_content).toBe(fixtureJson('deepseek/chat/deepseek-reasoning.json').choices[0].message.reasoning_content);

    const groq = mocks.get('groq')!;
    groq.chat = { json: 'groq/groq-text.json', chunks: 'groq/groq-text.chunks.txt' };
    const completion = await client().chat.completions.create({ model: 'groq/qwen/qwen3-32b', messages: historyWithReasoning() });
    expect(completion.choices[0]!.message.content).toBe(fixtureJson('groq/groq-text.json').choices[0].message.content);
    expect(groq.last().body.messages[1]).toEqual({ role: 'assistant', content: historyWithReasoning()[1]!.content });
    const stream = await client().chat.completions.create({ model: 'groq/qwen/qwen3-32b', messages: historyWithReasoning(), stream: true });
    for await (const _chunk of stream) {
      // drain
    }
    expect(groq.last().body.messages[1].reasoning_content).toBeUndefined();
  });

  it('DeepSeek gets an empty one on a tool-call turn that has none, which its thinking mode requires', async () => {
    const deepseek = mocks.get('deepseek')!;
    deepseek.chat = { json: 'deepseek/chat/deepseek-text.json', chunks: 'deepseek/chat/deepseek-text.chunks.txt' };
    // A tool loop another provider ran (its recorded answer has no reasoning), continued on DeepSeek.
    const call = fixtureJson('openai-compatible/chat/xai-tool-call.json').choices[0].message.tool_calls[0];
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: null, tool_calls: [call] },
      { role: 'tool', tool_call_id: call.id, content: 'Sunny' },
    ];
    await client().chat.completions.create({ model: 'deepseek/deepseek-v4-flash', messages });
    expect(deepseek.last().body.messages[1]).toEqual({ role: 'assistant', content: null, tool_calls: [call], reasoning_content: '' });
    expect(messages[1]).not.toHaveProperty('reasoning_content');
  });

  it("a provider's reasoning_history overrides its row, both ways", async () => {
    const groq = mocks.get('groq')!;
    const deepseek = mocks.get('deepseek')!;
    const configured = await startGateway({
      config: {
        providers: {
          'groq-send': { type: 'groq', base_url: `${groq.url}/openai/v1`, api_key: 'groq-key', reasoning_history: 'send' },
          'deepseek-drop': { type: 'deepseek', base_url: `${deepseek.url}/v1`, api_key: 'deepseek-key', reasoning_history: 'drop' },
          'deepseek-send': { type: 'deepseek', base_url: `${deepseek.url}/v1`, api_key: 'deepseek-key', reasoning_history: 'send' },
          'openai-drop': { type: 'openai', base_url: `${groq.url}/openai/v1`, api_key: 'groq-key', reasoning_history: 'drop' },
        },
      },
    });
    try {
      const openai = new OpenAI({ baseURL: configured.baseURL, apiKey: 'unused', maxRetries: 0, defaultHeaders: { authorization: null as unknown as string } });
      const refused = await openai.chat.completions.create({ model: 'groq-send/m', messages: historyWithReasoning() }).catch((caught: unknown) => caught);
      expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
      expect((refused as Error).message).toContain("property 'reasoning_content' is unsupported");

      await openai.chat.completions.create({ model: 'deepseek-drop/m', messages: historyWithReasoning() });
      expect(deepseek.last().body.messages[1]).not.toHaveProperty('reasoning_content');
      // `send` adds nothing: a tool-call turn without reasoning reaches DeepSeek as it is, and is refused.
      const toolTurn: OpenAI.ChatCompletionMessageParam[] = [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
      ];
      const lost = await openai.chat.completions.create({ model: 'deepseek-send/m', messages: toolTurn }).catch((caught: unknown) => caught);
      expect(lost).toBeInstanceOf(OpenAI.BadRequestError);
      expect((lost as Error).message).toContain('must be passed back');
      // The native OpenAI dialect sends it unless told (a base URL may point at any OpenAI-compatible server).
      await openai.chat.completions.create({ model: 'openai-drop/m', messages: historyWithReasoning() });
      expect(groq.last().body.messages[1]).not.toHaveProperty('reasoning_content');
    } finally {
      await configured.close();
    }
  });

  it('is refused in config for a dialect that maps reasoning by itself', async () => {
    await expect(startGateway({ config: { providers: { anthropic: { reasoning_history: 'drop' } } } })).rejects.toThrow(/providers\.anthropic\.reasoning_history.*only OpenAI-dialect providers take it; anthropic maps reasoning by itself/);
  });
});

describe("reasoning under Groq's name", () => {
  const fixture = 'groq/groq-reasoning';
  const recorded = (): string => fixtureJson(`${fixture}.json`).choices[0].message.reasoning;

  it('comes back as reasoning_content, whole and streamed', async () => {
    const groq = mocks.get('groq')!;
    groq.chat = { json: `${fixture}.json`, chunks: `${fixture}.chunks.txt` };
    const completion = await client().chat.completions.create({ model: 'groq/qwen/qwen3-32b', messages: [{ role: 'user', content: 'How many r in strawberry?' }] });
    const message = completion.choices[0]!.message as unknown as Record<string, unknown>;
    expect(recorded().length).toBeGreaterThan(0);
    expect(message.reasoning_content).toBe(recorded());
    expect(message).not.toHaveProperty('reasoning');

    const stream = await client().chat.completions.create({ model: 'groq/qwen/qwen3-32b', messages: [{ role: 'user', content: 'How many r in strawberry?' }], stream: true });
    let reasoning = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as Record<string, unknown> | undefined;
      expect(delta).not.toHaveProperty('reasoning');
      reasoning += (delta?.reasoning_content as string | undefined) ?? '';
    }
    expect(reasoning).toBe(fixtureChunks(`${fixture}.chunks.txt`).map((chunk) => chunk.choices?.[0]?.delta?.reasoning ?? '').join(''));
    expect(reasoning.length).toBeGreaterThan(0);
  });

  it("reaches a Messages API client as a thinking block", async () => {
    mocks.get('groq')!.chat = { json: `${fixture}.json`, chunks: `${fixture}.chunks.txt` };
    const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'unused', maxRetries: 0, defaultHeaders: { 'x-api-key': null, authorization: null } });
    const message = await anthropic.messages.create({ model: 'groq/qwen/qwen3-32b', max_tokens: 1024, messages: [{ role: 'user', content: 'How many r in strawberry?' }] });
    expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: recorded() });
    expect(message.content[1]).toMatchObject({ type: 'text', text: fixtureJson(`${fixture}.json`).choices[0].message.content });
  });
});

describe('catalog rows', () => {
  it('include at least the promised providers, each with an https or local base URL', () => {
    const ids = openaiCompatibleCatalog.map((row) => row.id);
    for (const id of ['groq', 'together', 'fireworks', 'deepseek', 'xai', 'openrouter', 'perplexity', 'cerebras', 'deepinfra', 'ollama', 'vllm', 'lmstudio']) expect(ids).toContain(id);
    for (const row of openaiCompatibleCatalog) expect(row.baseURL).toMatch(row.auth === 'none' ? /^http:\/\/localhost:\d+\/v1$/ : /^https:\/\//);
  });

  it("a parameter a provider rejects is a 400 naming it, not a silent drop", async () => {
    const error = await client()
      .chat.completions.create({ model: 'perplexity/sonar', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f' } }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('tools');
    expect((error as Error).message).toContain("perplexity does not support the parameter 'tools'");
  });

  it('perplexity never receives stream_options (it rejects it); usage still comes back', async () => {
    const mock = mocks.get('perplexity')!;
    mock.chat = { json: 'perplexity/perplexity-text.json', chunks: 'perplexity/perplexity-text.chunks.txt' };
    const stream = await client().chat.completions.create({ model: 'perplexity/sonar', messages: [{ role: 'user', content: 'x' }], stream: true, stream_options: { include_usage: true } });
    for await (const _chunk of stream) {
      // drain
    }
    expect(mock.last().body.stream_options).toBeUndefined();
  });
});
