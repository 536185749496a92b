import type { Usage } from '../../api/chat-schema.js';
import { makeUsage } from '../shared/usage.js';
import type { AnthropicUsage } from './api-schema.js';

/**
 * Anthropic counts cache reads and cache writes apart from `input_tokens`;
 * OpenAI's `prompt_tokens` includes both.
 */
export function convertUsage(usage: AnthropicUsage): Usage {
  const input = usage.input_tokens ?? 0;
  const cachedRead = usage.cache_read_input_tokens ?? undefined;
  const cacheWrite = usage.cache_creation_input_tokens ?? undefined;
  return makeUsage({
    prompt: input + (cachedRead ?? 0) + (cacheWrite ?? 0),
    completion: usage.output_tokens ?? 0,
    cachedRead,
    cacheWrite,
    reasoning: usage.output_tokens_details?.thinking_tokens ?? undefined,
  });
}

/** Folds a later usage report (`message_delta`, cumulative) over an earlier one (`message_start`): reported fields win. */
export function mergeUsage(earlier: AnthropicUsage, later: AnthropicUsage | null | undefined): AnthropicUsage {
  if (!later) return earlier;
  const merged: AnthropicUsage = { ...earlier };
  for (const key of ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const) {
    const value = later[key];
    if (value != null) merged[key] = value;
  }
  if (later.output_tokens_details != null) merged.output_tokens_details = later.output_tokens_details;
  return merged;
}
