import { describe, expect, it } from 'vitest';
import { geminiAdapter } from '../../../src/providers/gemini/index.js';
import { fixtureJson } from '../../mocks/mock-server.js';
import { geminiContext } from './context.js';

const context = geminiContext({ model: 'gemini-3-pro-preview' });

describe('gemini response mapping', () => {
  it('maps the recorded text response: content, finish and usage with thinking tokens', () => {
    const fixture = fixtureJson('google/google-text.json');
    expect(geminiAdapter.chatResponse(fixture, context)).toEqual({
      id: 'chatcmpl-Un6LacrVMcjUxs0PmJfWoQc',
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'gemini-3-pro-preview',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y." },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 9, completion_tokens: 272, total_tokens: 281, completion_tokens_details: { reasoning_tokens: 244 } },
    });
  });

  it('maps the recorded tool call: id carries the thought signature, finish is tool_calls, content null', () => {
    const fixture = fixtureJson('google/google-tool-call-gemini3.json');
    const completion = geminiAdapter.chatResponse(fixture, context);
    const signature = fixture.candidates[0].content.parts[0].thoughtSignature;
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: `call_0__thought__${signature}`, type: 'function', function: { name: 'weather', arguments: '{"location":"San Francisco"}' } }],
        },
        finish_reason: 'tool_calls',
        logprobs: null,
      },
    ]);
    expect(completion.usage).toEqual({ prompt_tokens: 29, completion_tokens: 1816, total_tokens: 1845, completion_tokens_details: { reasoning_tokens: 1801 } });
  });

  it('maps thought parts to reasoning_content, several candidates to choices, and cached tokens', () => {
    const body = {
      candidates: [
        {
          index: 0,
          content: { role: 'model', parts: [{ text: 'Thinking about it.', thought: true }, { text: 'Answer A' }] },
          finishReason: 'MAX_TOKENS',
        },
        { index: 1, content: { role: 'model', parts: [{ text: 'Answer B' }] }, finishReason: 'SAFETY' },
      ],
      usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 10, thoughtsTokenCount: 5, cachedContentTokenCount: 60, totalTokenCount: 115 },
      responseId: 'r1',
    };
    const completion = geminiAdapter.chatResponse(body, context);
    expect(completion.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: 'Answer A', reasoning_content: 'Thinking about it.' }, finish_reason: 'length', logprobs: null },
      { index: 1, message: { role: 'assistant', content: 'Answer B' }, finish_reason: 'content_filter', logprobs: null },
    ]);
    expect(completion.usage).toEqual({
      prompt_tokens: 100,
      completion_tokens: 15,
      total_tokens: 115,
      prompt_tokens_details: { cached_tokens: 60 },
      completion_tokens_details: { reasoning_tokens: 5 },
    });
  });

  it('maps a blocked prompt to an empty content_filter choice', () => {
    const completion = geminiAdapter.chatResponse({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 } }, context);
    expect(completion.choices).toEqual([{ index: 0, message: { role: 'assistant', content: null }, finish_reason: 'content_filter', logprobs: null }]);
    expect(completion.usage).toEqual({ prompt_tokens: 8, completion_tokens: 0, total_tokens: 8 });
  });

  it('maps logprobsResult to OpenAI logprobs', () => {
    const body = {
      candidates: [
        {
          content: { parts: [{ text: 'Hi' }] },
          finishReason: 'STOP',
          logprobsResult: { chosenCandidates: [{ token: 'Hi', logProbability: -0.1 }], topCandidates: [{ candidates: [{ token: 'Hi', logProbability: -0.1 }, { token: 'Yo', logProbability: -2 }] }] },
        },
      ],
    };
    expect(geminiAdapter.chatResponse(body, context).choices[0].logprobs).toEqual({
      content: [
        {
          token: 'Hi',
          logprob: -0.1,
          bytes: [72, 105],
          top_logprobs: [
            { token: 'Hi', logprob: -0.1, bytes: [72, 105] },
            { token: 'Yo', logprob: -2, bytes: [89, 111] },
          ],
        },
      ],
      refusal: null,
    });
  });

  it('parses Google error bodies, including the recorded 429 and array-wrapped stream errors', () => {
    expect(geminiAdapter.parseError!(429, fixtureJson('google/google-429-retry-info.json'))).toEqual({
      message: 'You exceeded your current quota, please check your plan.',
      code: 'RESOURCE_EXHAUSTED',
    });
    expect(geminiAdapter.parseError!(400, [{ error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } }])).toEqual({
      message: 'API key not valid. Please pass a valid API key.',
      code: 'INVALID_ARGUMENT',
    });
    expect(geminiAdapter.parseError!(502, 'Bad gateway')).toEqual({ message: 'Bad gateway' });
  });

  it('rejects a body that is not a GenerateContentResponse', () => {
    expect(() => geminiAdapter.chatResponse({ candidates: 'nope' }, context)).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
  });
});
