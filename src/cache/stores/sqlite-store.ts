/**
 * The persistent store: entries in the gateway's SQLite file, their vectors
 * in sqlite-vec `vec0` tables (one per dimension count, rowid = the entry's
 * id), so the semantic index is rebuilt from disk after a restart. Bounded by
 * `max_entries` (the oldest go first) and swept of expired entries on a timer.
 * better-sqlite3 is synchronous and local: a read costs tens of microseconds.
 */
import * as sqliteVec from 'sqlite-vec';
import type { SqliteDatabase } from '../../storage/sqlite.js';
import { migrateSqlite } from '../../storage/sqlite.js';
import { entryFromParts, entryMeta, entryMetaSchema, type CacheEntry } from '../cache-entry.js';
import { bufferToVector, vectorToBuffer } from '../index/vector-math.js';
import type { CacheStore, EntryRef, PurgeFilter, RemovedListener, SemanticRecord, StoreSize } from './cache-store.js';

const migrations = [
  `CREATE TABLE cache_entries (
     id INTEGER PRIMARY KEY,
     namespace TEXT NOT NULL,
     key TEXT NOT NULL,
     route TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     bytes INTEGER NOT NULL,
     dimensions INTEGER,
     meta TEXT NOT NULL,
     completion TEXT NOT NULL,
     UNIQUE (namespace, key)
   );
   CREATE INDEX cache_entries_expires_at ON cache_entries (expires_at);
   CREATE INDEX cache_entries_created_at ON cache_entries (created_at);
   CREATE INDEX cache_entries_route ON cache_entries (route);`,
];

interface EntryRow {
  id: number;
  namespace: string;
  key: string;
  expires_at: number;
  dimensions: number | null;
  meta: string;
  completion: string;
}

interface RefRow {
  id: number;
  namespace: string;
  key: string;
  dimensions: number | null;
}

export interface SqliteStoreOptions {
  readonly database: SqliteDatabase;
  readonly maxEntries: number;
  readonly clock: () => number;
  readonly onRemoved: RemovedListener;
}

export class SqliteStore implements CacheStore {
  readonly kind = 'sqlite';
  private readonly database: SqliteDatabase;
  private readonly vectorTables = new Set<number>();
  /** Rows in cache_entries, kept here so inserts need no COUNT(*). */
  private rowCount: number;

  constructor(private readonly options: SqliteStoreOptions) {
    this.database = options.database;
    sqliteVec.load(this.database);
    migrateSqlite(this.database, 'cache', migrations);
    const tables = this.database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'cache_vectors_%'").pluck().all() as string[];
    for (const name of tables) {
      const dimensions = Number(/^cache_vectors_(\d+)$/.exec(name)?.[1]);
      if (Number.isInteger(dimensions) && dimensions > 0) this.vectorTables.add(dimensions);
    }
    this.rowCount = this.database.prepare('SELECT COUNT(*) FROM cache_entries').pluck().get() as number;
  }

  get(namespace: string, key: string): Promise<CacheEntry | undefined> {
    const row = this.database.prepare('SELECT id, namespace, key, expires_at, dimensions, meta, completion FROM cache_entries WHERE namespace = ? AND key = ?').get(namespace, key) as EntryRow | undefined;
    if (!row) return Promise.resolve(undefined);
    if (row.expires_at <= this.options.clock()) {
      this.removeRows([row]);
      this.options.onRemoved([{ namespace, key }]);
      return Promise.resolve(undefined);
    }
    const vector = row.dimensions === null ? undefined : this.vectorOf(row.id, row.dimensions);
    return Promise.resolve(entryFromParts(row.meta, row.completion, vector));
  }

  set(entry: CacheEntry): Promise<void> {
    const completion = JSON.stringify(entry.completion);
    const dimensions = entry.semantic?.vector.length ?? null;
    if (dimensions !== null) this.ensureVectorTable(dimensions);
    const evicted = this.database.transaction((): RefRow[] => {
      const previous = this.database.prepare('SELECT id, namespace, key, dimensions FROM cache_entries WHERE namespace = ? AND key = ?').all(entry.namespace, entry.key) as RefRow[];
      this.removeRows(previous);
      const inserted = this.database
        .prepare('INSERT INTO cache_entries (namespace, key, route, created_at, expires_at, bytes, dimensions, meta, completion) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(entry.namespace, entry.key, entry.route, entry.createdAt, entry.expiresAt, entry.bytes, dimensions, JSON.stringify(entryMeta(entry)), completion);
      this.rowCount += 1;
      if (entry.semantic) {
        this.database.prepare(`INSERT INTO cache_vectors_${dimensions} (rowid, embedding) VALUES (?, ?)`).run(BigInt(inserted.lastInsertRowid), vectorToBuffer(entry.semantic.vector));
      }
      if (this.rowCount <= this.options.maxEntries) return [];
      const oldest = this.database.prepare('SELECT id, namespace, key, dimensions FROM cache_entries ORDER BY created_at, id LIMIT ?').all(this.rowCount - this.options.maxEntries) as RefRow[];
      this.removeRows(oldest);
      return oldest;
    })();
    if (evicted.length > 0) this.options.onRemoved(evicted.map(({ namespace, key }) => ({ namespace, key })));
    return Promise.resolve();
  }

  delete(namespace: string, key: string): Promise<boolean> {
    const rows = this.database.prepare('SELECT id, namespace, key, dimensions FROM cache_entries WHERE namespace = ? AND key = ?').all(namespace, key) as RefRow[];
    this.database.transaction(() => this.removeRows(rows))();
    return Promise.resolve(rows.length > 0);
  }

  purge(filter: PurgeFilter): Promise<EntryRef[]> {
    const conditions: string[] = [];
    const values: (string | number)[] = [];
    if (filter.namespace !== undefined) {
      conditions.push('namespace = ?');
      values.push(filter.namespace);
    }
    if (filter.route !== undefined) {
      conditions.push('route = ?');
      values.push(filter.route);
    }
    if (filter.createdBefore !== undefined) {
      conditions.push('created_at < ?');
      values.push(filter.createdBefore);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return Promise.resolve(this.removeWhere(where, values));
  }

  sweep(): Promise<EntryRef[]> {
    return Promise.resolve(this.removeWhere('WHERE expires_at <= ?', [this.options.clock()]));
  }

  async *semanticRecords(): AsyncIterable<SemanticRecord> {
    const now = this.options.clock();
    for (const dimensions of this.vectorTables) {
      const rows = this.database
        .prepare(`SELECT e.meta AS meta, v.embedding AS embedding FROM cache_entries e JOIN cache_vectors_${dimensions} v ON v.rowid = e.id WHERE e.dimensions = ? AND e.expires_at > ?`)
        .iterate(dimensions, now) as IterableIterator<{ meta: string; embedding: Buffer }>;
      for (const row of rows) {
        const meta = entryMetaSchema.safeParse(JSON.parse(row.meta));
        if (!meta.success || !meta.data.semantic) continue;
        yield { namespace: meta.data.namespace, key: meta.data.key, contextHash: meta.data.semantic.contextHash, vector: bufferToVector(row.embedding), expiresAt: meta.data.expiresAt };
      }
    }
  }

  size(): Promise<StoreSize> {
    const row = this.database.prepare('SELECT COUNT(*) AS entries, COALESCE(SUM(bytes), 0) AS bytes FROM cache_entries').get() as StoreSize;
    return Promise.resolve({ entries: row.entries, bytes: row.bytes });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private vectorOf(id: number, dimensions: number): Float32Array | undefined {
    if (!this.vectorTables.has(dimensions)) return undefined;
    const embedding = this.database.prepare(`SELECT embedding FROM cache_vectors_${dimensions} WHERE rowid = ?`).pluck().get(BigInt(id)) as Buffer | undefined;
    return embedding ? bufferToVector(embedding) : undefined;
  }

  private ensureVectorTable(dimensions: number): void {
    if (this.vectorTables.has(dimensions)) return;
    this.database.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS cache_vectors_${dimensions} USING vec0(embedding float[${dimensions}])`);
    this.vectorTables.add(dimensions);
  }

  private removeRows(rows: readonly RefRow[]): void {
    const deleteEntry = this.database.prepare('DELETE FROM cache_entries WHERE id = ?');
    for (const row of rows) {
      this.rowCount -= deleteEntry.run(row.id).changes;
      if (row.dimensions !== null && this.vectorTables.has(row.dimensions)) this.database.prepare(`DELETE FROM cache_vectors_${row.dimensions} WHERE rowid = ?`).run(BigInt(row.id));
    }
  }

  private removeWhere(where: string, values: readonly (string | number)[]): EntryRef[] {
    return this.database.transaction((): EntryRef[] => {
      const rows = this.database.prepare(`SELECT id, namespace, key, dimensions FROM cache_entries ${where}`).all(...values) as RefRow[];
      this.removeRows(rows);
      return rows.map(({ namespace, key }) => ({ namespace, key }));
    })();
  }
}
