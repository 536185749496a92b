/** POST /v1/embeddings. */
import { embeddingRequestSchema } from '../api/chat-schema.js';
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
  sendJson(context.response, 200, result, { 'x-switchyard-provider': target.settings.name, 'x-switchyard-model': target.model });
}
