import { reasoningBudgets, type ReasoningEffort } from '../../api/chat-schema.js';

export function reasoningBudget(effort: ReasoningEffort | null | undefined): number | undefined {
  if (effort == null || effort === 'none') return undefined;
  return reasoningBudgets[effort];
}

/** Whether a `thinking` setting (Anthropic's, which Bedrock takes for Anthropic models) turns thinking on. */
export function thinkingOn(thinking: unknown): boolean {
  const type = thinking !== null && typeof thinking === 'object' ? (thinking as { type?: unknown }).type : undefined;
  return type === 'enabled' || type === 'adaptive';
}

/**
 * `messages` without the blocks `drop` picks (the same array when none does); a turn left empty goes too.
 * Signed reasoning goes back only to a request that thinks: with thinking off, Anthropic's models refuse it
 * in a final assistant turn.
 */
export function withoutBlocks<B, M extends { content: B[] }>(messages: M[], drop: (block: B) => boolean): M[] {
  if (!messages.some((message) => message.content.some(drop))) return messages;
  return messages.map((message) => ({ ...message, content: message.content.filter((block) => !drop(block)) })).filter((message) => message.content.length > 0);
}
