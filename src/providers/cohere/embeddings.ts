/**
 * OpenAI embeddings ↔ Cohere `POST /v2/embed`.
 *
 * - `input` (a string or a list of strings) → `texts`; token arrays cannot be sent.
 * - `input_type` is required by Cohere's v3+ models; it defaults to `search_document` and a client
 *   may pass its own (`input_type` outside the OpenAI contract, e.g. `search_query`).
 * - `encoding_format`: `float` (or unset) → `embedding_types: ['float']`; `base64` → `['base64']`, which
 *   Cohere encodes as little-endian float32 like OpenAI. The response mapping reads whichever came back.
 * - `dimensions` → `output_dimension` (embed-v4 and newer). `user` has no Cohere counterpart.
 * - Other parameters outside the OpenAI contract pass through (e.g. `truncate`, `max_tokens`).
 */
import type { EmbeddingRequest, EmbeddingResponse } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, UpstreamRequest } from '../contract.js';
import { embedResponseSchema } from './api-schema.js';
import { cohereHeaders, cohereURL } from './upstream-request.js';

const openaiEmbeddingKeys = new Set(['model', 'input', 'encoding_format', 'dimensions', 'user']);

function texts(input: EmbeddingRequest['input'], provider: string): string[] {
  if (typeof input === 'string') return [input];
  if (input.every((item): item is string => typeof item === 'string')) return input;
  throw new GatewayError('unsupported_parameter', { provider, param: 'input', message: 'Cohere embeddings take text, not token arrays.' });
}

export function embedRequest(request: EmbeddingRequest, context: CallContext): UpstreamRequest {
  const provider = context.settings.name;
  const body: Record<string, unknown> = {
    model: context.model,
    texts: texts(request.input, provider),
    input_type: 'search_document',
    embedding_types: [request.encoding_format === 'base64' ? 'base64' : 'float'],
  };
  if (request.dimensions !== undefined) body.output_dimension = request.dimensions;
  for (const [key, value] of Object.entries(request)) {
    if (!openaiEmbeddingKeys.has(key)) body[key] = value;
  }
  return { method: 'POST', url: cohereURL(context.settings.baseURL, 'embed'), headers: cohereHeaders({ ...context, stream: false }), body };
}

export function embedResponse(body: unknown, context: CallContext): EmbeddingResponse {
  const parsed = embedResponseSchema.safeParse(body);
  const vectors = parsed.success ? (parsed.data.embeddings.base64 ?? parsed.data.embeddings.float) : undefined;
  if (!parsed.success || !vectors) {
    throw new GatewayError('upstream_bad_response', { provider: context.settings.name, message: 'Cohere sent an embeddings response the gateway could not read.' });
  }
  const meta = parsed.data.meta;
  const tokens = meta?.tokens?.input_tokens ?? meta?.billed_units?.input_tokens ?? 0;
  return {
    object: 'list',
    model: context.model,
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
