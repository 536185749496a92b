import type { ChatRequest, EmbeddingRequest } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, UpstreamRequest } from '../contract.js';

function joinURL(baseURL: string, path: string): string {
  return baseURL.replace(/\/+$/, '') + path;
}

export function openaiHeaders(context: CallContext): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...context.settings.headers };
  if (context.settings.apiKey) headers.authorization = `Bearer ${context.settings.apiKey}`;
  return headers;
}

/**
 * Assistant messages without `thinking_blocks`: the gateway's own field for Anthropic's and Bedrock's signed
 * reasoning, which a history may carry when an earlier turn was served by one of them (a fallback, a switch of model).
 */
function withoutThinkingBlocks(messages: ChatRequest['messages']): ChatRequest['messages'] {
  if (!messages.some((message) => message.role === 'assistant' && message.thinking_blocks !== undefined)) return messages;
  return messages.map((message) => {
    if (message.role !== 'assistant' || message.thinking_blocks === undefined) return message;
    const { thinking_blocks: _dropped, ...rest } = message;
    return rest;
  });
}

/** The client's body with the provider's model; usage is always requested on streams so the gateway can account for it. */
export function toOpenAIBody(request: ChatRequest, context: CallContext): Record<string, unknown> {
  const unsupported = context.settings.options.unsupportedParams ?? [];
  const body: Record<string, unknown> = { ...request, model: context.model, messages: withoutThinkingBlocks(request.messages) };
  for (const key of unsupported) {
    if (body[key] == null) continue;
    if (key === 'stream_options') {
      delete body[key];
      continue;
    }
    throw new GatewayError('unsupported_parameter', { message: `${context.settings.name} does not support the parameter '${key}'.`, param: key, provider: context.settings.name });
  }
  if (context.stream && !unsupported.includes('stream_options')) {
    body.stream_options = { ...(request.stream_options ?? {}), include_usage: true };
  }
  return body;
}

export function openaiChatRequest(request: ChatRequest, context: CallContext): UpstreamRequest {
  return { method: 'POST', url: joinURL(context.settings.baseURL, '/chat/completions'), headers: openaiHeaders(context), body: toOpenAIBody(request, context) };
}

export function openaiEmbedRequest(request: EmbeddingRequest, context: CallContext): UpstreamRequest {
  return { method: 'POST', url: joinURL(context.settings.baseURL, '/embeddings'), headers: openaiHeaders(context), body: { ...request, model: context.model } };
}
