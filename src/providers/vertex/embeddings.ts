/**
 * OpenAI embeddings → Vertex AI `:predict`
 * (`instances: [{ content }]`, `parameters: { outputDimensionality }`) and back
 * from `predictions[].embeddings.values`; usage sums `statistics.token_count`.
 * Unknown parameters `task_type` and `title` go on each instance, any other
 * (e.g. `autoTruncate`) into `parameters`.
 */
import { z } from 'zod';
import type { EmbeddingRequest, EmbeddingResponse } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, UpstreamRequest } from '../contract.js';
import { embeddingExtras, embeddingTexts } from '../gemini/embeddings.js';
import { vertexHeaders } from './headers.js';
import { vertexModelURL } from './model-url.js';

const instanceKeys = new Set(['task_type', 'title']);

const predictResponseSchema = z.looseObject({
  predictions: z.array(
    z.looseObject({
      embeddings: z.looseObject({
        values: z.array(z.number()),
        statistics: z.looseObject({ token_count: z.number().nullish() }).nullish(),
      }),
    }),
  ),
});

export function vertexEmbedRequest(request: EmbeddingRequest, context: CallContext): UpstreamRequest {
  const extras = embeddingExtras(request);
  const instanceExtras = Object.fromEntries(Object.entries(extras).filter(([key]) => instanceKeys.has(key)));
  const parameters: Record<string, unknown> = Object.fromEntries(Object.entries(extras).filter(([key]) => !instanceKeys.has(key)));
  if (request.dimensions != null) parameters.outputDimensionality = request.dimensions;
  const body: Record<string, unknown> = { instances: embeddingTexts(request, context).map((content) => ({ content, ...instanceExtras })) };
  if (Object.keys(parameters).length > 0) body.parameters = parameters;
  return { method: 'POST', url: vertexModelURL(context, ':predict'), headers: vertexHeaders(context), body };
}

export function vertexEmbedResponse(body: unknown, context: CallContext): EmbeddingResponse {
  const parsed = predictResponseSchema.safeParse(body);
  if (!parsed.success) throw new GatewayError('upstream_bad_response', { message: 'The provider sent a predict response without embeddings.', provider: context.settings.name });
  const tokens = parsed.data.predictions.reduce((sum, prediction) => sum + (prediction.embeddings.statistics?.token_count ?? 0), 0);
  return {
    object: 'list',
    model: context.model,
    data: parsed.data.predictions.map((prediction, index) => ({ object: 'embedding', index, embedding: prediction.embeddings.values })),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
