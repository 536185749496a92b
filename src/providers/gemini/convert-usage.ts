import type { Usage } from '../../api/chat-schema.js';
import { makeUsage } from '../shared/usage.js';
import type { UsageMetadata } from './api-schema.js';

/**
 * Google's usageMetadata → OpenAI usage. Prompt tokens include the cached ones
 * and any tool-use prompt (e.g. search results); thinking tokens are billed as
 * output, so they count in `completion_tokens` and again as `reasoning_tokens`.
 */
export function convertUsage(metadata: UsageMetadata): Usage {
  const prompt = (metadata.promptTokenCount ?? 0) + (metadata.toolUsePromptTokenCount ?? 0);
  const thoughts = metadata.thoughtsTokenCount ?? undefined;
  return makeUsage({
    prompt,
    completion: (metadata.candidatesTokenCount ?? 0) + (thoughts ?? 0),
    cachedRead: metadata.cachedContentTokenCount ?? undefined,
    reasoning: thoughts,
  });
}
