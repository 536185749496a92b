/**
 * Extended thinking with tools, through the OpenAI SDK: an answer hands out its thinking
 * blocks (signatures included) in `thinking_blocks`, and a client that appends the answer's
 * message to its history, as tool loops do, sends them back. The mock refuses the next
 * turn the way Anthropic does when the final assistant message lost its thinking block.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGuardrails, guardrailsConfigSchema } from '../../../src/guardrails/index.js';
import type { Exchange } from '../../../src/server/pipeline.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { ANTHROPIC_MOCK_KEY, startAnthropicMock, type AnthropicMock } from '../../mocks/anthropic-mock.js';
import { fixtureJson } from '../../mocks/mock-server.js';
import { recorderStage, silentLogger } from '../../guardrails/helpers.js';

let mock: AnthropicMock;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startAnthropicMock();
  gateway = await startGateway({ config: { providers: { claude: { type: 'anthropic', api_key: ANTHROPIC_MOCK_KEY, base_url: mock.url } } } });
  client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
});
beforeEach(() => mock.clearReplies());
afterAll(async () => {
  await gateway.close();
  await mock.close();
});

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type ThinkingBlock = { type: 'thinking'; thinking: string; signature: string } | { type: 'redacted_thinking'; data: string };
type WithThinking = { reasoning_content?: string; thinking_blocks?: ThinkingBlock[] };

const weatherTool = {
  type: 'function' as const,
  function: { name: 'json', description: 'Weather report', parameters: { type: 'object', properties: { elements: { type: 'array' } } } },
};

/**
 * A thinking-then-tool_use answer. No single recording holds both, so it is made of two recorded
 * answers' blocks: the thinking block (with its signature) of one and the tool_use block of another.
 */
function thinkingToolAnswer() {
  const thinking = fixtureJson('anthropic/anthropic-clear-thinking.1.json');
  const tool = fixtureJson('anthropic/anthropic-json-tool.1.json');
  return { ...tool, content: [thinking.content[0], ...tool.content] };
}

describe('thinking blocks round-trip through the OpenAI SDK', () => {
  it('a tool loop with thinking on: the next turn carries the thinking block first, signature unchanged', async () => {
    const answer = thinkingToolAnswer();
    const [thinking, toolUse] = answer.content;
    mock.reply({ message: answer });
    const messages: Message[] = [{ role: 'user', content: 'Weather in San Francisco?' }];
    const settings = { model: 'claude/claude-sonnet-4-5', tools: [weatherTool], reasoning_effort: 'low' as const, max_completion_tokens: 3000 };
    const first = await client.chat.completions.create({ ...settings, messages });
    const message = first.choices[0]!.message as typeof first.choices[0]['message'] & WithThinking;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(message.thinking_blocks).toEqual([{ type: 'thinking', thinking: thinking.thinking, signature: thinking.signature }]);

    messages.push(message as Message, { role: 'tool', tool_call_id: toolUse.id, content: 'Sunny, 58°F' });
    mock.reply({ fixture: 'anthropic-clear-thinking.1' });
    const second = await client.chat.completions.create({ ...settings, messages });
    expect(second.choices[0]!.message.content).toBe(fixtureJson('anthropic/anthropic-clear-thinking.1.json').content[1].text);
    expect(mock.last().body.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: thinking.thinking, signature: thinking.signature },
        { type: 'tool_use', id: toolUse.id, name: toolUse.name, input: toolUse.input },
      ],
    });
  });

  it('without the thinking block the same turn is refused as Anthropic refuses it', async () => {
    const answer = thinkingToolAnswer();
    const toolUse = answer.content[1];
    const calls = [{ id: toolUse.id, type: 'function' as const, function: { name: toolUse.name, arguments: JSON.stringify(toolUse.input) } }];
    const error = await client.chat.completions
      .create({
        model: 'claude/claude-sonnet-4-5',
        reasoning_effort: 'low',
        max_completion_tokens: 3000,
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'Weather in San Francisco?' },
          { role: 'assistant', content: null, tool_calls: calls },
          { role: 'tool', tool_call_id: toolUse.id, content: 'Sunny, 58°F' },
        ],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(/must start with a thinking block/);
  });

  it('a streamed answer ends each thinking block with a delta holding it whole; sent back, it reaches Anthropic unchanged', async () => {
    mock.reply({ fixture: 'anthropic-clear-thinking.1' });
    const stream = await client.chat.completions.create({
      model: 'claude/claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'Divide 925 by 5.' }],
      reasoning_effort: 'low',
      max_completion_tokens: 3000,
      stream: true,
    });
    let reasoning = '';
    let content = '';
    const blocks: ThinkingBlock[] = [];
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as (OpenAI.Chat.Completions.ChatCompletionChunk['choices'][number]['delta'] & WithThinking) | undefined;
      reasoning += delta?.reasoning_content ?? '';
      content += delta?.content ?? '';
      blocks.push(...(delta?.thinking_blocks ?? []));
    }
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ type: 'thinking', thinking: reasoning });
    expect((blocks[0] as { signature: string }).signature).toMatch(/^EvQBCkYICxgCKkAx/);

    mock.reply({ fixture: 'anthropic-text' });
    const messages = [
      { role: 'user', content: 'Divide 925 by 5.' },
      { role: 'assistant', content, thinking_blocks: blocks },
      { role: 'user', content: 'And by 37?' },
    ] as Message[];
    await client.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages, reasoning_effort: 'low', max_completion_tokens: 3000 });
    expect(mock.last().body.messages[1].content[0]).toEqual(blocks[0]);
  });

  it('an output guardrail on the stream lets the thinking block through', async () => {
    const guardrails = createGuardrails({ config: guardrailsConfigSchema.parse({ definitions: { pii: { action: 'redact', checks: [{ type: 'pii' }] } }, default_output: ['pii'] }), logger: silentLogger });
    const exchanges: Exchange[] = [];
    const guarded = await startGateway({
      config: { providers: { claude: { type: 'anthropic', api_key: ANTHROPIC_MOCK_KEY, base_url: mock.url } } },
      stages: [guardrails.stage, recorderStage(exchanges)],
    });
    try {
      mock.reply({ fixture: 'anthropic-clear-thinking.1' });
      const guardedClient = new OpenAI({ baseURL: guarded.baseURL, apiKey: 'client-key', maxRetries: 0 });
      const stream = await guardedClient.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Divide 925 by 5.' }], reasoning_effort: 'low', max_completion_tokens: 3000, stream: true });
      const blocks: ThinkingBlock[] = [];
      for await (const chunk of stream) blocks.push(...((chunk.choices[0]?.delta as WithThinking | undefined)?.thinking_blocks ?? []));
      expect(blocks.map((block) => block.type)).toEqual(['thinking']);
      // The output guardrail did run on this stream.
      expect(exchanges[0]!.guardrails).toMatchObject([{ name: 'pii:pii', stage: 'output', passed: true }]);
    } finally {
      await guarded.close();
      await guardrails.stop();
    }
  });

  it('with thinking off, a history that still holds thinking blocks is sent without them', async () => {
    const recorded = fixtureJson('anthropic/anthropic-clear-thinking.1.json');
    const messages = [
      { role: 'user', content: 'Divide 925 by 5.' },
      { role: 'assistant', content: recorded.content[1].text, thinking_blocks: [recorded.content[0]] },
    ] as Message[];
    const completion = await client.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages });
    expect(completion.choices[0]!.message.content).toBeTruthy();
    expect(mock.last().body.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: recorded.content[1].text }] });
  });

  it('a thinking block without its signature is refused with a 400 naming the field', async () => {
    const messages = [{ role: 'assistant', content: 'x', thinking_blocks: [{ type: 'thinking', thinking: 'unsigned' }] }] as unknown as Message[];
    const error = await client.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(/messages\.0\.thinking_blocks\.0\.signature/);
  });
});
