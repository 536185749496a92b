/**
 * OpenAI embeddings ↔ Mistral `POST /embeddings`, which has OpenAI's shape with Mistral's names:
 * `input` (text only, no token arrays), `encoding_format` (`float` | `base64`, as OpenAI's),
 * `dimensions` → `output_dimension`. `user` has no Mistral counterpart and is not sent (Mistral
 * rejects unknown fields); other parameters outside the OpenAI contract pass through (`output_dtype`, ...).
 */
import type { EmbeddingRequest, EmbeddingResponse } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, UpstreamRequest } from '../contract.js';
import { embeddingResponseSchema } from './api-schema.js';
import { mistralHeaders, mistralURL } from './upstream-request.js';

const openaiEmbeddingKeys = new Set(['model', 'input', 'encoding_format', 'dimensions', 'user']);

export function embedRequest(request: EmbeddingRequest, context: CallContext): UpstreamRequest {
  const provider = context.settings.name;
  const { input } = request;
  if (typeof input !== 'string' && !input.every((item) => typeof item === 'string')) {
    throw new GatewayError('unsupported_parameter', { provider, param: 'input', message: 'Mistral embeddings take text, not token arrays.' });
  }
  const body: Record<string, unknown> = { model: context.model, input };
  if (request.encoding_format !== undefined) body.encoding_format = request.encoding_format;
  if (request.dimensions !== undefined) body.output_dimension = request.dimensions;
  for (const [key, value] of Object.entries(request)) {
    if (!openaiEmbeddingKeys.has(key)) body[key] = value;
  }
  return { method: 'POST', url: mistralURL(context.settings.baseURL, '/embeddings'), headers: mistralHeaders({ ...context, stream: false }), body };
}

export function embedResponse(body: unknown, context: CallContext): EmbeddingResponse {
  const parsed = embeddingResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError('upstream_bad_response', { provider: context.settings.name, message: 'Mistral sent an embeddings response the gateway could not read.', cause: parsed.error });
  }
  const { data, usage, model } = parsed.data;
  const prompt = usage?.prompt_tokens ?? 0;
  return {
    object: 'list',
    model: model ?? context.model,
    data: data.map((item, position) => ({ object: 'embedding', index: item.index ?? position, embedding: item.embedding })),
    usage: { prompt_tokens: prompt, total_tokens: usage?.total_tokens ?? prompt },
  };
}
