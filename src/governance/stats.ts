/**
 * Counts of everything governance could not do as it should: nothing that
 * goes wrong is silent. Each is also logged (rate-limited); the admin API
 * shows them at GET /admin/governance/status.
 */
export interface GovernanceStats {
  /** Failed reads or writes of the key/budget store (SQLite or PostgreSQL). */
  databaseErrors: number;
  /** Failed Redis commands (admission, settlement, seeding, pub/sub). */
  redisErrors: number;
  /** Requests admitted without limits or budgets because Redis failed (policy `allow`). */
  admittedWithoutCounters: number;
  /** Requests refused with 503 because Redis or the database failed (policy `deny` / fail-closed). */
  refusedUnavailable: number;
  /** Settlements that failed and wait in the journal for a retry. */
  settlementRetries: number;
  /** Ledger entries written to the durable ledger. */
  ledgerWritten: number;
  /** Ledger entries that could not be written even locally (logged with their content). */
  ledgerLost: number;
  /** Requests whose model had no price (recorded as unpriced). */
  unpricedRequests: number;
  /** Costs estimated from token counts (a stream without usage). */
  estimatedCosts: number;
  alertsFired: number;
  alertFailures: number;
  /** Credentials that could not be decrypted with the master key. */
  credentialErrors: number;
  /** Key reloads after a change. */
  reloads: number;
}

export function createStats(): GovernanceStats {
  return {
    databaseErrors: 0,
    redisErrors: 0,
    admittedWithoutCounters: 0,
    refusedUnavailable: 0,
    settlementRetries: 0,
    ledgerWritten: 0,
    ledgerLost: 0,
    unpricedRequests: 0,
    estimatedCosts: 0,
    alertsFired: 0,
    alertFailures: 0,
    credentialErrors: 0,
    reloads: 0,
  };
}

/** Logs at most one message per `intervalMs` for each topic, with how many were held back. */
export function rateLimitedLog(intervalMs: number, clock: () => number): (topic: string, write: (suppressed: number) => void) => void {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (topic, write) => {
    const now = clock();
    const entry = last.get(topic);
    if (entry && now - entry.at < intervalMs) {
      entry.suppressed += 1;
      return;
    }
    write(entry?.suppressed ?? 0);
    last.set(topic, { at: now, suppressed: 0 });
  };
}
