/**
 * OpenAI embeddings → Gemini API `batchEmbedContents` (one request per input)
 * and back. `dimensions` → `outputDimensionality`; other unknown parameters
 * (e.g. `taskType`) go on each request. Google reports no token usage for
 * embeddings: usage is 0 unless a `usageMetadata` comes back.
 */
import type { EmbeddingRequest, EmbeddingResponse } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, UpstreamRequest } from '../contract.js';
import { batchEmbedResponseSchema } from './api-schema.js';
import { geminiBaseURL, geminiHeaders, geminiModelPath } from './convert-request.js';

const knownEmbeddingKeys = new Set(['model', 'input', 'encoding_format', 'dimensions', 'user']);

/** The inputs as texts; token-id inputs have no Google counterpart. */
export function embeddingTexts(request: EmbeddingRequest, context: CallContext): string[] {
  const input = request.input;
  if (typeof input === 'string') return [input];
  if (input.every((item): item is string => typeof item === 'string')) return input;
  throw new GatewayError('unsupported_parameter', { message: `${context.settings.name} embeds text only, not token ids.`, param: 'input', provider: context.settings.name });
}

export function embeddingExtras(request: EmbeddingRequest): Record<string, unknown> {
  return Object.fromEntries(Object.entries(request).filter(([key]) => !knownEmbeddingKeys.has(key)));
}

export function geminiEmbedRequest(request: EmbeddingRequest, context: CallContext): UpstreamRequest {
  const model = geminiModelPath(context.model);
  const extras = embeddingExtras(request);
  const requests = embeddingTexts(request, context).map((text) => {
    const item: Record<string, unknown> = { model, content: { parts: [{ text }] }, ...extras };
    if (request.dimensions != null) item.outputDimensionality = request.dimensions;
    return item;
  });
  return { method: 'POST', url: `${geminiBaseURL(context)}/${model}:batchEmbedContents`, headers: geminiHeaders(context), body: { requests } };
}

export function geminiEmbedResponse(body: unknown, context: CallContext): EmbeddingResponse {
  const parsed = batchEmbedResponseSchema.safeParse(body);
  if (!parsed.success) throw new GatewayError('upstream_bad_response', { message: 'The provider sent an embeddings response without embeddings.', provider: context.settings.name });
  const tokens = parsed.data.usageMetadata?.promptTokenCount ?? 0;
  return {
    object: 'list',
    model: context.model,
    data: parsed.data.embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding: embedding.values })),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
