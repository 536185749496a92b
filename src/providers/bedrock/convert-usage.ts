/** Converse token usage → OpenAI usage. Bedrock's `inputTokens` excludes cache reads and writes; OpenAI's prompt_tokens includes them. */
import type { Usage } from '../../api/chat-schema.js';
import { makeUsage } from '../shared/usage.js';
import type { TokenUsage } from './api-schema.js';

export function convertUsage(usage: TokenUsage): Usage {
  const cachedRead = usage.cacheReadInputTokens;
  const cacheWrite = usage.cacheWriteInputTokens;
  return makeUsage({
    prompt: usage.inputTokens + (cachedRead ?? 0) + (cacheWrite ?? 0),
    completion: usage.outputTokens,
    cachedRead,
    cacheWrite,
  });
}
