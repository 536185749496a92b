import type { FinishReason } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';

const finishReasons = ['stop', 'length', 'model_length', 'tool_calls', 'error'] as const;
type MistralFinishReason = (typeof finishReasons)[number];

function isKnown(reason: string): reason is MistralFinishReason {
  return (finishReasons as readonly string[]).includes(reason);
}

/**
 * Mistral `finish_reason` → OpenAI `finish_reason`. `model_length` (the context window ran out)
 * is `length`. `error` means the generation failed on Mistral's side: OpenAI has no finish reason
 * for that, so it fails the request (`upstream_error`). A missing or unknown reason counts as `stop`.
 */
export function mapFinishReason(reason: string | null | undefined, provider: string): FinishReason {
  if (reason == null || !isKnown(reason)) return 'stop';
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
    case 'model_length':
      return 'length';
    case 'tool_calls':
      return 'tool_calls';
    case 'error':
      throw new GatewayError('upstream_error', { provider, status: 502, message: 'Mistral ended the generation with finish_reason error.', upstreamCode: 'error' });
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}
