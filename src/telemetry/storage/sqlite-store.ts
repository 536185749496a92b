/**
 * The SQLite sink. Writes are one transaction per batch (better-sqlite3 is
 * synchronous: a batch of 500 takes a few milliseconds, on a timer, never on
 * a request's path). Retention deletes by start time, in small chunks with a
 * yield between them; the size cap then removes the oldest records while the
 * database's used pages exceed `sqlite_max_bytes` (freed pages are reused,
 * so the file stops growing rather than shrinking).
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { migrateSqlite, type SqliteDatabase } from '../../storage/sqlite.js';
import { decodeCursor, encodeCursor } from '../query/cursor.js';
import type { AnalyticsBucket, LogDetail, LogPage } from '../query/log-row-schema.js';
import { bucketSizes, groupColumns, type AnalyticsQuery, type LogQuery } from '../query/query-schema.js';
import type { LogRecord } from '../record/log-record.js';
import { unpackFields } from '../record/packed-record.js';
import { analyticsSelect, toAnalyticsBucket, type AnalyticsRow } from './analytics-sql.js';
import { buildWhere, type SqlDialect } from './filter-sql.js';
import type { LogStore, MaintenanceReport } from './log-store.js';
import { logColumnNames, rowColumnNames, toColumns, toLogRow, type LogColumns } from './record-columns.js';
import { sqliteMigrations } from './sqlite-schema.js';

const dayMs = 86_400_000;
const deleteChunk = 5000;
/** WAL bytes between automatic checkpoints (SQLite counts them in pages of the file's own size). */
export const walCheckpointBytes = 40 * 1024 * 1024;

const dialect: SqlDialect = {
  placeholder: () => '?',
  time: (milliseconds) => milliseconds,
  timeCast: '',
  metadata: (pairs, add, range) =>
    pairs.map(([name, value]) => {
      const bounds = `${range.from ? ` AND started_at >= ${range.from}` : ''}${range.to ? ` AND started_at < ${range.to}` : ''}`;
      return `seq IN (SELECT seq FROM request_log_metadata WHERE name = ${add(name)} AND value = ${add(value)}${bounds})`;
    }),
};

type SqliteValue = string | number | null;
type StoredRow = Record<string, SqliteValue>;

const booleanColumns = new Set(['streamed', 'tokens_estimated', 'cost_estimated', 'cost_unpriced', 'fallback']);
const jsonColumns = new Set(['metadata', 'attempts', 'guardrails']);

function toSqliteValues(columns: LogColumns): SqliteValue[] {
  return logColumnNames.map((name) => {
    const value = columns[name];
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value !== null && typeof value === 'object') return JSON.stringify(value);
    return value;
  });
}

function fromStored(row: StoredRow): LogColumns {
  const decoded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (booleanColumns.has(name)) decoded[name] = value === 1;
    else if (jsonColumns.has(name)) decoded[name] = JSON.parse(String(value));
    else decoded[name] = value;
  }
  return decoded as unknown as LogColumns;
}

/** A record to insert, and its bodies: JSON text, or its UTF-8 bytes. */
interface BatchEntry {
  readonly record: LogRecord;
  readonly requestBody: string | Buffer | undefined;
  readonly responseBody: string | Buffer | undefined;
}

export interface SqliteStoreOptions {
  readonly retentionDays: number;
  readonly maxBytes: number;
}

export function createSqliteStore(database: SqliteDatabase, options: SqliteStoreOptions): LogStore {
  migrateSqlite(database, 'telemetry', sqliteMigrations);
  // The log has a file of its own: checkpoint every ~40 MB of WAL instead of SQLite's ~4 MB, which cost
  // ~16 µs of the ~75 µs a full-body record took to insert (measured, batches of 100), and cap what the
  // WAL file keeps after a checkpoint.
  const pageSize = database.pragma('page_size', { simple: true }) as number;
  database.pragma(`wal_autocheckpoint = ${Math.ceil(walCheckpointBytes / pageSize)}`);
  database.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const placeholders = logColumnNames.map(() => '?').join(', ');
  const insertRow = database.prepare(`INSERT INTO request_log (${logColumnNames.join(', ')}) VALUES (${placeholders})`);
  const insertMetadata = database.prepare('INSERT INTO request_log_metadata (seq, started_at, name, value) VALUES (?, ?, ?, ?)');
  // A body comes as text, or as the UTF-8 bytes of a packed record, bound as they are: CAST makes them text again
  // inside SQLite without a copy through a JavaScript string (which for a two-byte string is a transcoding).
  const insertBodies = database.prepare('INSERT INTO request_log_bodies (seq, started_at, request_body, response_body) VALUES (?, ?, CAST(? AS TEXT), CAST(? AS TEXT))');
  const writeBatch = database.transaction((entries: readonly BatchEntry[]) => {
    for (const { record, requestBody, responseBody } of entries) {
      const columns = toColumns(record);
      const seq = insertRow.run(toSqliteValues(columns)).lastInsertRowid;
      for (const [name, value] of Object.entries(record.metadata)) insertMetadata.run(seq, record.startedAt, name, value);
      if (requestBody !== undefined || responseBody !== undefined) insertBodies.run(seq, record.startedAt, requestBody ?? null, responseBody ?? null);
    }
  });
  const selectColumns = ['seq', ...rowColumnNames].join(', ');
  const getById = database.prepare(`SELECT seq, ${logColumnNames.join(', ')} FROM request_log WHERE id = ? ORDER BY started_at DESC, seq DESC LIMIT 1`);
  const getBodies = database.prepare('SELECT request_body, response_body FROM request_log_bodies WHERE seq = ?');
  const oldestCutoff = database.prepare('SELECT started_at FROM request_log ORDER BY started_at LIMIT 1 OFFSET ?').pluck();
  const newest = database.prepare('SELECT max(started_at) FROM request_log').pluck();
  const countRows = database.prepare('SELECT count(*) FROM request_log').pluck();
  const deleteOlder = [
    database.prepare(`DELETE FROM request_log WHERE seq IN (SELECT seq FROM request_log WHERE started_at < ? LIMIT ${deleteChunk})`),
    database.prepare(`DELETE FROM request_log_metadata WHERE rowid IN (SELECT rowid FROM request_log_metadata WHERE started_at < ? LIMIT ${deleteChunk * 4})`),
    database.prepare(`DELETE FROM request_log_bodies WHERE seq IN (SELECT seq FROM request_log_bodies WHERE started_at < ? LIMIT ${deleteChunk})`),
  ];

  function usedBytes(): number {
    const pageSize = database.pragma('page_size', { simple: true }) as number;
    const pages = database.pragma('page_count', { simple: true }) as number;
    const free = database.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * pageSize;
  }

  /** Deletes every record that started before `cutoff`, a chunk at a time. */
  async function deleteBefore(cutoff: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const changes = database.transaction(() => deleteOlder.map((statement) => statement.run(cutoff).changes))();
      removed += changes[0]!;
      if (changes.every((count) => count === 0)) return removed;
      await yieldToEventLoop();
    }
  }

  return {
    name: 'sqlite',
    async write(records) {
      writeBatch(records.map((record) => ({ record, requestBody: record.requestBody, responseBody: record.responseBody })));
    },
    async writePacked(records) {
      writeBatch(records.map((packed) => ({ record: unpackFields(packed), requestBody: packed.requestBody, responseBody: packed.responseBody })));
    },

    async list(query: LogQuery): Promise<LogPage> {
      const where = buildWhere(query.filter, dialect, query.cursor ? decodeCursor(query.cursor) : undefined);
      const rows = database.prepare(`SELECT ${selectColumns} FROM request_log ${where.sql} ORDER BY started_at DESC, seq DESC LIMIT ${query.limit + 1}`).all(...where.params) as StoredRow[];
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const next = rows.length > query.limit && last ? encodeCursor({ startedAt: Number(last.started_at), seq: Number(last.seq) }) : null;
      return { data: page.map((row) => toLogRow(fromStored(row))), next_cursor: next };
    },

    async get(id: string): Promise<LogDetail | undefined> {
      const row = getById.get(id) as StoredRow | undefined;
      if (!row) return undefined;
      const columns = fromStored(row);
      const bodies = getBodies.get(row.seq) as { request_body: string | null; response_body: string | null } | undefined;
      return {
        ...toLogRow(columns),
        attempts: columns.attempts,
        guardrails: columns.guardrails,
        body_mode: columns.body_mode,
        request_body: bodies?.request_body ? JSON.parse(bodies.request_body) : null,
        response_body: bodies?.response_body ? JSON.parse(bodies.response_body) : null,
      };
    },

    async analytics(query: AnalyticsQuery): Promise<AnalyticsBucket[]> {
      const where = buildWhere(query.filter, dialect);
      const size = bucketSizes[query.bucket];
      const group = query.groupBy ? groupColumns[query.groupBy] : 'NULL';
      const sql = `SELECT (started_at / ${size}) * ${size} AS bucket_start, ${group} AS grp, ${analyticsSelect('percentile_cont')} FROM request_log ${where.sql} GROUP BY bucket_start, grp ORDER BY bucket_start, grp`;
      const rows = database.prepare(sql).all(...where.params) as AnalyticsRow[];
      return rows.map((row) => toAnalyticsBucket(row, Number(row.bucket_start)));
    },

    async maintain(now: number): Promise<MaintenanceReport> {
      let removed = await deleteBefore(now - options.retentionDays * dayMs);
      // Over the cap: the oldest twentieth of the records at a time (at most a chunk), until it fits.
      const count = usedBytes() > options.maxBytes ? (countRows.get() as number) : 0;
      const step = Math.max(1, Math.min(deleteChunk, Math.floor(count / 20)));
      while (usedBytes() > options.maxBytes) {
        const cutoff = (oldestCutoff.get(step - 1) as number | undefined) ?? (newest.get() as number | null);
        if (cutoff === null || cutoff === undefined) break;
        const deleted = await deleteBefore(cutoff + 1);
        if (deleted === 0) break;
        removed += deleted;
      }
      return { removedRecords: removed, droppedPartitions: [] };
    },
  };
}
