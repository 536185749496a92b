/** POST /v1/embeddings, through the stages and the request's route. */
import { embeddingRequestSchema, type EmbeddingResponse } from '../api/chat-schema.js';
import type { ResolvedTarget } from '../routing/resolve-model.js';
import { headerRecord, parseJsonBody, readBody, sendJson, validate } from './http-io.js';
import { rawJsonOf } from './raw-json.js';
import { runBefore, type Exchange } from './pipeline.js';
import { callEmbeddings } from './provider-call.js';
import { overrides, planRoute, runRouted } from './route-request.js';

export async function handleEmbeddings(exchange: Exchange): Promise<void> {
  const { state, context } = exchange;
  const body = parseJsonBody(await readBody(context.request, state.config.server.body_limit_bytes));
  exchange.embeddings = validate(embeddingRequestSchema, body);
  const initialPlan = planRoute(exchange, exchange.embeddings.model, exchange.embeddings);
  await runBefore(state.stages, exchange);
  const plan = exchange.plan ?? initialPlan;
  const embedding = exchange.embeddings;
  const inboundHeaders = headerRecord(context.request);
  const { target, result } = await runRouted<{ target: ResolvedTarget; result: EmbeddingResponse }>(exchange, plan, async (target, leaf, release) => {
    try {
      const result = await callEmbeddings(
        state.upstream,
        target.adapter,
        { ...target.params, ...embedding, ...overrides(leaf.overrideParams), model: target.model },
        { model: target.model, settings: target.settings, stream: false, inboundHeaders },
        context.abort,
        { guarded: target.guarded, timeouts: { firstByteMs: leaf.timeouts.first_byte_ms, totalMs: leaf.timeouts.total_ms }, headers: state.traceHeaders?.(exchange) },
      );
      return { target, result };
    } finally {
      release();
    }
  });
  exchange.served = { provider: target.settings.name, model: target.model };
  exchange.usage = { prompt_tokens: result.usage?.prompt_tokens ?? 0, completion_tokens: 0, total_tokens: result.usage?.total_tokens ?? result.usage?.prompt_tokens ?? 0 };
  const headers = { 'x-switchyard-provider': target.settings.name, 'x-switchyard-model': target.model };
  // Floats passed on as the provider wrote them (`raw-json.ts`): serializing a batch of vectors again is the dearest part of the answer.
  if (embedding.encoding_format === 'base64') sendJson(context.response, 200, toBase64Vectors(result), headers);
  else sendJson(context.response, 200, result, headers, rawJsonOf(result));
}

/**
 * OpenAI's SDKs ask for base64 by default: little-endian float32 bytes. Native dialects
 * answer with float arrays, which are encoded here; base64 strings pass as they are.
 */
function toBase64Vectors(response: EmbeddingResponse): EmbeddingResponse {
  return {
    ...response,
    data: response.data.map((item) => (Array.isArray(item.embedding) ? { ...item, embedding: Buffer.from(new Float32Array(item.embedding).buffer).toString('base64') } : item)),
  };
}
