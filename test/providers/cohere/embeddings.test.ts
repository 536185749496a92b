import { describe, expect, it } from 'vitest';
import { embeddingRequestSchema, embeddingResponseSchema } from '../../../src/api/chat-schema.js';
import { cohereAdapter } from '../../../src/providers/cohere/index.js';
import { fixtureJson } from '../../mocks/mock-server.js';
import { cohereContext } from './context.js';

const context = cohereContext({ model: 'embed-v4.0' });
const embed = (input: Record<string, unknown>) => cohereAdapter.embedRequest!(embeddingRequestSchema.parse({ model: 'co/embed-v4.0', ...input }), context);

describe('cohere embeddings', () => {
  it('posts texts to /v2/embed with search_document and float vectors', () => {
    const request = embed({ input: ['sunny day at the beach', 'rainy day in the city'], encoding_format: 'float' });
    expect(request.url).toBe('https://api.cohere.com/v2/embed');
    expect(request.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer co-test' });
    expect(request.body).toEqual({ model: 'embed-v4.0', texts: ['sunny day at the beach', 'rainy day in the city'], input_type: 'search_document', embedding_types: ['float'] });
  });

  it('asks for base64 vectors, takes input_type and other extras, maps dimensions', () => {
    expect(embed({ input: 'q', encoding_format: 'base64', input_type: 'search_query', dimensions: 256, truncate: 'END', user: 'u' }).body).toEqual({
      model: 'embed-v4.0',
      texts: ['q'],
      input_type: 'search_query',
      embedding_types: ['base64'],
      output_dimension: 256,
      truncate: 'END',
    });
  });

  it('rejects token arrays', () => {
    expect(() => embed({ input: [1, 2, 3] })).toThrow(expect.objectContaining({ code: 'unsupported_parameter', param: 'input' }));
  });

  it('maps the recorded float response with billed input tokens', () => {
    const result = cohereAdapter.embedResponse!(fixtureJson('cohere/cohere-embedding.json'), context);
    embeddingResponseSchema.parse(result);
    expect(result).toEqual({
      object: 'list',
      model: 'embed-v4.0',
      data: [
        { object: 'embedding', index: 0, embedding: [0.03302002, 0.020904541, -0.019744873, -0.0625, 0.04437256] },
        { object: 'embedding', index: 1, embedding: [-0.04660034, 0.00037765503, -0.061157227, -0.08239746, -0.010360718] },
      ],
      usage: { prompt_tokens: 10, total_tokens: 10 },
    });
  });

  it('passes base64 vectors through', () => {
    const body = { id: 'e', embeddings: { base64: ['AACAPw=='] }, meta: { billed_units: { input_tokens: 1 } }, response_type: 'embeddings_by_type' };
    expect(cohereAdapter.embedResponse!(body, context).data).toEqual([{ object: 'embedding', index: 0, embedding: 'AACAPw==' }]);
  });

  it('rejects a body without vectors', () => {
    expect(() => cohereAdapter.embedResponse!({ id: 'e', embeddings: {} }, context)).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
  });
});
