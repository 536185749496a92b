/**
 * OpenAI's rate-limit headers and the 429 errors of limits and budgets.
 * With several limits (key, team, model) the headers describe the tightest:
 * the one with the fewest requests or tokens left. `reset` is the time until
 * the oldest counted entry leaves the sliding window, in OpenAI's format (`1s`, `6m0s`, `250ms`).
 */
import { GatewayError } from '../api/errors.js';
import { formatUsd } from '../usage/compute-cost.js';
import type { AppliedBudget, PlannedAdmission } from './admission-plan.js';
import type { Refusal, WindowState } from './counters/counter-types.js';

export function formatResetDuration(ms: number): string {
  const rounded = Math.max(0, Math.ceil(ms));
  if (rounded < 1000) return `${rounded}ms`;
  const seconds = rounded / 1000;
  if (seconds < 60) return `${Number(seconds.toFixed(3))}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${Number((seconds - minutes * 60).toFixed(3))}s`;
}

function tightest(states: readonly WindowState[], kind: WindowState['kind']): WindowState | undefined {
  let chosen: WindowState | undefined;
  for (const state of states) {
    if (state.kind !== kind) continue;
    if (!chosen || state.remaining < chosen.remaining || (state.remaining === chosen.remaining && state.resetMs > chosen.resetMs)) chosen = state;
  }
  return chosen;
}

export function rateLimitHeaders(states: readonly WindowState[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const kind of ['requests', 'tokens'] as const) {
    const state = tightest(states, kind);
    if (!state) continue;
    headers[`x-ratelimit-limit-${kind}`] = String(state.limit);
    headers[`x-ratelimit-remaining-${kind}`] = String(state.remaining);
    headers[`x-ratelimit-reset-${kind}`] = formatResetDuration(state.resetMs);
  }
  return headers;
}

function budgetLabel(applied: AppliedBudget): string {
  const subject = applied.budget.subject === '*' ? `end user '${applied.subject}'` : `${applied.budget.scope} '${applied.subject}'`;
  return `the ${applied.budget.period} budget of ${formatUsd(applied.budget.amountNano)} USD for ${subject}`;
}

/** The 429 for a refused admission; Retry-After is set when waiting can help. */
export function refusalError(refusal: Refusal, planned: PlannedAdmission): GatewayError {
  const retryAfterMs = refusal.retryAfterMs === null ? undefined : Math.max(1000, refusal.retryAfterMs);
  const wait = retryAfterMs === undefined ? '' : ` Retry after ${Math.ceil(retryAfterMs / 1000)}s.`;
  switch (refusal.kind) {
    case 'window': {
      const check = planned.plan.windows[refusal.index]!;
      const label = planned.windowLabels[refusal.index]!;
      if (check.kind === 'requests') {
        return new GatewayError('requests_per_minute_exceeded', { message: `Rate limit reached for ${label}: ${check.limit} requests per minute.${wait}`, retryAfterMs });
      }
      const alone = check.weight > check.limit ? ` This request alone needs ${check.weight} tokens.` : '';
      return new GatewayError('tokens_per_minute_exceeded', { message: `Rate limit reached for ${label}: ${check.limit} tokens per minute, ${refusal.state.remaining} left.${alone}${wait}`, retryAfterMs });
    }
    case 'concurrency': {
      const check = planned.plan.concurrency[refusal.index]!;
      return new GatewayError('concurrency_limit_exceeded', { message: `Too many requests in flight for ${planned.concurrencyLabels[refusal.index]}: the limit is ${check.limit}.${wait}`, retryAfterMs });
    }
    case 'budget': {
      const applied = planned.budgets[refusal.index]!;
      const spent = formatUsd(refusal.state.spentNano);
      const reserved = refusal.state.reservedNano > 0 ? ` (${formatUsd(refusal.state.reservedNano)} USD more reserved by requests in flight)` : '';
      return new GatewayError('budget_exceeded', {
        message: `This request could cost up to ${formatUsd(planned.worstCaseNano)} USD, which would pass ${budgetLabel(applied)}: ${spent} USD spent${reserved}.${wait}`,
        retryAfterMs,
      });
    }
    default: {
      const unreachable: never = refusal;
      throw new Error(`unknown refusal ${JSON.stringify(unreachable)}`);
    }
  }
}
