/**
 * The counters of the embedded mode, in this process's memory: exact, and
 * atomic because each admission checks and applies without yielding.
 * Budget counters start from the ledger's sum (the `seed`), so a restart
 * keeps the settled spend of the period.
 */
import type { AdmissionPlan, AdmissionResult, BudgetState, CounterStore, SettlementPlan, SettlementResult, WindowState } from './counter-types.js';

interface WindowEntry {
  readonly at: number;
  weight: number;
}

interface SlidingWindow {
  /** In arrival order (Map keeps insertion order). */
  readonly entries: Map<string, WindowEntry>;
  sum: number;
  windowMs: number;
}

interface BudgetCounter {
  spent: number;
  reserved: number;
  readonly reservations: Map<string, { amount: number; expiresAt: number }>;
  /** When the counter can be forgotten (period end), null for lifetime. */
  readonly expiresAt: number | null;
}

/** How many admissions between sweeps of empty or expired counters. */
const sweepEvery = 1000;

export class MemoryCounters implements CounterStore {
  readonly kind = 'memory';
  private readonly windows = new Map<string, SlidingWindow>();
  private readonly slots = new Map<string, Map<string, number>>();
  private readonly budgets = new Map<string, BudgetCounter>();
  private operations = 0;

  async admit(plan: AdmissionPlan, now: number): Promise<AdmissionResult> {
    for (const check of plan.budgets) {
      if (this.budgets.has(check.key)) continue;
      const seeded = await check.seed();
      if (!this.budgets.has(check.key)) this.budgets.set(check.key, { spent: seeded, reserved: 0, reservations: new Map(), expiresAt: check.periodEnd });
    }
    // From here on nothing yields: check everything, then apply everything.
    if ((this.operations += 1) % sweepEvery === 0) this.sweep(now);
    const windowStates: WindowState[] = [];
    for (const [index, check] of plan.windows.entries()) {
      const window = this.window(check.key, check.windowMs, now);
      if (window.sum + check.weight > check.limit) {
        const state: WindowState = { kind: check.kind, limit: check.limit, remaining: Math.max(0, check.limit - window.sum), resetMs: this.resetMs(window, now) };
        return { admitted: false, refusal: { kind: 'window', index, retryAfterMs: this.retryAfter(window, check.weight, check.limit, now), state } };
      }
    }
    for (const [index, check] of plan.concurrency.entries()) {
      const slots = this.liveSlots(check.key, now);
      if (slots.size + 1 > check.limit) return { admitted: false, refusal: { kind: 'concurrency', index, retryAfterMs: 1000 } };
    }
    const budgetStates: BudgetState[] = [];
    for (const [index, check] of plan.budgets.entries()) {
      const counter = this.liveBudget(check.key, now)!;
      const state = { spentNano: counter.spent, reservedNano: counter.reserved };
      if (counter.spent >= check.limitNano || counter.spent + counter.reserved + check.amountNano > check.limitNano) {
        return { admitted: false, refusal: { kind: 'budget', index, retryAfterMs: check.periodEnd === null ? null : Math.max(0, check.periodEnd - now), state } };
      }
      budgetStates.push(state);
    }
    for (const check of plan.windows) {
      const window = this.windows.get(check.key)!;
      window.entries.set(plan.id, { at: now, weight: check.weight });
      window.sum += check.weight;
      windowStates.push({ kind: check.kind, limit: check.limit, remaining: Math.max(0, check.limit - window.sum), resetMs: this.resetMs(window, now) });
    }
    for (const check of plan.concurrency) this.liveSlots(check.key, now).set(plan.id, now + plan.leaseMs);
    for (const [index, check] of plan.budgets.entries()) {
      const counter = this.budgets.get(check.key)!;
      counter.reservations.set(plan.id, { amount: check.amountNano, expiresAt: now + plan.leaseMs });
      counter.reserved += check.amountNano;
      budgetStates[index] = { spentNano: counter.spent, reservedNano: counter.reserved };
    }
    return { admitted: true, windows: windowStates, budgets: budgetStates };
  }

  async settle(plan: SettlementPlan, now: number): Promise<SettlementResult> {
    for (const change of plan.windows) {
      const window = this.windows.get(change.key);
      const entry = window?.entries.get(plan.id);
      if (!window || !entry) continue;
      if (change.remove) {
        window.entries.delete(plan.id);
        window.sum -= entry.weight;
      } else {
        window.sum += change.weight - entry.weight;
        entry.weight = change.weight;
      }
    }
    for (const key of plan.concurrency) this.slots.get(key)?.delete(plan.id);
    const spent = plan.budgets.map((change) => {
      const counter = this.liveBudget(change.key, now);
      if (!counter) return -1;
      const reservation = counter.reservations.get(plan.id);
      if (reservation) {
        counter.reservations.delete(plan.id);
        counter.reserved -= reservation.amount;
      }
      counter.spent += change.actualNano;
      return counter.spent;
    });
    return { applied: true, spentNano: spent };
  }

  async budgetState(key: string, now: number): Promise<BudgetState | undefined> {
    const counter = this.liveBudget(key, now);
    return counter ? { spentNano: counter.spent, reservedNano: counter.reserved } : undefined;
  }

  async stop(): Promise<void> {}

  private window(key: string, windowMs: number, now: number): SlidingWindow {
    let window = this.windows.get(key);
    if (!window) {
      window = { entries: new Map(), sum: 0, windowMs };
      this.windows.set(key, window);
    }
    window.windowMs = windowMs;
    for (const [id, entry] of window.entries) {
      if (entry.at > now - windowMs) break;
      window.entries.delete(id);
      window.sum -= entry.weight;
    }
    return window;
  }

  private resetMs(window: SlidingWindow, now: number): number {
    const oldest = window.entries.values().next();
    return oldest.done ? 0 : Math.max(0, oldest.value.at + window.windowMs - now);
  }

  /** When enough entries will have left for `weight` to fit; null if it never fits. */
  private retryAfter(window: SlidingWindow, weight: number, limit: number, now: number): number | null {
    if (weight > limit) return null;
    const need = window.sum + weight - limit;
    let freed = 0;
    for (const entry of window.entries.values()) {
      freed += entry.weight;
      if (freed >= need) return Math.max(0, entry.at + window.windowMs - now);
    }
    return window.windowMs;
  }

  private liveSlots(key: string, now: number): Map<string, number> {
    let slots = this.slots.get(key);
    if (!slots) {
      slots = new Map();
      this.slots.set(key, slots);
    }
    for (const [id, expiresAt] of slots) if (expiresAt <= now) slots.delete(id);
    return slots;
  }

  private liveBudget(key: string, now: number): BudgetCounter | undefined {
    const counter = this.budgets.get(key);
    if (!counter) return undefined;
    for (const [id, reservation] of counter.reservations) {
      if (reservation.expiresAt > now) continue;
      counter.reservations.delete(id);
      counter.reserved -= reservation.amount;
    }
    return counter;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      this.window(key, window.windowMs, now);
      if (window.entries.size === 0) this.windows.delete(key);
    }
    for (const [key, slots] of this.slots) if (this.liveSlots(key, now).size === 0) this.slots.delete(key);
    for (const [key, counter] of this.budgets) if (counter.expiresAt !== null && counter.expiresAt <= now && counter.reservations.size === 0) this.budgets.delete(key);
  }
}
