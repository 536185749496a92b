import type { ChatRequest, EmbeddingRequest } from '../../api/chat-schema.js';
import { lastCacheControl } from '../../api/cache-control.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, ReasoningHistory, UpstreamRequest } from '../contract.js';

function joinURL(baseURL: string, path: string): string {
  return baseURL.replace(/\/+$/, '') + path;
}

export function openaiHeaders(context: CallContext): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...context.settings.headers };
  if (context.settings.apiKey) headers.authorization = `Bearer ${context.settings.apiKey}`;
  return headers;
}

function withoutCacheControl<T extends { cache_control?: unknown }>(part: T): Omit<T, 'cache_control'> {
  if (part.cache_control === undefined) return part;
  const { cache_control: _dropped, ...rest } = part;
  return rest;
}

type Message = ChatRequest['messages'][number];

/**
 * The messages without what the provider would refuse: always the gateway's own fields, `thinking_blocks`
 * (Anthropic's and Bedrock's signed reasoning, from a turn one of them served) and parts' `cache_control`
 * breakpoints (these providers cache prefixes by themselves); and `reasoning_content` where the provider's
 * `reasoningHistory` is `drop`, or an empty one added to tool-call turns where it is `require` (see `catalog.ts`).
 * The same array when there is nothing to change.
 */
function forOpenAI(messages: ChatRequest['messages'], reasoningHistory: ReasoningHistory): ChatRequest['messages'] {
  const dropReasoning = reasoningHistory === 'drop';
  const lacksRequired = (message: Message): boolean => reasoningHistory === 'require' && message.role === 'assistant' && (message.tool_calls?.length ?? 0) > 0 && typeof message.reasoning_content !== 'string';
  const needsCopy = (message: Message): boolean =>
    (message.role === 'assistant' && (message.thinking_blocks !== undefined || (dropReasoning && message.reasoning_content !== undefined))) || lacksRequired(message) || lastCacheControl(message.content) !== undefined;
  if (!messages.some(needsCopy)) return messages;
  return messages.map((message) => {
    if (!needsCopy(message)) return message;
    const copy = { ...message } as Record<string, unknown>;
    delete copy.thinking_blocks;
    if (dropReasoning) delete copy.reasoning_content;
    if (lacksRequired(message)) copy.reasoning_content = '';
    if (Array.isArray(message.content)) copy.content = (message.content as { cache_control?: unknown }[]).map(withoutCacheControl);
    return copy as Message;
  });
}

/** The client's body with the provider's model; usage is always requested on streams so the gateway can account for it. */
export function toOpenAIBody(request: ChatRequest, context: CallContext): Record<string, unknown> {
  const unsupported = context.settings.options.unsupportedParams ?? [];
  const body: Record<string, unknown> = { ...request, model: context.model, messages: forOpenAI(request.messages, context.settings.options.reasoningHistory ?? 'send') };
  if (request.tools?.some((tool) => tool.cache_control !== undefined)) body.tools = request.tools.map(withoutCacheControl);
  if (context.settings.options.maxTokensField === 'max_tokens' && request.max_completion_tokens != null && request.max_tokens == null) {
    body.max_tokens = request.max_completion_tokens;
    delete body.max_completion_tokens;
  }
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
