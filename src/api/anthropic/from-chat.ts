/**
 * The canonical answer → Anthropic's Messages shapes: the message, its usage
 * and stop reason, and the error body.
 *
 * - Content order: thinking blocks, text, tool uses. Signed blocks come from `thinking_blocks`;
 *   reasoning a provider gave without a signature (Gemini, DeepSeek...) is a thinking block whose
 *   `signature` is empty, which the gateway never sends back to a provider.
 * - Usage: Anthropic's `input_tokens` leaves out cache reads and writes, which the canonical
 *   `prompt_tokens` includes; they go to `cache_read_input_tokens` and `cache_creation_input_tokens`.
 * - An error keeps Anthropic's body (`type: "error"`, `error.type`, `error.message`) with the gateway's
 *   `code` and `param` beside them, so either kind of client reads it.
 */
import type { ChatCompletion, FinishReason, ThinkingBlock, ToolCall, Usage } from '../chat-schema.js';
import type { GatewayError } from '../errors.js';

export type OutboundBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

export function toAnthropicUsage(usage: Usage | undefined): AnthropicUsage {
  const details = usage?.prompt_tokens_details as { cached_tokens?: number; cache_write_tokens?: number } | undefined;
  const cached = details?.cached_tokens ?? 0;
  const written = details?.cache_write_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached - written),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_read_input_tokens: cached,
    cache_creation_input_tokens: written,
  };
}

/**
 * Anthropic's `stop_reason` and `stop_sequence` for a choice's finish: `stop_sequence` where the choice names the
 * stop string that ended it (`stop_reason` on the choice: Anthropic's own, or vLLM's; a token id is not one).
 */
export function toStop(reason: FinishReason | null | undefined, sequence: string | number | null | undefined): { stop_reason: string; stop_sequence: string | null } {
  if (reason === 'stop' && typeof sequence === 'string') return { stop_reason: 'stop_sequence', stop_sequence: sequence };
  return { stop_reason: toStopReason(reason), stop_sequence: null };
}

export function toStopReason(reason: FinishReason | null | undefined): string {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

/** A tool call's arguments as Anthropic's `input` object (`{}` when they are empty or not JSON). */
export function toolInput(call: ToolCall): unknown {
  try {
    return call.function.arguments.trim() === '' ? {} : (JSON.parse(call.function.arguments) as unknown);
  } catch {
    return {};
  }
}

export function thinkingBlocksOf(reasoning: string | undefined, signed: readonly ThinkingBlock[] | undefined): OutboundBlock[] {
  if (signed && signed.length > 0) return [...signed];
  return reasoning ? [{ type: 'thinking', thinking: reasoning, signature: '' }] : [];
}

export function toAnthropicMessage(completion: ChatCompletion): Record<string, unknown> {
  const choice = completion.choices[0];
  const message = choice?.message;
  const content: OutboundBlock[] = thinkingBlocksOf(message?.reasoning_content, message?.thinking_blocks);
  const text = message?.content ?? message?.refusal ?? '';
  if (text !== '') content.push({ type: 'text', text });
  for (const call of message?.tool_calls ?? []) content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: toolInput(call) });
  return {
    id: completion.id,
    type: 'message',
    role: 'assistant',
    model: completion.model,
    content,
    ...toStop(choice?.finish_reason, choice?.stop_reason),
    usage: toAnthropicUsage(completion.usage),
  };
}

function errorType(status: number): string {
  if (status === 400 || status === 422) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'billing_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 504) return 'timeout_error';
  if (status === 529 || status === 503) return 'overloaded_error';
  return 'api_error';
}

export function toAnthropicErrorBody(error: GatewayError, requestId: string): Record<string, unknown> {
  const message = error.provider ? `${error.provider}: ${error.message}` : error.message;
  return {
    type: 'error',
    error: { type: errorType(error.status), message, code: error.upstreamCode ?? error.code, ...(error.param ? { param: error.param } : {}) },
    request_id: requestId,
  };
}
