/**
 * Embeddings through InvokeModel (`POST /model/{modelId}/invoke`).
 * - amazon.titan-embed-*: one text per call (`{inputText}` → `{embedding, inputTextTokenCount}`),
 *   so a list of more than one input is refused.
 * - cohere.embed-*: a list of texts per call (`{texts, input_type}` → `{embeddings}`); Bedrock
 *   reports no token count in that body, so usage is 0.
 */
import type { EmbeddingRequest, EmbeddingResponse } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, UpstreamRequest } from '../contract.js';
import { cohereEmbeddingResponseSchema, titanEmbeddingResponseSchema } from './api-schema.js';
import { bedrockHeaders } from './convert-request.js';
import { modelURL } from './model-url.js';

type EmbeddingFamily = 'titan' | 'cohere';

function family(model: string, provider: string): EmbeddingFamily {
  if (model.includes('amazon.titan-embed')) return 'titan';
  if (model.includes('cohere.embed')) return 'cohere';
  throw new GatewayError('unsupported_parameter', {
    message: `The gateway maps Bedrock embeddings for amazon.titan-embed-* and cohere.embed-* models, not ${model}.`,
    param: 'model',
    provider,
  });
}

function textInputs(input: EmbeddingRequest['input'], provider: string): string[] {
  if (typeof input === 'string') return [input];
  if (input.every((item): item is string => typeof item === 'string')) return input;
  throw new GatewayError('unsupported_parameter', { message: 'Bedrock embeddings take text, not token arrays.', param: 'input', provider });
}

function titanBody(request: EmbeddingRequest, texts: string[], provider: string): Record<string, unknown> {
  if (texts.length !== 1) {
    throw new GatewayError('unsupported_parameter', { message: 'Titan embeddings take one input per request; send a single string.', param: 'input', provider });
  }
  return { inputText: texts[0], ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }) };
}

function cohereBody(request: EmbeddingRequest, texts: string[], provider: string): Record<string, unknown> {
  if (request.dimensions !== undefined) {
    throw new GatewayError('unsupported_parameter', { message: 'Cohere embeddings on Bedrock have a fixed size; dimensions is not supported.', param: 'dimensions', provider });
  }
  const inputType = (request as Record<string, unknown>).input_type;
  return { texts, input_type: typeof inputType === 'string' ? inputType : 'search_document' };
}

export function bedrockEmbedRequest(request: EmbeddingRequest, context: CallContext): UpstreamRequest {
  const provider = context.settings.name;
  const texts = textInputs(request.input, provider);
  const body = family(context.model, provider) === 'titan' ? titanBody(request, texts, provider) : cohereBody(request, texts, provider);
  return { method: 'POST', url: modelURL(context.settings, context.model, 'invoke'), headers: bedrockHeaders(context), body };
}

function toResponse(model: string, vectors: number[][], tokens: number): EmbeddingResponse {
  return {
    object: 'list',
    model,
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

export function bedrockEmbedResponse(body: unknown, context: CallContext): EmbeddingResponse {
  const titan = titanEmbeddingResponseSchema.safeParse(body);
  if (titan.success) return toResponse(context.model, [titan.data.embedding], titan.data.inputTextTokenCount);
  const cohere = cohereEmbeddingResponseSchema.safeParse(body);
  if (cohere.success) {
    const { embeddings } = cohere.data;
    return toResponse(context.model, Array.isArray(embeddings) ? embeddings : embeddings.float, 0);
  }
  throw new GatewayError('upstream_bad_response', { message: 'Bedrock sent an embeddings body the gateway could not read.', provider: context.settings.name });
}
