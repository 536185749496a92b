/**
 * Day partitions of the log tables: `request_log_p20250131` holds the UTC day
 * 2025-01-31. Partitions are created before a batch that needs them (and a
 * few days ahead by maintenance), under an advisory lock so instances don't
 * race; retention drops every partition whose day ended before the cut-off.
 */
import type { PostgresClient } from '../../storage/postgres.js';
import { partitionedTables } from './postgres-schema.js';

const dayMs = 86_400_000;
const partitionLockId = 0x5359_4c47; // constant for every instance

export function dayStart(milliseconds: number): number {
  return Math.floor(milliseconds / dayMs) * dayMs;
}

export function partitionName(table: string, day: number): string {
  return `${table}_p${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The day a partition name stands for, or undefined for another table. */
export function partitionDay(table: string, name: string): number | undefined {
  const match = new RegExp(`^${table}_p(\\d{4})(\\d{2})(\\d{2})$`).exec(name);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : undefined;
}

export interface PartitionManager {
  /** Creates the partitions of these days (epoch ms of any moment in them) that do not exist yet. */
  ensure(moments: readonly number[]): Promise<void>;
  /** Partition names of one table, in the current schema. */
  list(table: string): Promise<string[]>;
  /** Drops the partitions of days that ended at or before `cutoff`; returns their names. */
  dropEndedBefore(cutoff: number): Promise<string[]>;
}

export function createPartitionManager(sql: PostgresClient): PartitionManager {
  const known = new Set<number>();

  async function list(table: string): Promise<string[]> {
    const rows = await sql<{ name: string }[]>`
      SELECT child.relname AS name FROM pg_inherits
      JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
      JOIN pg_class child ON child.oid = pg_inherits.inhrelid
      JOIN pg_namespace namespace ON namespace.oid = parent.relnamespace
      WHERE parent.relname = ${table} AND namespace.nspname = current_schema()
      ORDER BY child.relname`;
    return rows.map((row) => row.name);
  }

  return {
    list,
    async ensure(moments) {
      const missing = [...new Set(moments.map(dayStart))].filter((day) => !known.has(day));
      if (missing.length === 0) return;
      await sql.begin(async (transaction) => {
        await transaction`SELECT pg_advisory_xact_lock(${partitionLockId})`;
        for (const day of missing) {
          for (const table of partitionedTables) {
            const from = new Date(day).toISOString();
            const to = new Date(day + dayMs).toISOString();
            await transaction.unsafe(`CREATE TABLE IF NOT EXISTS "${partitionName(table, day)}" PARTITION OF ${table} FOR VALUES FROM ('${from}') TO ('${to}')`);
          }
        }
      });
      for (const day of missing) known.add(day);
    },
    async dropEndedBefore(cutoff) {
      const dropped: string[] = [];
      await sql.begin(async (transaction) => {
        await transaction`SELECT pg_advisory_xact_lock(${partitionLockId})`;
        for (const table of partitionedTables) {
          for (const name of await list(table)) {
            const day = partitionDay(table, name);
            if (day === undefined || day + dayMs > cutoff) continue;
            await transaction.unsafe(`DROP TABLE IF EXISTS "${name}"`);
            known.delete(day);
            dropped.push(name);
          }
        }
      });
      return dropped;
    },
  };
}
