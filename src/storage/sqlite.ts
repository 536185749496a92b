/**
 * The embedded store: one SQLite file (WAL mode) shared by every subsystem,
 * each with its own numbered migrations, applied in order at start-up.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export type SqliteDatabase = Database.Database;

export interface OpenSqliteOptions {
  /** Page size of a new file (SQLite keeps an existing file's own). */
  readonly pageSize?: number;
}

export function openSqlite(file: string, options: OpenSqliteOptions = {}): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new Database(file);
  // Before the switch to WAL, which writes the file's first page: from then on the size is fixed.
  if (options.pageSize) database.pragma(`page_size = ${options.pageSize}`);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  return database;
}

/**
 * Page size of the request log's own file. Its writes are appends of rows and bodies a few KB each, in
 * batches: measured in one process with full bodies (batches of 500), 32 KB pages took a record's insert
 * from ~35 to ~23 µs of CPU, mostly by writing each body's WAL frames in fewer, larger writes.
 */
export const logSqlitePageSize = 32_768;

/** Opens the request log's own file, with its page size: both of its connections (reads, writer thread) go through here. */
export function openLogSqlite(file: string): SqliteDatabase {
  return openSqlite(file, { pageSize: logSqlitePageSize });
}

/**
 * The request log's SQLite file: `configured`, or the main file's name with `-log` before its extension
 * (`data/switchyard.db` → `data/switchyard-log.db`). An in-memory main database gets an in-memory log.
 */
export function logDatabaseFile(mainFile: string, configured?: string): string {
  if (configured) return configured;
  if (mainFile === ':memory:' || mainFile === '') return ':memory:';
  const extension = path.extname(mainFile);
  return `${mainFile.slice(0, mainFile.length - extension.length)}-log${extension || '.db'}`;
}

/** Applies `migrations[i]` (SQL) for every version not yet applied to `module`. */
export function migrateSqlite(database: SqliteDatabase, module: string, migrations: readonly string[]): void {
  database.exec('CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (module, version))');
  const applied = new Set(database.prepare('SELECT version FROM schema_migrations WHERE module = ?').pluck().all(module) as number[]);
  const record = database.prepare('INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)');
  for (const [index, sql] of migrations.entries()) {
    const version = index + 1;
    if (applied.has(version)) continue;
    database.transaction(() => {
      database.exec(sql);
      record.run(module, version, Date.now());
    })();
  }
}
