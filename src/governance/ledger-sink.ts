/**
 * Where settled spend becomes durable: written in groups, off the request's path.
 *
 * Embedded: the ledger is the local SQLite table. Shared: the entry is first written to
 * a local SQLite journal (surviving a crash of the process), then shipped to PostgreSQL
 * in batches; while PostgreSQL is down the journal grows and is drained when it returns.
 * The journal also remembers settlements Redis has not acknowledged and retries them
 * (the settlement script is idempotent), including after a restart.
 *
 * Both append each entry to a crash journal file before the response leaves (a
 * write(2), so `kill -9` loses nothing; see append-log.ts), queue it in memory and
 * write the queue to SQLite in one transaction every `commitIntervalMs` (or at once
 * when `batchSize` wait). One SQLite transaction per request cost a sixth of the
 * gateway's CPU under load. A database in memory (tests) has no crash journal.
 */
import type { Logger } from 'pino';
import type { CounterStore, SettlementPlan } from './counters/counter-types.js';
import type { LedgerEntry } from './records.js';
import type { GovernanceStats } from './stats.js';
import type { GovernanceStore } from './store/governance-store.js';
import { ledgerColumnNames, ledgerValues } from './store/row-mapping.js';
import type { SqliteAdapter } from './store/sql-adapter.js';
import { AppendLog } from './append-log.js';
import { GroupWriter } from './group-writer.js';

export interface LedgerSink {
  /** Queues the entry; it is written within the commit interval. Never throws (a failure is logged with the entry and counted). */
  record(entry: LedgerEntry, settlement: SettlementPlan | undefined): void;
  /** The counters applied this entry's settlement. */
  countersSettled(id: string): void;
  /** Writes what is queued (and, shared, ships the journal); resolves when done or failed. */
  flush(): Promise<void>;
  /** Entries not yet in the durable ledger. */
  pending(): number;
  stop(): Promise<void>;
}

function logLost(logger: Logger, stats: GovernanceStats, entry: LedgerEntry, error: unknown): void {
  stats.ledgerLost += 1;
  logger.error({ err: error, ledgerEntry: entry }, 'governance: a ledger entry could not be written; it is logged here in full');
}

export interface LedgerTiming {
  /** Queued entries are written at most this long after they settle. */
  readonly commitIntervalMs: number;
  /** ...or at once when this many are waiting. */
  readonly batchSize: number;
}

/** Replays what a dead process left in the crash journal through `writer`, then journals new rows. */
function attachJournal<T>(writer: GroupWriter<T>, sqlite: SqliteAdapter, name: string, logger: Logger, stats: GovernanceStats): void {
  if (sqlite.database.memory) return;
  const journal = AppendLog.open(
    {
      databaseFile: sqlite.database.name,
      name,
      onAppendError: (error) => {
        stats.databaseErrors += 1;
        logger.error({ err: error }, 'governance: the ledger crash journal cannot be written; entries still reach SQLite within the commit interval');
      },
    },
    (rows) => {
      writer.write(rows as T[]);
      logger.warn({ entries: rows.length, ledger: name }, 'governance: replayed ledger entries a stopped process had journaled');
    },
    (line) => {
      stats.ledgerLost += 1;
      logger.error({ line }, 'governance: an unreadable line in the ledger crash journal; it is logged here in full');
    },
  );
  writer.useJournal(journal);
}

/** The embedded ledger: the local SQLite table `gov_ledger`. */
export class EmbeddedLedger implements LedgerSink {
  private readonly writer: GroupWriter<LedgerEntry>;

  constructor(sqlite: SqliteAdapter, logger: Logger, stats: GovernanceStats, timing: LedgerTiming) {
    const insert = `INSERT INTO gov_ledger (${ledgerColumnNames.join(', ')}) VALUES (${ledgerColumnNames.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`;
    this.writer = new GroupWriter<LedgerEntry>({
      sqlite,
      intervalMs: timing.commitIntervalMs,
      batchSize: timing.batchSize,
      writeRow: (entry) => sqlite.runSync(insert, ledgerValues(entry)),
      onWritten: (entries) => {
        stats.ledgerWritten += entries.length;
      },
      onLost: (entry, error) => logLost(logger, stats, entry, error),
    });
    attachJournal(this.writer, sqlite, 'ledger', logger, stats);
  }

  record(entry: LedgerEntry): void {
    this.writer.push(entry);
  }

  countersSettled(): void {}

  async flush(): Promise<void> {
    this.writer.writeNow();
  }

  pending(): number {
    return this.writer.size;
  }

  async stop(): Promise<void> {
    this.writer.close();
  }
}

export interface JournaledLedgerOptions {
  readonly journal: SqliteAdapter;
  readonly store: GovernanceStore;
  readonly counters: CounterStore;
  readonly logger: Logger;
  readonly stats: GovernanceStats;
  readonly clock: () => number;
  /** How often the journal is shipped to PostgreSQL, and how many entries at a time. */
  readonly intervalMs: number;
  readonly batchSize: number;
  /** How entries are grouped into the local journal. */
  readonly timing: LedgerTiming;
  /** A settlement not acknowledged after this long is sent again. */
  readonly retryAfterMs?: number;
  readonly warn: (topic: string, write: (suppressed: number) => void) => void;
}

interface JournalRow {
  readonly entry: LedgerEntry;
  readonly settlement: SettlementPlan | undefined;
  readonly at: number;
}

export class JournaledLedger implements LedgerSink {
  private readonly settledIds = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private waiting = 0;
  private readonly writer: GroupWriter<JournalRow>;

  constructor(private readonly options: JournaledLedgerOptions) {
    this.waiting = Number(options.journal.allSync('SELECT COUNT(*) AS n FROM gov_journal WHERE ledger_done = 0')[0]?.n ?? 0);
    this.writer = new GroupWriter<JournalRow>({
      sqlite: options.journal,
      intervalMs: options.timing.commitIntervalMs,
      batchSize: options.timing.batchSize,
      writeRow: ({ entry, settlement, at }) =>
        options.journal.runSync('INSERT INTO gov_journal (id, entry, settlement, created_at, counters_done) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING', [
          entry.id,
          JSON.stringify(entry),
          settlement ? JSON.stringify(settlement) : null,
          at,
          // The counters may have answered before the entry reached the journal.
          settlement && !this.settledIds.has(entry.id) ? 0 : 1,
        ]),
      onWritten: (rows) => {
        this.waiting += rows.length;
      },
      onLost: ({ entry }, error) => logLost(options.logger, options.stats, entry, error),
    });
    attachJournal(this.writer, options.journal, 'journal', options.logger, options.stats);
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.intervalMs);
    this.timer.unref();
  }

  record(entry: LedgerEntry, settlement: SettlementPlan | undefined): void {
    this.writer.push({ entry, settlement, at: this.options.clock() });
  }

  countersSettled(id: string): void {
    this.settledIds.add(id);
  }

  pending(): number {
    return this.waiting + this.writer.size;
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
    this.writer.writeNow();
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
    this.writer.close();
  }
}
