/**
 * Budget alerts: when a budget's settled spend reaches one of its thresholds
 * (0.8 = 80%), a webhook fires once per budget, subject, period and threshold,
 * across every instance (the store records the first claim). Off the request path.
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { formatUsd } from '../usage/compute-cost.js';
import type { AppliedBudget } from './admission-plan.js';
import type { GovernanceStats } from './stats.js';
import type { GovernanceStore } from './store/governance-store.js';

export type PostJson = (url: string, body: unknown) => Promise<void>;

async function postWithFetch(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
}

export interface BudgetAlertsOptions {
  readonly store: GovernanceStore;
  readonly webhookUrl: string | undefined;
  readonly logger: Logger;
  readonly stats: GovernanceStats;
  readonly clock: () => number;
  readonly post?: PostJson;
  /** Waits between attempts (3 attempts in all). */
  readonly retryDelaysMs?: readonly number[];
}

export class BudgetAlerts {
  private readonly seen = new LRUCache<string, true>({ max: 50_000 });
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: BudgetAlertsOptions) {}

  /** Called after a settlement with the budget's settled spend; fires what was crossed. */
  check(applied: AppliedBudget, spentNano: number): void {
    if (spentNano < 0) return;
    for (const threshold of applied.budget.alertThresholds) {
      if (spentNano < threshold * applied.budget.amountNano) continue;
      const memo = `${applied.budget.id}|${applied.subject}|${applied.period.key}|${threshold}`;
      if (this.seen.has(memo)) continue;
      this.seen.set(memo, true);
      const task = this.fire(applied, threshold, spentNano).finally(() => this.inFlight.delete(task));
      this.inFlight.add(task);
    }
  }

  /** Waits for alerts being sent (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private async fire(applied: AppliedBudget, threshold: number, spentNano: number): Promise<void> {
    const { store, logger, stats, clock } = this.options;
    const at = clock();
    try {
      if (!(await store.claimAlert(applied.budget.id, applied.subject, applied.period.key, threshold, at))) return;
    } catch (error) {
      stats.databaseErrors += 1;
      stats.alertFailures += 1;
      this.seen.delete(`${applied.budget.id}|${applied.subject}|${applied.period.key}|${threshold}`);
      logger.error({ err: error, budget: applied.budget.id }, 'governance: a budget alert could not be recorded; it will be tried again');
      return;
    }
    const payload = {
      type: 'budget.threshold_reached',
      budget_id: applied.budget.id,
      scope: applied.budget.scope,
      subject: applied.subject,
      period: applied.budget.period,
      period_start: new Date(applied.period.start).toISOString(),
      period_end: applied.period.end === null ? null : new Date(applied.period.end).toISOString(),
      threshold,
      amount_usd: formatUsd(applied.budget.amountNano),
      spent_usd: formatUsd(spentNano),
      at: new Date(at).toISOString(),
    };
    stats.alertsFired += 1;
    logger.warn({ alert: payload }, `governance: budget ${applied.budget.id} reached ${Math.round(threshold * 100)}%`);
    const url = this.options.webhookUrl;
    if (!url) return;
    const post = this.options.post ?? postWithFetch;
    const delays = this.options.retryDelaysMs ?? [1000, 5000];
    for (let attempt = 0; ; attempt += 1) {
      try {
        await post(url, payload);
        return;
      } catch (error) {
        if (attempt >= delays.length) {
          stats.alertFailures += 1;
          logger.error({ err: error, alert: payload }, 'governance: the budget alert webhook failed');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delays[attempt]).unref());
      }
    }
  }
}
