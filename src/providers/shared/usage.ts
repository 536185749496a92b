import type { Usage } from '../../api/chat-schema.js';

export interface UsageParts {
  /** All input tokens, cached ones included. */
  prompt: number;
  completion: number;
  cachedRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

/** Builds an OpenAI usage object; details are present only when reported. */
export function makeUsage(parts: UsageParts): Usage {
  const usage: Usage = { prompt_tokens: parts.prompt, completion_tokens: parts.completion, total_tokens: parts.prompt + parts.completion };
  if (parts.cachedRead !== undefined || parts.cacheWrite !== undefined) {
    usage.prompt_tokens_details = { cached_tokens: parts.cachedRead ?? 0 };
    if (parts.cacheWrite !== undefined) usage.prompt_tokens_details.cache_write_tokens = parts.cacheWrite;
  }
  if (parts.reasoning !== undefined) usage.completion_tokens_details = { reasoning_tokens: parts.reasoning };
  return usage;
}
