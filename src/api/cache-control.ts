/**
 * Prompt-caching breakpoints (`cache_control`) on content parts, blocks and tools, as every format that
 * carries them reads and writes them: the Messages API, the Anthropic and Bedrock dialects, and the
 * OpenAI dialect, which leaves them out.
 */
import type { CacheControl } from './chat-schema.js';

/** `value` with the breakpoint, when there is one. */
export function withCacheControl<T extends object>(value: T, cacheControl: CacheControl | null | undefined): T & { cache_control?: CacheControl } {
  return cacheControl ? { ...value, cache_control: cacheControl } : value;
}

/** The last breakpoint among a message's parts (string content has none). */
export function lastCacheControl(content: unknown): CacheControl | undefined {
  if (!Array.isArray(content)) return undefined;
  let found: CacheControl | undefined;
  for (const part of content as { cache_control?: CacheControl }[]) if (part.cache_control) found = part.cache_control;
  return found;
}
