/**
 * What a finished request cost and how the counters change: the cost from
 * the provider's usage (or, for a stream without usage, from token counts,
 * marked estimated), the ledger entry, and the settlement that replaces the
 * reservation by the actual cost. A cache hit is free and not counted by
 * default; what it saved is recorded. A model without a price is recorded as
 * unpriced (cost null), never as $0, and adds nothing to budgets.
 */
import type { ChatCompletion, Usage } from '../api/chat-schema.js';
import type { CostRecord } from '../api/request-record.js';
import type { Exchange } from '../server/pipeline.js';
import { computeCost, nanoToUsd, usageParts } from '../usage/compute-cost.js';
import { countChatInput, countCompletionOutput, type InputCount } from '../usage/count-tokens.js';
import type { AppliedBudget } from './admission-plan.js';
import type { SettlementPlan, WindowCheck } from './counters/counter-types.js';
import type { Pricing } from './pricing.js';
import type { LedgerEntry } from './records.js';
import type { StreamMeter } from './stream-meter.js';
import { makeUsage } from '../providers/shared/usage.js';

/** What governance remembers about one admitted request until it is settled. */
export interface Ticket {
  readonly id: string;
  readonly startedAt: number;
  readonly keyId: string | null;
  readonly teamId: string | null;
  readonly userId: string | null;
  readonly input: InputCount | undefined;
  readonly windows: readonly WindowCheck[];
  readonly concurrency: readonly string[];
  readonly budgets: readonly AppliedBudget[];
  readonly meter: StreamMeter;
  settled: boolean;
}

export interface Settlement {
  readonly cost: CostRecord | undefined;
  /** Undefined when nothing was used (a request that failed before any output). */
  readonly entry: LedgerEntry | undefined;
  readonly plan: SettlementPlan;
}

function isCacheHit(exchange: Exchange): boolean {
  return exchange.cacheStatus === 'HIT' || exchange.cacheStatus === 'SEMANTIC_HIT';
}

function estimateUsage(exchange: Exchange, ticket: Ticket, completion: ChatCompletion | undefined): Usage | undefined {
  const answer = completion ?? exchange.completion;
  if (!ticket.meter.sawOutput && !answer) return undefined;
  const prompt = ticket.input?.tokens ?? (exchange.chat ? countChatInput(exchange.chat).tokens : 0);
  const output = ticket.meter.sawOutput ? ticket.meter.outputTokens() : countCompletionOutput(answer!);
  return makeUsage({ prompt, completion: output });
}

export function buildSettlement(exchange: Exchange, ticket: Ticket, pricing: Pricing, chargeCacheHits: boolean, completion?: ChatCompletion): Settlement {
  const hit = isCacheHit(exchange);
  const free = hit && !chargeCacheHits;
  let usage = ticket.meter.usage ?? exchange.usage ?? completion?.usage;
  let estimated = exchange.usageEstimated === true;
  if (!usage && exchange.kind === 'chat') {
    usage = estimateUsage(exchange, ticket, completion);
    estimated = usage !== undefined;
  }
  const served = exchange.served ?? exchange.candidates[0];
  const price = usage && served ? pricing.lookup(served, ticket.startedAt, exchange.state.config.providers) : undefined;
  const costNano = usage && price ? computeCost(price.price, usageParts(usage), { images: ticket.input?.images, audioSeconds: ticket.input?.audioSeconds }, exchange.kind === 'embeddings' ? 'embeddings' : 'chat').nano : null;
  const chargedNano = free ? 0 : costNano;

  const windows = ticket.windows.flatMap((check) => {
    if (free) return [{ key: check.key, weight: 0, remove: true }];
    if (check.kind === 'requests') return [];
    return [{ key: check.key, weight: usage ? usage.prompt_tokens + usage.completion_tokens : 0, remove: false }];
  });
  const plan: SettlementPlan = {
    id: ticket.id,
    windows,
    concurrency: ticket.concurrency,
    budgets: ticket.budgets.map((applied) => ({ key: applied.counterKey, actualNano: chargedNano ?? 0, periodEnd: applied.period.end })),
  };
  if (!usage) return { cost: undefined, entry: undefined, plan };

  const savedNano = free ? (costNano ?? 0) : 0;
  const cost: CostRecord = {
    usd: chargedNano === null ? undefined : nanoToUsd(chargedNano),
    estimated,
    unpriced: chargedNano === null,
    ...(hit ? { savedUsd: nanoToUsd(savedNano) } : {}),
  };
  const parts = usageParts(usage);
  const entry: LedgerEntry = {
    id: ticket.id,
    requestId: exchange.context.id,
    at: ticket.startedAt,
    kind: exchange.kind,
    keyId: ticket.keyId,
    teamId: ticket.teamId,
    userId: ticket.userId,
    provider: served?.provider ?? null,
    model: served?.model ?? null,
    costNano: chargedNano,
    estimated,
    cacheHit: hit,
    savedNano,
    promptTokens: parts.totalInput,
    completionTokens: parts.visibleOutput + parts.reasoning,
    cachedTokens: parts.cachedRead,
    cacheWriteTokens: parts.cacheWrite,
    reasoningTokens: parts.reasoning,
    status: exchange.status ?? 200,
  };
  return { cost, entry, plan };
}
