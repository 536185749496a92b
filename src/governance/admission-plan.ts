/**
 * Turns a request into the checks the counters make: sliding windows for
 * requests and tokens per minute and concurrency slots, per key, team and
 * model (config-wide or the key's own), and a reservation of the worst-case
 * cost on every budget of the key, its team and the end user.
 * Tokens are counted only when a token limit or a budget needs them.
 */
import { GatewayError } from '../api/errors.js';
import type { Principal } from '../api/request-record.js';
import type { Exchange } from '../server/pipeline.js';
import { countChatInput, countEmbeddingInput, type InputCount } from '../usage/count-tokens.js';
import { matchesPattern } from './access-check.js';
import type { GovernanceConfig, Limits } from './config-schema.js';
import type { AdmissionPlan, BudgetCheck, ConcurrencyCheck, WindowCheck } from './counters/counter-types.js';
import type { Directory } from './directory.js';
import { periodOf, type PeriodWindow } from './periods.js';
import type { Pricing } from './pricing.js';
import type { BudgetRecord, BudgetScope, KeyRecord } from './records.js';
import type { GovernanceStore } from './store/governance-store.js';

export const minuteMs = 60_000;

/** A budget that applies to the request, with the subject and period it is counted in. */
export interface AppliedBudget {
  readonly budget: BudgetRecord;
  /** The concrete subject (the end user for a `*` budget). */
  readonly subject: string;
  readonly period: PeriodWindow;
  readonly counterKey: string;
}

export interface PlannedAdmission {
  readonly plan: AdmissionPlan;
  /** Who each check belongs to, for refusal messages: `key 'search-bot'`. */
  readonly windowLabels: readonly string[];
  readonly concurrencyLabels: readonly string[];
  readonly budgets: readonly AppliedBudget[];
  readonly input: InputCount | undefined;
  readonly worstCaseNano: number;
}

interface LimitScope {
  readonly id: string;
  readonly label: string;
  readonly limits: Limits;
}

export interface PlanContext {
  readonly config: GovernanceConfig;
  readonly directory: Directory;
  readonly pricing: Pricing;
  readonly store: GovernanceStore;
  readonly now: number;
  readonly id: string;
}

function requestedModel(exchange: Exchange): string | undefined {
  return exchange.chat?.model ?? exchange.embeddings?.model;
}

function limitScopes(exchange: Exchange, key: KeyRecord | undefined, context: PlanContext): LimitScope[] {
  const scopes: LimitScope[] = [];
  const model = requestedModel(exchange);
  if (key) {
    scopes.push({ id: `key:${key.id}`, label: `key '${key.name}'`, limits: key.limits });
    if (model !== undefined) {
      for (const [pattern, limits] of Object.entries(key.modelLimits)) {
        if (matchesPattern(pattern, model)) scopes.push({ id: `key:${key.id}:model:${pattern}`, label: `key '${key.name}' on model '${pattern}'`, limits });
      }
    }
    const team = context.directory.team(key.teamId);
    if (team) scopes.push({ id: `team:${team.id}`, label: `team '${team.name}'`, limits: team.limits });
  }
  if (model !== undefined) {
    for (const [pattern, limits] of Object.entries(context.config.model_limits)) {
      if (matchesPattern(pattern, model)) scopes.push({ id: `model:${pattern}`, label: `model '${pattern}'`, limits });
    }
  }
  return scopes;
}

function appliedBudgets(principal: Principal, context: PlanContext): AppliedBudget[] {
  const subjects: [BudgetScope, string | undefined][] = [
    ['key', principal.keyId],
    ['team', principal.teamId],
    ['user', principal.userId],
  ];
  const applied: AppliedBudget[] = [];
  for (const [scope, subject] of subjects) {
    if (subject === undefined) continue;
    const budgets = [...context.directory.budgetsFor(scope, subject), ...(scope === 'user' ? context.directory.budgetsFor('user', '*') : [])];
    for (const budget of budgets) {
      const period = periodOf(budget.period, context.now, context.config.time_zone);
      const subjectPart = budget.subject === '*' ? `:u:${subject}` : '';
      applied.push({ budget, subject, period, counterKey: `b:${budget.id}${subjectPart}:${period.key}` });
    }
  }
  return applied;
}

function countInput(exchange: Exchange): InputCount | undefined {
  if (exchange.chat) return countChatInput(exchange.chat);
  if (exchange.embeddings) return { tokens: countEmbeddingInput(exchange.embeddings), images: 0, audioSeconds: 0 };
  return undefined;
}

export function planAdmission(exchange: Exchange, principal: Principal, key: KeyRecord | undefined, context: PlanContext): PlannedAdmission {
  const metered = exchange.kind === 'chat' || exchange.kind === 'embeddings';
  const counted = metered || exchange.kind === 'passthrough';
  const scopes = counted ? limitScopes(exchange, key, context) : [];
  const budgets = counted ? appliedBudgets(principal, context) : [];
  const needsTokens = metered && (budgets.length > 0 || scopes.some((scope) => scope.limits.tpm !== undefined));
  const input = needsTokens ? countInput(exchange) : undefined;
  const chat = exchange.chat;
  const requestedOutput = chat?.max_completion_tokens ?? chat?.max_tokens ?? undefined;
  const choices = chat?.n ?? 1;

  const windows: WindowCheck[] = [];
  const windowLabels: string[] = [];
  const concurrency: ConcurrencyCheck[] = [];
  const concurrencyLabels: string[] = [];
  for (const scope of scopes) {
    if (scope.limits.rpm !== undefined) {
      windows.push({ key: `rl:${scope.id}:rpm`, kind: 'requests', limit: scope.limits.rpm, windowMs: minuteMs, weight: 1 });
      windowLabels.push(scope.label);
    }
    if (scope.limits.tpm !== undefined && metered) {
      const weight = (input?.tokens ?? 0) + (requestedOutput ?? 0) * choices;
      windows.push({ key: `rl:${scope.id}:tpm`, kind: 'tokens', limit: scope.limits.tpm, windowMs: minuteMs, weight });
      windowLabels.push(scope.label);
    }
    if (scope.limits.max_concurrent !== undefined) {
      concurrency.push({ key: `cc:${scope.id}`, limit: scope.limits.max_concurrent });
      concurrencyLabels.push(scope.label);
    }
  }

  let worstCaseNano = 0;
  if (budgets.length > 0) {
    if (!metered) {
      if (context.config.unpriced_models === 'deny') throw new GatewayError('model_unpriced', { message: 'Pass-through requests have no price, and a budget applies to this request (set governance.unpriced_models to allow them).' });
    } else {
      const tokens = Math.ceil((input?.tokens ?? 0) * context.config.input_token_margin);
      // No known target means no known price: treated as unpriced rather than free.
      const candidates = exchange.candidates.length > 0 ? exchange.candidates : [{ provider: '(unknown)', model: requestedModel(exchange) ?? '(unknown)' }];
      const worst = context.pricing.worstCase(candidates, tokens, requestedOutput, choices, { images: input?.images, audioSeconds: input?.audioSeconds }, exchange.kind === 'embeddings' ? 'embeddings' : 'chat', context.now, exchange.state.config.providers);
      if (worst.unpriced.length > 0 && context.config.unpriced_models === 'deny') {
        const names = worst.unpriced.map((candidate) => `${candidate.provider}/${candidate.model}`).join(', ');
        throw new GatewayError('model_unpriced', { message: `No price is known for ${names}, and a budget applies to this request: add its price under governance.prices.`, param: 'model' });
      }
      worstCaseNano = worst.nano;
    }
  }

  const budgetChecks: BudgetCheck[] = budgets.map((applied) => ({
    key: applied.counterKey,
    limitNano: applied.budget.amountNano,
    amountNano: worstCaseNano,
    periodEnd: applied.period.end,
    seed: () => context.store.sumSpent({ scope: applied.budget.scope, subject: applied.subject, from: applied.period.start, to: applied.period.end }),
  }));

  return {
    plan: { id: context.id, windows, concurrency, budgets: budgetChecks, leaseMs: context.config.reservation_ttl_ms },
    windowLabels,
    concurrencyLabels,
    budgets,
    input,
    worstCaseNano,
  };
}
