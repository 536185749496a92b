import { describe, expect, it } from 'vitest';
import { embeddingRequestSchema } from '../../../src/api/chat-schema.js';
import { bedrockAdapter } from '../../../src/providers/bedrock/index.js';
import { bedrockContext, thrown } from './context.js';

const titan = bedrockContext({ model: 'amazon.titan-embed-text-v2:0' });
const cohere = bedrockContext({ model: 'cohere.embed-english-v3' });

function embed(input: Record<string, unknown>, context = titan) {
  return bedrockAdapter.embedRequest!(embeddingRequestSchema.parse({ model: 'aws/x', ...input }), context);
}

describe('bedrock embeddings: Titan', () => {
  it('invokes the model with {inputText} (and dimensions when asked)', () => {
    expect(embed({ input: 'hello world', dimensions: 256 })).toEqual({
      method: 'POST',
      url: 'https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.titan-embed-text-v2%3A0/invoke',
      headers: { 'content-type': 'application/json' },
      body: { inputText: 'hello world', dimensions: 256 },
    });
    expect(embed({ input: ['just one'] }).body).toEqual({ inputText: 'just one' });
  });

  it('refuses more than one input, and token arrays', () => {
    const many = thrown(() => embed({ input: ['a', 'b'] }));
    expect([many.code, many.status, many.param]).toEqual(['unsupported_parameter', 400, 'input']);
    expect(thrown(() => embed({ input: [1, 2, 3] })).param).toBe('input');
  });

  it('maps {embedding, inputTextTokenCount}', () => {
    expect(bedrockAdapter.embedResponse!({ embedding: [0.1, -0.2], inputTextTokenCount: 3, embeddingsByType: { float: [0.1, -0.2] } }, titan)).toEqual({
      object: 'list',
      model: 'amazon.titan-embed-text-v2:0',
      data: [{ object: 'embedding', index: 0, embedding: [0.1, -0.2] }],
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
  });
});

describe('bedrock embeddings: Cohere', () => {
  it('sends all texts in one call with input_type (default search_document)', () => {
    expect(embed({ input: ['a', 'b'] }, cohere).body).toEqual({ texts: ['a', 'b'], input_type: 'search_document' });
    expect(embed({ input: 'q', input_type: 'search_query' }, cohere).body).toEqual({ texts: ['q'], input_type: 'search_query' });
    expect(thrown(() => embed({ input: 'q', dimensions: 8 }, cohere)).param).toBe('dimensions');
  });

  it('maps a list of vectors, or vectors by type', () => {
    const expected = {
      object: 'list',
      model: 'cohere.embed-english-v3',
      data: [
        { object: 'embedding', index: 0, embedding: [1, 2] },
        { object: 'embedding', index: 1, embedding: [3, 4] },
      ],
      usage: { prompt_tokens: 0, total_tokens: 0 },
    };
    expect(bedrockAdapter.embedResponse!({ embeddings: [[1, 2], [3, 4]], id: 'e1', response_type: 'embeddings_floats', texts: ['a', 'b'] }, cohere)).toEqual(expected);
    expect(bedrockAdapter.embedResponse!({ embeddings: { float: [[1, 2], [3, 4]] }, response_type: 'embeddings_by_type' }, cohere)).toEqual(expected);
  });
});

describe('bedrock embeddings: other models and bodies', () => {
  it('refuses models it has no mapping for, and unreadable bodies', () => {
    expect(thrown(() => embed({ input: 'x' }, bedrockContext({ model: 'amazon.nova-pro-v1:0' }))).param).toBe('model');
    expect(thrown(() => bedrockAdapter.embedResponse!({ vectors: [] }, titan)).code).toBe('upstream_bad_response');
  });
});
