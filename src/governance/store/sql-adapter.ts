/**
 * One small SQL surface over both stores, so the governance tables are
 * written once: `?` placeholders (turned into `$n` for PostgreSQL), rows as
 * plain objects. Booleans are stored as 0/1 and times and money as BIGINT in
 * both, so rows map the same way (PostgreSQL returns BIGINT as a string).
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../../storage/sqlite.js';
import type { PostgresClient } from '../../storage/postgres.js';

export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

export interface SqlAdapter {
  readonly dialect: 'sqlite' | 'postgres';
  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export class SqliteAdapter implements SqlAdapter {
  readonly dialect = 'sqlite';
  private readonly statements = new Map<string, Statement<SqlValue[]>>();

  constructor(readonly database: SqliteDatabase) {}

  private statement(sql: string): Statement<SqlValue[]> {
    let found = this.statements.get(sql);
    if (!found) {
      found = this.database.prepare<SqlValue[]>(sql);
      this.statements.set(sql, found);
    }
    return found;
  }

  allSync(sql: string, params: readonly SqlValue[] = []): SqlRow[] {
    return this.statement(sql).all(...(params as SqlValue[])) as SqlRow[];
  }

  runSync(sql: string, params: readonly SqlValue[] = []): number {
    return this.statement(sql).run(...(params as SqlValue[])).changes;
  }

  async all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return this.allSync(sql, params);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.runSync(sql, params);
  }
}

/** `?` → `$1`, `$2`, ... (the governance SQL has no `?` inside string literals). */
export function numberPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${(index += 1)}`);
}

export class PostgresAdapter implements SqlAdapter {
  readonly dialect = 'postgres';
  private readonly converted = new Map<string, string>();

  constructor(readonly sql: PostgresClient) {}

  private text(sql: string): string {
    let found = this.converted.get(sql);
    if (found === undefined) {
      found = numberPlaceholders(sql);
      this.converted.set(sql, found);
    }
    return found;
  }

  async all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    const rows = await this.sql.unsafe(this.text(sql), params as SqlValue[]);
    return [...rows] as SqlRow[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const result = await this.sql.unsafe(this.text(sql), params as SqlValue[]);
    return result.count;
  }
}
