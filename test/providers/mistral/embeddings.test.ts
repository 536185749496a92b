import { describe, expect, it } from 'vitest';
import { embeddingRequestSchema, embeddingResponseSchema } from '../../../src/api/chat-schema.js';
import { mistralAdapter } from '../../../src/providers/mistral/index.js';
import { mistralContext } from './context.js';

const context = mistralContext({ model: 'mistral-embed' });
const embed = (input: Record<string, unknown>) => mistralAdapter.embedRequest!(embeddingRequestSchema.parse({ model: 'mis/mistral-embed', ...input }), context);

/** Mistral's embeddings body, shaped as its API reference documents it. */
const response = {
  id: 'fe87621011b544829fe9f966488f3d84',
  object: 'list',
  data: [
    { object: 'embedding', embedding: [-0.0389404296875, 0.048065185546875], index: 0 },
    { object: 'embedding', embedding: [-0.0535888671875, 0.019500732421875], index: 1 },
  ],
  model: 'mistral-embed',
  usage: { prompt_tokens: 16, total_tokens: 16, completion_tokens: 0, request_count: null },
};

describe('mistral embeddings', () => {
  it('posts input to {base}/embeddings, with dimensions as output_dimension and without user', () => {
    const request = embed({ input: ['a', 'b'], encoding_format: 'base64', dimensions: 256, user: 'u', output_dtype: 'int8' });
    expect(request.url).toBe('https://api.mistral.ai/v1/embeddings');
    expect(request.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer mis-test' });
    expect(request.body).toEqual({ model: 'mistral-embed', input: ['a', 'b'], encoding_format: 'base64', output_dimension: 256, output_dtype: 'int8' });
    expect(embed({ input: 'a' }).body).toEqual({ model: 'mistral-embed', input: 'a' });
  });

  it('rejects token arrays', () => {
    expect(() => embed({ input: [[1, 2]] })).toThrow(expect.objectContaining({ code: 'unsupported_parameter', param: 'input' }));
  });

  it('maps the response to OpenAI\'s list', () => {
    const result = mistralAdapter.embedResponse!(response, context);
    embeddingResponseSchema.parse(result);
    expect(result).toEqual({
      object: 'list',
      model: 'mistral-embed',
      data: [
        { object: 'embedding', index: 0, embedding: [-0.0389404296875, 0.048065185546875] },
        { object: 'embedding', index: 1, embedding: [-0.0535888671875, 0.019500732421875] },
      ],
      usage: { prompt_tokens: 16, total_tokens: 16 },
    });
    expect(() => mistralAdapter.embedResponse!({ object: 'list' }, context)).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
  });
});
