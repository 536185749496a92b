/**
 * What the counters do for one request, in two atomic steps.
 *
 * admit: every check passes or nothing changes. A sliding-window check counts
 * what entered in the last `windowMs` (a log of entries, not fixed buckets, so
 * no double burst at a bucket edge); a concurrency check counts open slots; a
 * budget check refuses when settled + reserved + this request's worst case
 * would pass the amount, and otherwise reserves the worst case.
 *
 * settle: replaces the reservation by the actual cost, corrects the token
 * entry to the actual tokens, frees the concurrency slot. Idempotent by id.
 *
 * Reservations and slots carry a lease, so those of a crashed instance are
 * reclaimed. Amounts are integers (tokens, nano-USD).
 */

export interface WindowCheck {
  readonly key: string;
  readonly kind: 'requests' | 'tokens';
  readonly limit: number;
  readonly windowMs: number;
  /** 1 for a request; the estimated tokens for a token window. */
  readonly weight: number;
}

export interface ConcurrencyCheck {
  readonly key: string;
  readonly limit: number;
}

export interface BudgetCheck {
  /** The counter of one budget subject in one period. */
  readonly key: string;
  readonly limitNano: number;
  readonly amountNano: number;
  /** When the period ends (null for lifetime): the counter's expiry and a refusal's Retry-After. */
  readonly periodEnd: number | null;
  /** The settled spend of the period so far, from the ledger, for a counter that does not exist yet. */
  readonly seed: () => Promise<number>;
}

export interface AdmissionPlan {
  /** Unique per request. */
  readonly id: string;
  readonly windows: readonly WindowCheck[];
  readonly concurrency: readonly ConcurrencyCheck[];
  readonly budgets: readonly BudgetCheck[];
  /** How long a reservation or slot lives if never settled. */
  readonly leaseMs: number;
}

export interface WindowState {
  readonly kind: 'requests' | 'tokens';
  readonly limit: number;
  /** After this request. */
  readonly remaining: number;
  /** Until the oldest entry leaves the window (room grows then), in ms. */
  readonly resetMs: number;
}

export interface BudgetState {
  readonly spentNano: number;
  readonly reservedNano: number;
}

export type Refusal =
  | { readonly kind: 'window'; readonly index: number; readonly retryAfterMs: number | null; readonly state: WindowState }
  | { readonly kind: 'concurrency'; readonly index: number; readonly retryAfterMs: number }
  | { readonly kind: 'budget'; readonly index: number; readonly retryAfterMs: number | null; readonly state: BudgetState };

export type AdmissionResult =
  | { readonly admitted: true; readonly windows: readonly WindowState[]; readonly budgets: readonly BudgetState[] }
  | { readonly admitted: false; readonly refusal: Refusal };

export interface SettlementPlan {
  readonly id: string;
  /** Each window entry's final weight; `remove` takes the entry out (a cache hit that is not counted). */
  readonly windows: readonly { readonly key: string; readonly weight: number; readonly remove: boolean }[];
  readonly concurrency: readonly string[];
  readonly budgets: readonly { readonly key: string; readonly actualNano: number; readonly periodEnd: number | null }[];
}

export interface SettlementResult {
  /** False when this id was already settled (nothing changed). */
  readonly applied: boolean;
  /** Each budget's settled spend after this settlement (-1 when unknown). */
  readonly spentNano: readonly number[];
}

export interface CounterStore {
  readonly kind: 'memory' | 'redis';
  admit(plan: AdmissionPlan, now: number): Promise<AdmissionResult>;
  settle(plan: SettlementPlan, now: number): Promise<SettlementResult>;
  /** Settled and reserved spend of a budget counter (for the admin API). */
  budgetState(key: string, now: number): Promise<BudgetState | undefined>;
  stop(): Promise<void>;
}
