/**
 * An Anthropic Messages request → the canonical chat request, so that every
 * provider, route, cache, guardrail and budget serves it as any other.
 *
 * Choices where the two shapes differ:
 * - `system` → a system message first; `metadata.user_id` → `user`; `stop_sequences` → `stop`.
 * - `thinking: enabled` → the `reasoning_effort` whose budget is the largest within `budget_tokens`
 *   (1024 minimal, 2048 low, 8192 medium, 16384 high, 32768 xhigh), so that every provider can take it;
 *   `adaptive` → `medium`; `disabled` → `none`.
 * - `tool_result` blocks become `tool` messages, ahead of the rest of their user turn (as OpenAI orders
 *   them); an image inside a tool result is refused, as the canonical tool message holds text only.
 *   `is_error` is not carried.
 * - An assistant turn's `thinking` and `redacted_thinking` blocks become its `thinking_blocks` (and their
 *   text its `reasoning_content`), which the Anthropic and Bedrock dialects send back unchanged.
 * - `max_tokens` → `max_completion_tokens`: like Anthropic's, it bounds the reasoning too, and OpenAI's reasoning
 *   models refuse `max_tokens` (OpenAI-compatible servers get it back as `max_tokens`, see the catalog).
 * - `top_k` and any parameter this file does not map (`service_tier`, `context_management`, ...) pass through as
 *   parameters of their own, as on the chat API: the Anthropic dialect sends them on, others refuse them or not.
 * - `cache_control` goes on the canonical part (or tool) the block becomes; a system prompt, a tool result
 *   or an assistant text with one keeps its text as parts, which is where a breakpoint can sit.
 */
import { reasoningBudgets, type CacheControl, type ChatMessage, type ContentPart, type ReasoningEffort, type ThinkingBlock, type ToolCall } from '../chat-schema.js';
import { withCacheControl } from '../cache-control.js';
import { GatewayError } from '../errors.js';
import { messagesRequestSchema, type InboundBlock, type InboundMessage, type MessagesInput, type MessagesRequest } from './request-schema.js';

/** The efforts that take a budget, largest budget first. */
const efforts = (Object.entries(reasoningBudgets) as [ReasoningEffort, number][]).sort(([, left], [, right]) => right - left);

function effortFor(thinking: MessagesRequest['thinking']): ReasoningEffort | undefined {
  if (!thinking) return undefined;
  if (thinking.type === 'disabled') return 'none';
  if (thinking.type === 'adaptive') return 'medium';
  return efforts.find(([, budget]) => budget <= thinking.budget_tokens)?.[0] ?? 'minimal';
}

function refuse(param: string, message: string): never {
  throw new GatewayError('unsupported_parameter', { param, message });
}

function userPart(block: InboundBlock, path: string): ContentPart {
  switch (block.type) {
    case 'text':
      return withCacheControl({ type: 'text', text: block.text }, block.cache_control);
    case 'image':
      return withCacheControl({ type: 'image_url', image_url: { url: block.source.type === 'url' ? block.source.url : `data:${block.source.media_type};base64,${block.source.data}` } }, block.cache_control);
    case 'document':
      if (block.source.type === 'text') return withCacheControl({ type: 'text', text: block.source.data }, block.cache_control);
      return withCacheControl({ type: 'file', file: { file_data: `data:${block.source.media_type};base64,${block.source.data}`, ...(block.title ? { filename: block.title } : {}) } }, block.cache_control);
    default:
      return refuse(path, `A user turn cannot hold a ${block.type} block.`);
  }
}

function toolMessage(block: Extract<InboundBlock, { type: 'tool_result' }>, path: string): ChatMessage {
  const content = block.content ?? '';
  const texts = typeof content === 'string' ? [content] : content.map((part, index) => (part.type === 'text' ? part.text : refuse(`${path}.content.${index}`, 'A tool result can carry text only through the gateway; an image there is not supported.')));
  if (block.cache_control) return { role: 'tool', tool_call_id: block.tool_use_id, content: [{ type: 'text', text: texts.join(''), cache_control: block.cache_control }] };
  return { role: 'tool', tool_call_id: block.tool_use_id, content: texts.join('') };
}

function userMessages(message: InboundMessage, path: string): ChatMessage[] {
  if (typeof message.content === 'string') return [{ role: 'user', content: message.content }];
  const tools: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  message.content.forEach((block, index) => {
    if (block.type === 'tool_result') tools.push(toolMessage(block, `${path}.content.${index}`));
    else parts.push(userPart(block, `${path}.content.${index}`));
  });
  return parts.length > 0 ? [...tools, { role: 'user', content: parts }] : tools;
}

function assistantMessage(message: InboundMessage, path: string): ChatMessage {
  if (typeof message.content === 'string') return { role: 'assistant', content: message.content };
  let text = '';
  let textCache: CacheControl | undefined;
  let reasoning = '';
  const calls: ToolCall[] = [];
  const thinking: ThinkingBlock[] = [];
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      text += block.text;
      textCache = block.cache_control ?? textCache;
    }
    else if (block.type === 'tool_use') calls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    else if (block.type === 'thinking') {
      reasoning += block.thinking;
      thinking.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
    } else if (block.type === 'redacted_thinking') thinking.push({ type: 'redacted_thinking', data: block.data });
    else refuse(`${path}.content.${index}`, `An assistant turn cannot hold a ${block.type} block.`);
  });
  return {
    role: 'assistant',
    content: text === '' && calls.length > 0 ? null : textCache ? [{ type: 'text', text, cache_control: textCache }] : text,
    ...(calls.length > 0 ? { tool_calls: calls } : {}),
    ...(reasoning !== '' ? { reasoning_content: reasoning } : {}),
    ...(thinking.length > 0 ? { thinking_blocks: thinking } : {}),
  };
}

/** The system prompt as one text, or as parts when a block carries a breakpoint. */
function systemMessage(system: MessagesRequest['system']): ChatMessage | undefined {
  if (typeof system === 'string') return system === '' ? undefined : { role: 'system', content: system };
  const blocks = system ?? [];
  if (blocks.some((block) => block.cache_control)) return { role: 'system', content: blocks.map((block) => withCacheControl({ type: 'text' as const, text: block.text }, block.cache_control)) };
  const text = blocks.map((block) => block.text).join('\n\n');
  return text === '' ? undefined : { role: 'system', content: text };
}

/** The keys the schema names are mapped here; any other passes through. */
const mappedKeys = new Set(Object.keys(messagesRequestSchema.shape));

function passedThrough(request: Record<string, unknown>): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) if (!mappedKeys.has(key) && value !== undefined) extra[key] = value;
  return extra;
}

/** The canonical request, to be validated by the chat schema like any other (`max_tokens` is left out when absent, as for token counting). */
export function messagesToChat(request: MessagesInput): Record<string, unknown> {
  const messages: ChatMessage[] = [];
  const system = systemMessage(request.system);
  if (system) messages.push(system);
  request.messages.forEach((message, index) => {
    const path = `messages.${index}`;
    if (message.role === 'user') messages.push(...userMessages(message, path));
    else messages.push(assistantMessage(message, path));
  });
  const choice = request.tool_choice;
  const effort = effortFor(request.thinking);
  return {
    ...passedThrough(request),
    model: request.model,
    messages,
    ...(request.max_tokens !== undefined ? { max_completion_tokens: request.max_tokens } : {}),
    ...(request.stream ? { stream: true } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.top_p !== undefined ? { top_p: request.top_p } : {}),
    ...(request.top_k !== undefined ? { top_k: request.top_k } : {}),
    ...(request.stop_sequences?.length ? { stop: request.stop_sequences } : {}),
    ...(request.metadata?.user_id ? { user: request.metadata.user_id } : {}),
    ...(effort ? { reasoning_effort: effort } : {}),
    ...(request.tools?.length
      ? { tools: request.tools.map((tool) => withCacheControl({ type: 'function', function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.input_schema } }, tool.cache_control)) }
      : {}),
    ...(choice ? { tool_choice: choice.type === 'auto' ? 'auto' : choice.type === 'any' ? 'required' : choice.type === 'none' ? 'none' : { type: 'function', function: { name: choice.name } } } : {}),
    ...(choice && choice.type !== 'none' && choice.disable_parallel_tool_use ? { parallel_tool_calls: false } : {}),
  };
}
