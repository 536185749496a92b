import type { FinishReason } from '../../api/chat-schema.js';
import { googleFinishReasons, type GoogleFinishReason } from './api-schema.js';

function isKnown(reason: string): reason is GoogleFinishReason {
  return (googleFinishReasons as readonly string[]).includes(reason);
}

/**
 * Google's finish reason → OpenAI's. A STOP that produced function calls is
 * `tool_calls`; blocks of any kind are `content_filter`; reasons OpenAI has no
 * word for (OTHER, MALFORMED_FUNCTION_CALL, ...) end the turn as `stop`.
 */
export function mapFinishReason(reason: string, hasToolCalls: boolean): FinishReason {
  if (!isKnown(reason)) return hasToolCalls ? 'tool_calls' : 'stop';
  switch (reason) {
    case 'STOP':
    case 'FINISH_REASON_UNSPECIFIED':
    case 'OTHER':
    case 'LANGUAGE':
    case 'MALFORMED_FUNCTION_CALL':
    case 'UNEXPECTED_TOOL_CALL':
    case 'TOO_MANY_TOOL_CALLS':
    case 'MISSING_THOUGHT_SIGNATURE':
    case 'NO_IMAGE':
    case 'IMAGE_OTHER':
      return hasToolCalls ? 'tool_calls' : 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
    case 'IMAGE_RECITATION':
    case 'MODEL_ARMOR':
      return 'content_filter';
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}
