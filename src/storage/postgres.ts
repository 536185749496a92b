/**
 * The shared store: PostgreSQL (DATABASE_URL) through the `postgres` client.
 * Migrations are numbered per subsystem and applied at start-up under an
 * advisory lock, so several instances starting together don't race.
 */
import postgres from 'postgres';

export type PostgresClient = postgres.Sql;

export function connectPostgres(url: string, options: { max?: number } = {}): PostgresClient {
  return postgres(url, { max: options.max ?? 10, onnotice: () => {}, idle_timeout: 30, connect_timeout: 10 });
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
