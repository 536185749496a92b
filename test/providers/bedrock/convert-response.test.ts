import { describe, expect, it } from 'vitest';
import { bedrockAdapter } from '../../../src/providers/bedrock/index.js';
import { mapStopReason } from '../../../src/providers/bedrock/finish-reason.js';
import { parseBedrockError } from '../../../src/providers/bedrock/convert-response.js';
import { fixtureJson } from '../../mocks/mock-server.js';
import { bedrockContext, thrown } from './context.js';

function respond(fixture: string) {
  const completion = bedrockAdapter.chatResponse(fixtureJson(`amazon-bedrock/${fixture}`), bedrockContext());
  expect(completion.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
  expect(completion.object).toBe('chat.completion');
  expect(completion.model).toBe('us.anthropic.claude-3-7-sonnet-20250219-v1:0');
  expect(typeof completion.created).toBe('number');
  return completion;
}

describe('bedrock response mapping (recorded fixtures)', () => {
  it('maps text, end_turn and usage with cache details', () => {
    const completion = respond('amazon-bedrock-text.json');
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: 'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** "r"s in "strawberry."' },
        finish_reason: 'stop',
        logprobs: null,
      },
    ]);
    expect(completion.usage).toEqual({ prompt_tokens: 22, completion_tokens: 57, total_tokens: 79, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } });
  });

  it('maps a tool call: toolUse input as JSON arguments, content null, finish tool_calls', () => {
    const completion = respond('amazon-bedrock-tool-call.1.json');
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: null, tool_calls: [{ id: 'tool-use-id', type: 'function', function: { name: 'bash', arguments: '{"command":"ls -l"}' } }] },
      finish_reason: 'tool_calls',
      logprobs: null,
    });
    expect(completion.usage).toEqual({ prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 });
  });

  it('keeps text beside tool calls, and maps a call without arguments to "{}"', () => {
    const completion = respond('amazon-bedrock-tool-no-args.json');
    expect(completion.choices[0].message).toEqual({
      role: 'assistant',
      content: "I'll update the issue list for you.",
      tool_calls: [{ id: 'tool-use-id', type: 'function', function: { name: 'updateIssueList', arguments: '{}' } }],
    });
    expect(JSON.parse(completion.choices[0].message.tool_calls![0].function.arguments)).toEqual({});
  });

  it('joins several text blocks and keeps several tool calls in order', () => {
    const completion = respond('amazon-bedrock-json-with-tools.1.json');
    expect(completion.choices[0].message).toEqual({
      role: 'assistant',
      content: 'Calling multiple tools.Finally the JSON response.',
      tool_calls: [
        { id: 'tool-1', type: 'function', function: { name: 'tool-a', arguments: '{"param":"a"}' } },
        { id: 'tool-2', type: 'function', function: { name: 'tool-b', arguments: '{"param":"b"}' } },
        { id: 'json-tool-id', type: 'function', function: { name: 'json', arguments: '{"final":"result"}' } },
      ],
    });
  });

  it('maps reasoningContent to reasoning_content, and keeps it whole with its signature in thinking_blocks', () => {
    const completion = respond('amazon-bedrock-reasoning.json');
    const { signature } = fixtureJson('amazon-bedrock/amazon-bedrock-reasoning.json').output.message.content[0].reasoningContent.reasoningText;
    const thinking = 'Let me count the r\'s in "strawberry":\n\ns-t-r-a-w-b-e-r-r-y\n\nThere are 3 r\'s.';
    expect(completion.choices[0].message).toEqual({
      role: 'assistant',
      content: 'There are **3** r\'s in "strawberry":\n\n1. st**r**awbe**r****r**y',
      reasoning_content: thinking,
      thinking_blocks: [{ type: 'thinking', thinking, signature }],
    });
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.usage).toEqual({ prompt_tokens: 51, completion_tokens: 78, total_tokens: 129, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } });
  });

  it('counts cache reads and writes into prompt_tokens', () => {
    const body = { ...fixtureJson('amazon-bedrock/amazon-bedrock-text.json'), usage: { inputTokens: 10, outputTokens: 5, totalTokens: 1515, cacheReadInputTokens: 1200, cacheWriteInputTokens: 300 } };
    const completion = bedrockAdapter.chatResponse(body, bedrockContext());
    expect(completion.usage).toEqual({ prompt_tokens: 1510, completion_tokens: 5, total_tokens: 1515, prompt_tokens_details: { cached_tokens: 1200, cache_write_tokens: 300 } });
  });

  it('rejects a body that is not a Converse response', () => {
    const error = thrown(() => bedrockAdapter.chatResponse({ message: 'nope' }, bedrockContext()));
    expect([error.code, error.status, error.provider]).toEqual(['upstream_bad_response', 502, 'aws']);
  });
});

describe('bedrock stop reasons', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
    ['malformed_model_output', 'stop'],
    ['malformed_tool_use', 'stop'],
    ['some_future_reason', 'stop'],
  ])('%s → %s', (reason, finish) => {
    expect(mapStopReason(reason)).toBe(finish);
  });
});

describe('bedrock error bodies', () => {
  it('reads message, Message and a __type code', () => {
    expect(bedrockAdapter.parseError!(429, { message: 'Too many requests, please wait before trying again.' })).toEqual({ message: 'Too many requests, please wait before trying again.', code: null });
    expect(bedrockAdapter.parseError!(400, { Message: 'Bad', __type: 'com.amazon.coral.validate#ValidationException' })).toEqual({ message: 'Bad', code: 'ValidationException' });
    expect(bedrockAdapter.parseError!(502, 'upstream gone')).toEqual({ message: 'upstream gone', code: null });
    expect(bedrockAdapter.parseError!(500, 42)).toEqual({ message: 'HTTP 500', code: null });
  });

  it('takes the code from x-amzn-errortype when the headers are passed', () => {
    const headers = { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' };
    expect(parseBedrockError(429, { message: 'Too many requests' }, headers)).toEqual({ message: 'Too many requests', code: 'ThrottlingException' });
    expect(parseBedrockError(403, 'denied', { 'x-amzn-errortype': ['AccessDeniedException'] })).toEqual({ message: 'denied', code: 'AccessDeniedException' });
  });
});
