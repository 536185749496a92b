/** Converse `stopReason` → OpenAI `finish_reason`. */
import type { FinishReason } from '../../api/chat-schema.js';

const knownStopReasons = [
  'end_turn',
  'stop_sequence',
  'max_tokens',
  'model_context_window_exceeded',
  'tool_use',
  'guardrail_intervened',
  'content_filtered',
  'malformed_model_output',
  'malformed_tool_use',
] as const;
type StopReason = (typeof knownStopReasons)[number];

function isKnown(reason: string): reason is StopReason {
  return (knownStopReasons as readonly string[]).includes(reason);
}

export function mapStopReason(reason: string): FinishReason {
  if (!isKnown(reason)) return 'stop';
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    // The model produced output Bedrock could not parse: the turn ended, with no better OpenAI reason.
    case 'malformed_model_output':
    case 'malformed_tool_use':
      return 'stop';
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}
