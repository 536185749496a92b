/** Which failed writes are the records' fault (split and dropped) and which the database's (retried). */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { RecordsRejectedError, rejectsRecords } from '../../src/telemetry/storage/rejection.js';

function sqliteError(run: (database: Database.Database) => void): unknown {
  const database = new Database(':memory:');
  database.exec('CREATE TABLE t (a INTEGER NOT NULL UNIQUE)');
  try {
    run(database);
  } catch (error) {
    return error;
  } finally {
    database.close();
  }
  throw new Error('the statement did not fail');
}

const coded = (name: string, code: string): Error => Object.assign(new Error(code), { name, code });

describe('rejectsRecords', () => {
  it('is true for what SQLite refuses to store', () => {
    expect(rejectsRecords(sqliteError((database) => database.prepare('INSERT INTO t VALUES (?)').run(Number.NaN)))).toBe(true);
    expect(
      rejectsRecords(
        sqliteError((database) => {
          database.prepare('INSERT INTO t VALUES (1)').run();
          database.prepare('INSERT INTO t VALUES (1)').run();
        }),
      ),
    ).toBe(true);
  });

  it('is false for a database that is busy, full, read-only or missing', () => {
    expect(rejectsRecords(sqliteError((database) => database.prepare('INSERT INTO missing VALUES (1)').run()))).toBe(false);
    for (const code of ['SQLITE_BUSY', 'SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_READONLY', 'SQLITE_CANTOPEN']) expect(rejectsRecords(coded('SqliteError', code))).toBe(false);
  });

  it('is true for PostgreSQL data and constraint errors only', () => {
    for (const code of ['22P02', '22001', '23502', '23505', '54000']) expect(rejectsRecords(coded('PostgresError', code))).toBe(true);
    for (const code of ['08006', '57P01', '53300', '40001', '42P01', 'ECONNREFUSED']) expect(rejectsRecords(coded('PostgresError', code))).toBe(false);
  });

  it('is true for a rejection passed on by the writer thread, and false for anything else', () => {
    expect(rejectsRecords(new RecordsRejectedError('NOT NULL constraint failed'))).toBe(true);
    expect(rejectsRecords(new Error('connection refused'))).toBe(false);
    expect(rejectsRecords(coded('Error', 'SQLITE_CONSTRAINT'))).toBe(false);
    expect(rejectsRecords('SQLITE_CONSTRAINT')).toBe(false);
  });
});
