/**
 * The shared store: PostgreSQL (DATABASE_URL) through the `postgres` client.
 * Migrations are numbered per subsystem and applied at start-up under an
 * advisory lock, so several instances starting together don't race.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { finished } from 'node:stream/promises';
import postgres from 'postgres';

export type PostgresClient = postgres.Sql;

export function connectPostgres(url: string, options: { max?: number } = {}): PostgresClient {
  return postgres(url, { max: options.max ?? 10, onnotice: () => {}, idle_timeout: 30, connect_timeout: 10, ...noDelaySocket(url) });
}

interface SocketTarget {
  readonly host: readonly string[];
  readonly port: readonly number[];
}

/**
 * The client's `socket` option for a URL naming one TCP host: connections with
 * Nagle's algorithm off. The client leaves it on, which costs nothing for a
 * query (sent in one write) but stalls COPY: its data and its end go in
 * separate writes, and the end then waits for the server's delayed ACK, 40 ms
 * on Linux, every time. Other URLs (a socket path, several hosts) keep the
 * client's own connecting.
 */
export function noDelaySocket(url: string): { socket?: (target: SocketTarget) => Socket } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {};
  }
  if (parsed.hostname === '' || decodeURIComponent(parsed.hostname).startsWith('/') || parsed.host.includes(',') || parsed.searchParams.has('host')) return {};
  // Returned while still connecting: the client's start-up waits in the socket's buffer, and a refused or
  // broken connection reaches the client's own error and reconnect handling (a rejected promise would not).
  return { socket: (target) => connect({ host: target.host[0], port: target.port[0], noDelay: true }) };
}

const migrationLockId = 0x5357_5944; // arbitrary, constant for every instance

export async function migratePostgres(sql: PostgresClient, module: string, migrations: readonly string[]): Promise<void> {
  await sql.begin(async (transaction) => {
    await transaction`SELECT pg_advisory_xact_lock(${migrationLockId})`;
    await transaction`CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (module, version))`;
    const rows = await transaction<{ version: number }[]>`SELECT version FROM schema_migrations WHERE module = ${module}`;
    const applied = new Set(rows.map((row) => row.version));
    for (const [index, statement] of migrations.entries()) {
      const version = index + 1;
      if (applied.has(version)) continue;
      await transaction.unsafe(statement);
      await transaction`INSERT INTO schema_migrations (module, version) VALUES (${module}, ${version})`;
    }
  });
}

/**
 * Sends `chunks` of COPY text to `statement` (a `COPY ... FROM STDIN`) on a
 * transaction's connection, resolving when the server has stored them and
 * rejecting with the server's error otherwise.
 *
 * postgres 3.4 never settles a COPY's writable when the server refuses the
 * data after the last chunk (porsager/postgres#1173): awaiting it would hang
 * the transaction, with its connection, forever. The query's own `reject`
 * still hears the error, so it is watched here too. Once the caller's
 * transaction then rolls back, the client's pending callback runs and the
 * writable finishes.
 */
export async function copyIn(transaction: postgres.TransactionSql, statement: string, chunks: readonly (string | Buffer)[]): Promise<void> {
  const query = transaction.unsafe(statement) as unknown as postgres.PendingQuery<postgres.Row[]> & { reject: (error: Error) => void };
  let refused!: (error: Error) => void;
  const failure = new Promise<never>((_, reject) => (refused = reject));
  failure.catch(() => {});
  const reject = query.reject;
  query.reject = (error) => {
    reject(error);
    refused(error);
  };
  const writable = await query.writable();
  const stored = finished(writable);
  stored.catch(() => {});
  for (const chunk of chunks) if (!writable.write(chunk)) await Promise.race([once(writable, 'drain'), failure]);
  writable.end();
  await Promise.race([stored, failure]);
}
