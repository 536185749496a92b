/** What a database sink of the request log does: batched writes, the admin queries, and retention. */
import type { LogRecord } from '../record/log-record.js';
import { unpackRecord, type PackedRecord } from '../record/packed-record.js';
import type { AnalyticsBucket, LogDetail, LogPage } from '../query/log-row-schema.js';
import type { AnalyticsQuery, LogQuery } from '../query/query-schema.js';

export interface MaintenanceReport {
  /** Records removed by retention or the size cap (SQLite). */
  readonly removedRecords: number;
  /** Day partitions dropped by retention (PostgreSQL). */
  readonly droppedPartitions: readonly string[];
}

export interface LogStore {
  readonly name: 'sqlite' | 'postgres';
  /** Writes a batch in one transaction; throws (writing nothing) when the database fails. */
  write(records: readonly LogRecord[]): Promise<void>;
  /** The same, for records as the queue holds them; a store without it gets them unpacked. */
  writePacked?(records: readonly PackedRecord[]): Promise<void>;
  list(query: LogQuery): Promise<LogPage>;
  /** The newest record with this request id, with its attempts, guardrail verdicts and bodies. */
  get(id: string): Promise<LogDetail | undefined>;
  analytics(query: AnalyticsQuery): Promise<AnalyticsBucket[]>;
  /** Retention (and the size cap): removes what is too old or too much. */
  maintain(now: number): Promise<MaintenanceReport>;
}

/** Writes packed records to `store`: as they are where it takes them so, unpacked otherwise. */
export function writePackedTo(store: LogStore, records: readonly PackedRecord[]): Promise<void> {
  return store.writePacked ? store.writePacked(records) : store.write(records.map(unpackRecord));
}
