import type { Usage } from '../../api/chat-schema.js';
import { makeUsage } from '../shared/usage.js';
import type { MistralUsage } from './api-schema.js';

/** Mistral's `prompt_tokens` already includes cached tokens, as OpenAI's does. */
export function convertUsage(usage: MistralUsage): Usage {
  const cached = usage.num_cached_tokens ?? usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_token_details?.cached_tokens ?? undefined;
  return makeUsage({
    prompt: usage.prompt_tokens ?? 0,
    completion: usage.completion_tokens ?? 0,
    cachedRead: cached,
    reasoning: usage.completion_tokens_details?.reasoning_tokens ?? undefined,
  });
}
