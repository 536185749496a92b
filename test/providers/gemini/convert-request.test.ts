import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/api/errors.js';
import { geminiAdapter } from '../../../src/providers/gemini/index.js';
import { toThinkingConfig } from '../../../src/providers/gemini/thinking-config.js';
import { chatRequest, geminiContext } from './context.js';

const weather = {
  type: 'function',
  function: {
    name: 'weather',
    description: 'Weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { const: 'C' } }, required: ['city'], additionalProperties: false },
  },
};

describe('gemini request mapping', () => {
  it('addresses generateContent with the API key header and maps system, roles and generation settings', () => {
    const upstream = geminiAdapter.chatRequest(
      chatRequest({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Answer in English.' }] },
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
          { role: 'user', content: 'Invent a holiday.' },
        ],
        temperature: 0.3,
        top_p: 0.9,
        max_completion_tokens: 100,
        stop: 'END',
        seed: 7,
        presence_penalty: 0.5,
        frequency_penalty: 0.25,
        user: 'u-1',
        metadata: { a: 'b' },
        safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      }),
      geminiContext(),
    );
    expect(upstream.method).toBe('POST');
    expect(upstream.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent');
    expect(upstream.headers).toEqual({ 'content-type': 'application/json', 'x-goog-api-key': 'g-key' });
    expect(upstream.body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello!' }] },
        { role: 'user', parts: [{ text: 'Invent a holiday.' }] },
      ],
      systemInstruction: { parts: [{ text: 'Be brief.\n\nAnswer in English.' }] },
      generationConfig: { temperature: 0.3, topP: 0.9, maxOutputTokens: 100, stopSequences: ['END'], seed: 7, presencePenalty: 0.5, frequencyPenalty: 0.25 },
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
    });
  });

  it('streams through streamGenerateContent?alt=sse and maps n to candidateCount', () => {
    const upstream = geminiAdapter.chatRequest(chatRequest({ messages: [{ role: 'user', content: 'Hi' }], n: 2, max_tokens: 5 }), geminiContext({ stream: true }));
    expect(upstream.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(upstream.body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], generationConfig: { maxOutputTokens: 5, candidateCount: 2 } });
  });

  it('maps images, audio and files to inlineData / fileData', () => {
    const upstream = geminiAdapter.chatRequest(
      chatRequest({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
              { type: 'image_url', image_url: { url: 'gs://bucket/cat.jpg' } },
              { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
              { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
            ],
          },
        ],
      }),
      geminiContext(),
    );
    expect(upstream.body).toEqual({
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'What is this?' },
            { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
            { fileData: { mimeType: 'image/jpeg', fileUri: 'gs://bucket/cat.jpg' } },
            { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
            { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
          ],
        },
      ],
    });
  });

  it('maps tools, tool_choice and a tool round trip (functionCall with its signature, functionResponse by name)', () => {
    const upstream = geminiAdapter.chatRequest(
      chatRequest({
        messages: [
          { role: 'user', content: 'Weather in Paris and Rome?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_0__thought__c2lnbmF0dXJl', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
              { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_0__thought__c2lnbmF0dXJl', content: '{"temp":21}' },
          { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
        ],
        tools: [weather],
        tool_choice: { type: 'function', function: { name: 'weather' } },
      }),
      geminiContext(),
    );
    expect(upstream.body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris and Rome?' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'weather', args: { city: 'Paris' } }, thoughtSignature: 'c2lnbmF0dXJl' },
            { functionCall: { name: 'weather', args: { city: 'Rome' } } },
          ],
        },
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'weather', response: { temp: 21 } } }, { functionResponse: { name: 'weather', response: { result: 'sunny' } } }],
        },
      ],
      tools: [
        {
          functionDeclarations: [
            {
              name: 'weather',
              description: 'Weather in a city',
              parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' }, unit: { enum: ['C'] } }, required: ['city'], additionalProperties: false },
            },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] } },
    });
  });

  it('waives a lost thought signature on Gemini 3 (first call of the turn only)', () => {
    const body = geminiAdapter.chatRequest(
      chatRequest({
        messages: [
          { role: 'user', content: 'x' },
          {
            role: 'assistant',
            tool_calls: [
              { id: 'a', type: 'function', function: { name: 'f', arguments: '' } },
              { id: 'b', type: 'function', function: { name: 'f', arguments: '{}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'a', content: '1' },
          { role: 'tool', tool_call_id: 'b', content: '2' },
        ],
      }),
      geminiContext({ model: 'gemini-3-pro-preview' }),
    ).body as { contents: unknown[] };
    expect(body.contents[1]).toEqual({
      role: 'model',
      parts: [{ functionCall: { name: 'f', args: {} }, thoughtSignature: 'skip_thought_signature_validator' }, { functionCall: { name: 'f', args: {} } }],
    });
    expect(body.contents[2]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'f', response: { result: '1' } } }, { functionResponse: { name: 'f', response: { result: '2' } } }] });
  });

  it.each([
    ['auto', { mode: 'AUTO' }],
    ['none', { mode: 'NONE' }],
    ['required', { mode: 'ANY' }],
  ])('tool_choice %s → functionCallingConfig %j', (choice, config) => {
    const body = geminiAdapter.chatRequest(chatRequest({ messages: [{ role: 'user', content: 'x' }], tools: [weather], tool_choice: choice }), geminiContext()).body as Record<string, unknown>;
    expect(body.toolConfig).toEqual({ functionCallingConfig: config });
  });

  it('rejects a tool result that answers no known call', () => {
    const run = () => geminiAdapter.chatRequest(chatRequest({ messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'nope', content: '1' }] }), geminiContext());
    expect(run).toThrow(GatewayError);
    expect(run).toThrow(/answers no earlier assistant tool call/);
  });

  it('maps response_format json_object and json_schema', () => {
    const jsonObject = geminiAdapter.chatRequest(chatRequest({ messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_object' } }), geminiContext()).body as Record<string, unknown>;
    expect(jsonObject.generationConfig).toEqual({ responseMimeType: 'application/json' });
    const schema = { type: 'object', properties: { name: { type: 'string' }, kind: { const: 'holiday' } }, required: ['name'] };
    const jsonSchema = geminiAdapter.chatRequest(
      chatRequest({ messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema', json_schema: { name: 'h', schema, strict: true } } }),
      geminiContext(),
    ).body as Record<string, unknown>;
    expect(jsonSchema.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object', properties: { name: { type: 'string' }, kind: { enum: ['holiday'] } }, required: ['name'] },
    });
  });

  it('maps reasoning_effort to a thinking budget on 2.5 and a thinking level on 3', () => {
    const body = geminiAdapter.chatRequest(chatRequest({ messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'low' }), geminiContext()).body as Record<string, unknown>;
    expect(body.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } });
    expect(toThinkingConfig('none', 'gemini-2.5-flash')).toEqual({ thinkingBudget: 0 });
    expect(toThinkingConfig('high', 'gemini-3-pro-preview')).toEqual({ thinkingLevel: 'high', includeThoughts: true });
    expect(toThinkingConfig('minimal', 'gemini-3-pro-preview')).toEqual({ thinkingLevel: 'low', includeThoughts: true });
    expect(toThinkingConfig('minimal', 'gemini-3-flash-preview')).toEqual({ thinkingLevel: 'minimal', includeThoughts: true });
    expect(toThinkingConfig('none', 'gemini-3-flash-preview')).toEqual({ thinkingLevel: 'minimal' });
    expect(toThinkingConfig(undefined, 'gemini-3-flash-preview')).toBeUndefined();
  });

  it('merges a native generationConfig passed by the client over the mapped one', () => {
    const body = geminiAdapter.chatRequest(
      chatRequest({ messages: [{ role: 'user', content: 'x' }], temperature: 1, generationConfig: { topK: 40, temperature: 0.5 } }),
      geminiContext(),
    ).body as Record<string, unknown>;
    expect(body.generationConfig).toEqual({ temperature: 0.5, topK: 40 });
  });

  it('maps logprobs and refuses logit_bias', () => {
    const body = geminiAdapter.chatRequest(chatRequest({ messages: [{ role: 'user', content: 'x' }], logprobs: true, top_logprobs: 3 }), geminiContext()).body as Record<string, unknown>;
    expect(body.generationConfig).toEqual({ responseLogprobs: true, logprobs: 3 });
    expect(() => geminiAdapter.chatRequest(chatRequest({ messages: [{ role: 'user', content: 'x' }], logit_bias: { '1': 5 } }), geminiContext())).toThrow(
      expect.objectContaining({ code: 'unsupported_parameter', param: 'logit_bias' }),
    );
  });
});
