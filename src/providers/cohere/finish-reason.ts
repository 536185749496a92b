import type { FinishReason } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';

const finishReasons = ['COMPLETE', 'STOP_SEQUENCE', 'MAX_TOKENS', 'TOOL_CALL', 'ERROR', 'TIMEOUT'] as const;
type CohereFinishReason = (typeof finishReasons)[number];

function isKnown(reason: string): reason is CohereFinishReason {
  return (finishReasons as readonly string[]).includes(reason);
}

/**
 * Cohere `finish_reason` → OpenAI `finish_reason`. `ERROR` and `TIMEOUT` mean the generation
 * failed on Cohere's side; OpenAI has no finish reason for that, so they fail the request
 * (`upstream_error` / `upstream_timeout`) rather than pass a broken answer off as complete.
 * A missing reason, or one newer than this list, counts as `stop`.
 */
export function mapFinishReason(reason: string | null | undefined, provider: string): FinishReason {
  if (reason == null || !isKnown(reason)) return 'stop';
  switch (reason) {
    case 'COMPLETE':
    case 'STOP_SEQUENCE':
      return 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'TOOL_CALL':
      return 'tool_calls';
    case 'ERROR':
      throw new GatewayError('upstream_error', { provider, status: 502, message: 'Cohere ended the generation with finish_reason ERROR.', upstreamCode: 'ERROR' });
    case 'TIMEOUT':
      throw new GatewayError('upstream_timeout', { provider, message: 'Cohere ended the generation with finish_reason TIMEOUT.', upstreamCode: 'TIMEOUT' });
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}
