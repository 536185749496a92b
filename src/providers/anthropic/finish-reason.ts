import type { FinishReason } from '../../api/chat-schema.js';

const stopReasons = ['end_turn', 'stop_sequence', 'pause_turn', 'max_tokens', 'model_context_window_exceeded', 'tool_use', 'refusal'] as const;
type AnthropicStopReason = (typeof stopReasons)[number];

function isKnownStopReason(reason: string): reason is AnthropicStopReason {
  return (stopReasons as readonly string[]).includes(reason);
}

/**
 * Anthropic `stop_reason` → OpenAI `finish_reason`. A turn that ended without a
 * reported reason, or with one newer than this list, counts as `stop`.
 */
export function mapFinishReason(reason: string | null | undefined): FinishReason {
  if (reason == null || !isKnownStopReason(reason)) return 'stop';
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}
