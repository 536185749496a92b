import { describe, expect, it } from 'vitest';
import { chatCompletionSchema } from '../../../src/api/chat-schema.js';
import { GatewayError } from '../../../src/api/errors.js';
import { anthropicAdapter } from '../../../src/providers/anthropic/index.js';
import { fixtureJson } from '../../mocks/mock-server.js';
import { anthropicContext } from './context.js';

const context = anthropicContext();
const convert = (body: unknown) => {
  const completion = anthropicAdapter.chatResponse(body, context);
  chatCompletionSchema.parse(completion);
  return completion;
};

describe('anthropic response mapping', () => {
  it('maps a text message', () => {
    const completion = convert(fixtureJson('anthropic/anthropic-text.json'));
    expect(completion).toEqual({
      id: 'msg_01VdEjxAP5ahtHKrrRdNBteQ',
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'claude-sonnet-4-5-20250929',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?" },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 29, total_tokens: 41, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } },
    });
  });

  it('maps text plus a tool call without arguments', () => {
    const completion = convert(fixtureJson('anthropic/anthropic-tool-no-args.json'));
    const [choice] = completion.choices;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toMatch(/^<thinking>\nThe updateIssueList tool/);
    expect(choice.message.tool_calls).toEqual([{ id: 'toolu_01LRmxn9vGM1d2DZSDBowdZ1', type: 'function', function: { name: 'updateIssueList', arguments: '{}' } }]);
  });

  it('maps a tool call with nested input to JSON arguments and content null', () => {
    const body = fixtureJson('anthropic/anthropic-json-tool.1.json');
    const [choice] = convert(body).choices;
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toHaveLength(1);
    expect(JSON.parse(choice.message.tool_calls![0].function.arguments)).toEqual(body.content[0].input);
    expect(choice.message.tool_calls![0]).toMatchObject({ id: 'toolu_01Q9ExVZnzZj7E2QQYHYtNUa', function: { name: 'json' } });
  });

  it('maps native structured output as text content', () => {
    const [choice] = convert(fixtureJson('anthropic/anthropic-json-output-format.1.json')).choices;
    expect(JSON.parse(choice.message.content!).recipe.name).toBe('Classic Lasagna');
    expect(choice.finish_reason).toBe('stop');
  });

  it('maps thinking to reasoning_content and thinking_tokens to reasoning_tokens', () => {
    const body = fixtureJson('anthropic/anthropic-claude-opus-5-reasoning-high.1.json');
    const completion = convert(body);
    expect(completion.choices[0].message.reasoning_content).toBe(body.content[0].thinking);
    expect(completion.choices[0].message.content).toBe(body.content[1].text);
    expect(completion.usage).toEqual({
      prompt_tokens: 51,
      completion_tokens: 1699,
      total_tokens: 1750,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 139 },
    });
  });

  it('keeps thinking and redacted_thinking blocks whole, with their signatures, in thinking_blocks', () => {
    const body = fixtureJson('anthropic/anthropic-clear-thinking.1.json');
    const [thinking, text] = body.content;
    expect(convert(body).choices[0].message).toEqual({
      role: 'assistant',
      content: text.text,
      reasoning_content: thinking.thinking,
      thinking_blocks: [{ type: 'thinking', thinking: thinking.thinking, signature: thinking.signature }],
    });
    body.content = [{ type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT' }, thinking, text];
    expect(convert(body).choices[0].message.thinking_blocks).toEqual([
      { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT' },
      { type: 'thinking', thinking: thinking.thinking, signature: thinking.signature },
    ]);
    expect(chatCompletionSchema.safeParse(convert(body)).success).toBe(true);
  });

  it('counts cache reads and writes into prompt_tokens', () => {
    const body = fixtureJson('anthropic/anthropic-text.json');
    body.usage = { ...body.usage, input_tokens: 6, cache_read_input_tokens: 6289, cache_creation_input_tokens: 3337 };
    expect(convert(body).usage).toEqual({
      prompt_tokens: 6 + 6289 + 3337,
      completion_tokens: 29,
      total_tokens: 6 + 6289 + 3337 + 29,
      prompt_tokens_details: { cached_tokens: 6289, cache_write_tokens: 3337 },
    });
  });

  it('maps a refusal to content_filter with its explanation', () => {
    const [choice] = convert(fixtureJson('anthropic/anthropic-refusal.json')).choices;
    expect(choice).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: "This request triggered restrictions on violative cyber content and was blocked under Anthropic's Usage Policy.",
      },
      finish_reason: 'content_filter',
      logprobs: null,
    });
    const [bare] = convert(fixtureJson('anthropic/anthropic-refusal-no-details.json')).choices;
    expect(bare.message).toEqual({ role: 'assistant', content: null });
    expect(bare.finish_reason).toBe('content_filter');
  });

  it.each([
    ['anthropic-web-search-tool.1.json'],
    ['anthropic-mcp.1.json'],
    ['anthropic-code-execution-20250825.1.json'],
    ['anthropic-web-fetch-tool-20260209.1.json'],
    ['anthropic-advisor-20260301.1.json'],
    ['anthropic-compaction.1.json'],
    ['anthropic-fallback.json'],
  ])('keeps the text of %s and skips its server-tool blocks', (name) => {
    const body = fixtureJson(`anthropic/${name}`);
    const text = body.content.filter((block: { type: string }) => block.type === 'text').map((block: { text: string }) => block.text).join('');
    const [choice] = convert(body).choices;
    expect(choice.message.content).toBe(text);
    expect(choice.message.tool_calls).toBeUndefined();
    expect(choice.finish_reason).toBe('stop');
  });

  it('maps client tool_use blocks beside server-tool blocks (tool search)', () => {
    const body = fixtureJson('anthropic/anthropic-tool-search-regex.1.json');
    const toolUse = body.content.find((block: { type: string }) => block.type === 'tool_use');
    const [choice] = convert(body).choices;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.tool_calls).toEqual([{ id: toolUse.id, type: 'function', function: { name: toolUse.name, arguments: JSON.stringify(toolUse.input) } }]);
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['a_future_reason', 'stop'],
  ])('stop_reason %s → %s', (stopReason, finishReason) => {
    const body = { ...fixtureJson('anthropic/anthropic-text.json'), stop_reason: stopReason };
    expect(convert(body).choices[0].finish_reason).toBe(finishReason);
  });

  it('rejects a body that is not a message', () => {
    expect(() => anthropicAdapter.chatResponse({ hello: 'world' }, context)).toThrow(GatewayError);
    try {
      anthropicAdapter.chatResponse({ hello: 'world' }, context);
    } catch (error) {
      expect((error as GatewayError).code).toBe('upstream_bad_response');
    }
  });
});

describe('anthropic error parsing', () => {
  it('reads the message, type and code of an error body', () => {
    const body = { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' };
    expect(anthropicAdapter.parseError!(429, body)).toEqual({ message: body.error.message, type: 'rate_limit_error', code: 'rate_limit_error' });
  });

  it('prefers details.error_code as the code', () => {
    const body = { type: 'error', error: { type: 'rate_limit_error', message: 'Spend limit reached.', details: { error_code: 'enforced_spend_limit_reached' } } };
    expect(anthropicAdapter.parseError!(429, body)).toEqual({ message: 'Spend limit reached.', type: 'rate_limit_error', code: 'enforced_spend_limit_reached' });
  });

  it('falls back to a text body or the status', () => {
    expect(anthropicAdapter.parseError!(502, '<html>Bad gateway</html>')).toEqual({ message: '<html>Bad gateway</html>' });
    expect(anthropicAdapter.parseError!(503, undefined)).toEqual({ message: 'Anthropic returned HTTP 503.' });
  });
});
