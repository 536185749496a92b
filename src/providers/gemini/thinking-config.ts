/**
 * `reasoning_effort` → Gemini's `thinkingConfig`.
 *
 * Gemini 3 and later take a `thinkingLevel` (minimal/low/medium/high; the Pro
 * models cannot go below `low`); Gemini 2.5 takes a token `thinkingBudget`
 * (0 turns thinking off where the model allows it). `includeThoughts` makes
 * the thought summaries come back, as `reasoning_content`.
 */
import type { ReasoningEffort } from '../../api/chat-schema.js';
import { reasoningBudget } from '../shared/reasoning.js';

export interface ThinkingConfig {
  thinkingBudget?: number;
  thinkingLevel?: 'minimal' | 'low' | 'medium' | 'high';
  includeThoughts?: boolean;
}

/** The major version in a Gemini model id (`gemini-3-pro-preview` → 3, `models/gemini-2.5-flash` → 2). */
export function geminiMajorVersion(model: string): number | undefined {
  const match = /(?:^|\/)gemini-(\d+)(?:[.-]|$)/i.exec(model);
  return match ? Number(match[1]) : undefined;
}

/** Gemini 3 and later: thinking levels, and strict thought-signature validation. */
export function usesThinkingLevels(model: string): boolean {
  return (geminiMajorVersion(model) ?? 0) >= 3;
}

function isProModel(model: string): boolean {
  return /(?:^|\/)gemini-[\d.]+-pro(?:$|-)/i.test(model);
}

function thinkingLevel(effort: ReasoningEffort, model: string): NonNullable<ThinkingConfig['thinkingLevel']> {
  switch (effort) {
    case 'none':
    case 'minimal':
      return isProModel(model) ? 'low' : 'minimal';
    case 'low':
      return 'low';
    case 'medium':
      return 'medium';
    case 'high':
    case 'xhigh':
      return 'high';
    default: {
      const unreachable: never = effort;
      return unreachable;
    }
  }
}

export function toThinkingConfig(effort: ReasoningEffort | null | undefined, model: string): ThinkingConfig | undefined {
  if (effort == null) return undefined;
  if (usesThinkingLevels(model)) {
    // Gemini 3 cannot switch thinking off; `none` asks for the least there is, without summaries.
    return effort === 'none' ? { thinkingLevel: thinkingLevel(effort, model) } : { thinkingLevel: thinkingLevel(effort, model), includeThoughts: true };
  }
  const budget = reasoningBudget(effort);
  return budget === undefined ? { thinkingBudget: 0 } : { thinkingBudget: budget, includeThoughts: true };
}
