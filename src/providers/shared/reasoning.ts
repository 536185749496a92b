import type { ReasoningEffort } from '../../api/chat-schema.js';

/** Thinking-token budgets that `reasoning_effort` maps to for budget-based providers. */
export const reasoningBudgets: Record<Exclude<ReasoningEffort, 'none'>, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
};

export function reasoningBudget(effort: ReasoningEffort | null | undefined): number | undefined {
  if (effort == null || effort === 'none') return undefined;
  return reasoningBudgets[effort];
}
