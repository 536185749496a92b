/**
 * Where settled spend becomes durable, before the response's last byte goes out.
 *
 * Embedded: the ledger is the local SQLite table; one insert per request.
 * Shared: the entry is first written to a local SQLite journal (surviving a
 * crash of the process), then shipped to PostgreSQL in batches; while
 * PostgreSQL is down the journal grows and is drained when it returns. The
 * journal also remembers settlements Redis has not acknowledged and retries
 * them (the settlement script is idempotent), including after a restart.
 */
import type { Logger } from 'pino';
import type { CounterStore, SettlementPlan } from './counters/counter-types.js';
import type { LedgerEntry } from './records.js';
import type { GovernanceStats } from './stats.js';
import type { GovernanceStore } from './store/governance-store.js';
import { ledgerColumnNames, ledgerValues } from './store/row-mapping.js';
import type { SqliteAdapter } from './store/sql-adapter.js';

export interface LedgerSink {
  /**
   * Durable when it returns, or when the promise it returns resolves (a group commit);
   * never throws or rejects (a failure is logged with the entry and counted).
   */
  record(entry: LedgerEntry, settlement: SettlementPlan | undefined): void | Promise<void>;
  /** The counters applied this entry's settlement. */
  countersSettled(id: string): void;
  /** Ships what is waiting (shared mode); resolves when done or failed. */
  flush(): Promise<void>;
  /** Entries not yet in the durable ledger. */
  pending(): number;
  stop(): Promise<void>;
}

function logLost(logger: Logger, stats: GovernanceStats, entry: LedgerEntry, error: unknown): void {
  stats.ledgerLost += 1;
  logger.error({ err: error, ledgerEntry: entry }, 'governance: a ledger entry could not be written; it is logged here in full');
}

/**
 * The embedded ledger commits in groups: the entries settled during one turn of the event
 * loop are written in one transaction, and each settlement's promise resolves once that
 * transaction committed (so a response still leaves only after its spend is durable).
 * One autocommit write per request cost about a sixth of the gateway's CPU under load.
 */
export class EmbeddedLedger implements LedgerSink {
  private readonly insert: string;
  private queued: LedgerEntry[] = [];
  private committed: Promise<void> | undefined;

  constructor(
    private readonly sqlite: SqliteAdapter,
    private readonly logger: Logger,
    private readonly stats: GovernanceStats,
  ) {
    this.insert = `INSERT INTO gov_ledger (${ledgerColumnNames.join(', ')}) VALUES (${ledgerColumnNames.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`;
  }

  record(entry: LedgerEntry): Promise<void> {
    this.queued.push(entry);
    this.committed ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        this.commit();
        resolve();
      });
    });
    return this.committed;
  }

  private commit(): void {
    const entries = this.queued;
    this.queued = [];
    this.committed = undefined;
    if (entries.length === 0) return;
    try {
      this.sqlite.database.transaction(() => {
        for (const entry of entries) this.sqlite.runSync(this.insert, ledgerValues(entry));
      })();
      this.stats.ledgerWritten += entries.length;
    } catch {
      // The group failed as a whole: write the entries one by one, so one bad entry loses only itself.
      for (const entry of entries) {
        try {
          this.sqlite.runSync(this.insert, ledgerValues(entry));
          this.stats.ledgerWritten += 1;
        } catch (error) {
          logLost(this.logger, this.stats, entry, error);
        }
      }
    }
  }

  countersSettled(): void {}

  async flush(): Promise<void> {
    await this.committed;
  }

  pending(): number {
    return this.queued.length;
  }

  async stop(): Promise<void> {}
}

export interface JournaledLedgerOptions {
  readonly journal: SqliteAdapter;
  readonly store: GovernanceStore;
  readonly counters: CounterStore;
  readonly logger: Logger;
  readonly stats: GovernanceStats;
  readonly clock: () => number;
  readonly intervalMs: number;
  readonly batchSize: number;
  /** A settlement not acknowledged after this long is sent again. */
  readonly retryAfterMs?: number;
  readonly warn: (topic: string, write: (suppressed: number) => void) => void;
}

export class JournaledLedger implements LedgerSink {
  private readonly settledIds = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private waiting = 0;

  constructor(private readonly options: JournaledLedgerOptions) {
    this.waiting = Number(options.journal.allSync('SELECT COUNT(*) AS n FROM gov_journal WHERE ledger_done = 0')[0]?.n ?? 0);
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.intervalMs);
    this.timer.unref();
  }

  record(entry: LedgerEntry, settlement: SettlementPlan | undefined): void {
    try {
      this.options.journal.runSync('INSERT INTO gov_journal (id, entry, settlement, created_at, counters_done) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING', [
        entry.id,
        JSON.stringify(entry),
        settlement ? JSON.stringify(settlement) : null,
        this.options.clock(),
        settlement ? 0 : 1,
      ]);
      this.waiting += 1;
    } catch (error) {
      logLost(this.options.logger, this.options.stats, entry, error);
    }
  }

  countersSettled(id: string): void {
    this.settledIds.add(id);
  }

  pending(): number {
    return this.waiting;
  }

  /** One pass at a time; a call during a pass waits for it. Never rejects: failures are logged and counted. */
  flush(): Promise<void> {
    this.running ??= this.pass()
      .catch((error: unknown) => {
        this.options.stats.databaseErrors += 1;
        this.options.warn('journal', (suppressed) => this.options.logger.error({ err: error, suppressed }, 'governance: the local ledger journal failed'));
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async pass(): Promise<void> {
    const { journal, store, logger, stats } = this.options;
    if (this.settledIds.size > 0) {
      const ids = [...this.settledIds];
      this.settledIds.clear();
      for (let start = 0; start < ids.length; start += 500) {
        const chunk = ids.slice(start, start + 500);
        journal.runSync(`UPDATE gov_journal SET counters_done = 1 WHERE id IN (${chunk.map(() => '?').join(', ')})`, chunk);
      }
    }
    for (;;) {
      const rows = journal.allSync('SELECT seq, entry FROM gov_journal WHERE ledger_done = 0 ORDER BY seq LIMIT ?', [this.options.batchSize]);
      if (rows.length === 0) break;
      try {
        await store.insertLedger(rows.map((row) => JSON.parse(String(row.entry)) as LedgerEntry));
      } catch (error) {
        stats.databaseErrors += 1;
        this.options.warn('ledger', (suppressed) => logger.error({ err: error, waiting: this.waiting, suppressed }, 'governance: the ledger cannot be written to PostgreSQL; entries wait in the local journal'));
        break;
      }
      const seqs = rows.map((row) => Number(row.seq));
      journal.runSync(`UPDATE gov_journal SET ledger_done = 1 WHERE seq IN (${seqs.map(() => '?').join(', ')})`, seqs);
      stats.ledgerWritten += rows.length;
      this.waiting = Math.max(0, this.waiting - rows.length);
      if (rows.length < this.options.batchSize) break;
    }
    await this.retrySettlements();
    journal.runSync('DELETE FROM gov_journal WHERE ledger_done = 1 AND counters_done = 1');
  }

  private async retrySettlements(): Promise<void> {
    const { journal, counters, logger, stats, clock } = this.options;
    const before = clock() - (this.options.retryAfterMs ?? 10_000);
    const rows = journal.allSync('SELECT id, settlement FROM gov_journal WHERE counters_done = 0 AND created_at < ? ORDER BY seq LIMIT 200', [before]);
    for (const row of rows) {
      const id = String(row.id);
      try {
        await counters.settle(JSON.parse(String(row.settlement)) as SettlementPlan, clock());
        journal.runSync('UPDATE gov_journal SET counters_done = 1 WHERE id = ?', [id]);
      } catch (error) {
        stats.redisErrors += 1;
        this.options.warn('settle-retry', (suppressed) => logger.error({ err: error, suppressed }, 'governance: settlements still cannot reach Redis; they wait in the local journal'));
        return;
      }
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
