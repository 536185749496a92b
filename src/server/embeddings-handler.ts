/** POST /v1/embeddings. */
import { embeddingRequestSchema, type EmbeddingResponse } from '../api/chat-schema.js';
import type { GatewayState, RequestContext } from './context.js';
import { bearerToken, headerRecord, parseJsonBody, readBody, sendJson, validate } from './http-io.js';
import { callEmbeddings } from './provider-call.js';

export async function handleEmbeddings(state: GatewayState, context: RequestContext): Promise<void> {
  const body = parseJsonBody(await readBody(context.request, state.config.server.body_limit_bytes));
  const embedding = validate(embeddingRequestSchema, body);
  const target = state.resolver.resolve(embedding.model, bearerToken(context.request));
  const result = await callEmbeddings(
    state.upstream,
    target.adapter,
    { ...target.params, ...embedding, model: target.model },
    { model: target.model, settings: target.settings, stream: false, inboundHeaders: headerRecord(context.request) },
    context.signal,
  );
  sendJson(context.response, 200, embedding.encoding_format === 'base64' ? toBase64Vectors(result) : result, { 'x-switchyard-provider': target.settings.name, 'x-switchyard-model': target.model });
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
