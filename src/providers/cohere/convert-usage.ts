import type { Usage } from '../../api/chat-schema.js';
import { makeUsage } from '../shared/usage.js';
import type { CohereUsage } from './api-schema.js';

/**
 * Cohere reports the model's own token counts (`tokens`, prompt template included) and the
 * billed ones (`billed_units`, fewer). `tokens` is what the model processed, so it is preferred;
 * `billed_units` is the fallback. `cached_tokens` is the cached part of the input.
 */
export function convertUsage(usage: CohereUsage): Usage {
  const prompt = usage.tokens?.input_tokens ?? usage.billed_units?.input_tokens ?? 0;
  const completion = usage.tokens?.output_tokens ?? usage.billed_units?.output_tokens ?? 0;
  return makeUsage({ prompt, completion, cachedRead: usage.cached_tokens ?? undefined });
}
