/**
 * Whether a failed write was refused for what its records hold (a constraint,
 * a value a column cannot take) rather than because the database is down or
 * busy. Such a batch fails the same way on every retry, so the pipeline
 * splits it to find the records at fault instead of waiting for a recovery
 * that would never come, while every record after it waited too.
 */

/** A rejection that crossed from the writer thread, where the database's own error was. */
export class RecordsRejectedError extends Error {
  override readonly name = 'RecordsRejectedError';
}

/** better-sqlite3's codes for a row the statement cannot store. */
const sqliteRejection = /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/;
/** SQLSTATE classes: 22 data exception, 23 integrity constraint violation, 54 program limit exceeded. */
const postgresRejection = /^(22|23|54)[0-9A-Z]{3}$/;

export function rejectsRecords(error: unknown): boolean {
  if (error instanceof RecordsRejectedError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  if (error.name === 'SqliteError') return sqliteRejection.test(code);
  if (error.name === 'PostgresError') return postgresRejection.test(code);
  return false;
}
