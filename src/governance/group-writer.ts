/**
 * Rows queued in memory and written to SQLite as one transaction per group: at most
 * `intervalMs` after the first of them was queued, or at once when `batchSize` wait.
 * With a crash journal (append-log.ts) every row is appended there as it is queued, so
 * the queue survives `kill -9`; the journal is emptied after each group commits.
 * A group that fails as a whole is written row by row, so one bad row loses (and
 * reports through `onLost`) only itself.
 */
import type { AppendLog } from './append-log.js';
import type { SqliteAdapter } from './store/sql-adapter.js';

export interface GroupWriterOptions<T> {
  readonly sqlite: SqliteAdapter;
  readonly intervalMs: number;
  readonly batchSize: number;
  readonly writeRow: (row: T) => void;
  readonly onWritten: (rows: readonly T[]) => void;
  readonly onLost: (row: T, error: unknown) => void;
}

export class GroupWriter<T> {
  private queued: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private journal: AppendLog | undefined;

  constructor(private readonly options: GroupWriterOptions<T>) {}

  /** From now on, rows are appended to `journal` as they are queued. */
  useJournal(journal: AppendLog): void {
    this.journal = journal;
  }

  push(row: T): void {
    this.journal?.append(row);
    this.queued.push(row);
    if (this.queued.length >= this.options.batchSize) {
      this.writeNow();
      return;
    }
    this.timer ??= setTimeout(() => this.writeNow(), this.options.intervalMs);
  }

  get size(): number {
    return this.queued.length;
  }

  /** Writes `rows` now, in one transaction if it can (start-up replay uses this directly). */
  write(rows: readonly T[]): void {
    if (rows.length === 0) return;
    try {
      this.options.sqlite.database.transaction(() => {
        for (const row of rows) this.options.writeRow(row);
      })();
      this.options.onWritten(rows);
      return;
    } catch {
      // One by one below.
    }
    const written: T[] = [];
    for (const row of rows) {
      try {
        this.options.writeRow(row);
        written.push(row);
      } catch (error) {
        this.options.onLost(row, error);
      }
    }
    this.options.onWritten(written);
  }

  writeNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.queued;
    if (rows.length === 0) return;
    this.queued = [];
    this.write(rows);
    // Every row is now in SQLite or was reported lost in full.
    this.journal?.clear();
  }

  /** Writes what is queued and removes the journal file. */
  close(): void {
    this.writeNow();
    this.journal?.close();
    this.journal = undefined;
  }
}
