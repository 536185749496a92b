import { describe, expect, it } from 'vitest';
import { embeddingRequestSchema } from '../../../src/api/chat-schema.js';
import { geminiAdapter } from '../../../src/providers/gemini/index.js';
import { geminiContext } from './context.js';

const context = geminiContext({ model: 'gemini-embedding-001' });

describe('gemini embeddings mapping', () => {
  it('sends one batchEmbedContents request per input, with dimensions and extra parameters', () => {
    const request = embeddingRequestSchema.parse({ model: 'gemini/gemini-embedding-001', input: ['a', 'b'], dimensions: 256, taskType: 'RETRIEVAL_QUERY', encoding_format: 'float' });
    expect(geminiAdapter.embedRequest!(request, context)).toEqual({
      method: 'POST',
      url: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'g-key' },
      body: {
        requests: [
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] }, taskType: 'RETRIEVAL_QUERY', outputDimensionality: 256 },
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] }, taskType: 'RETRIEVAL_QUERY', outputDimensionality: 256 },
        ],
      },
    });
  });

  it('maps embeddings back in order; usage is 0 when Google reports none', () => {
    expect(geminiAdapter.embedResponse!({ embeddings: [{ values: [0.1, 0.2] }, { values: [0.3, 0.4] }] }, context)).toEqual({
      object: 'list',
      model: 'gemini-embedding-001',
      data: [
        { object: 'embedding', index: 0, embedding: [0.1, 0.2] },
        { object: 'embedding', index: 1, embedding: [0.3, 0.4] },
      ],
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  });

  it('refuses token-id input', () => {
    const request = embeddingRequestSchema.parse({ model: 'm', input: [1, 2, 3] });
    expect(() => geminiAdapter.embedRequest!(request, context)).toThrow(expect.objectContaining({ code: 'unsupported_parameter', param: 'input' }));
  });
});
