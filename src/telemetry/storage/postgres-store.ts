/**
 * The PostgreSQL sink (used when DATABASE_URL is set). A batch is one
 * transaction: sequence numbers are taken first, then the rows and the bodies
 * are sent with them (both by COPY: `postgres-batch.ts`, and `postgres-body-copy.ts` for the bodies, as the
 * bytes a packed record carries, never decoded into strings). Day partitions are
 * created before the batch needs them; retention drops whole partitions.
 */
import { copyIn, migratePostgres, type PostgresClient } from '../../storage/postgres.js';
import { decodeCursor, encodeCursor } from '../query/cursor.js';
import type { AnalyticsBucket, LogDetail, LogPage } from '../query/log-row-schema.js';
import { bucketSizes, groupColumns, type AnalyticsQuery, type LogQuery } from '../query/query-schema.js';
import type { LogRecord } from '../record/log-record.js';
import { unpackFields } from '../record/packed-record.js';
import { analyticsSelect, toAnalyticsBucket, type AnalyticsRow } from './analytics-sql.js';
import { buildWhere, type SqlDialect } from './filter-sql.js';
import type { LogStore, MaintenanceReport } from './log-store.js';
import { rowCopyChunks, rowCopyColumns } from './postgres-batch.js';
import { BodyCopyWriter, type BodyRow } from './postgres-body-copy.js';
import { createPartitionManager, type PartitionManager } from './postgres-partitions.js';
import { postgresMigrations } from './postgres-schema.js';
import { logColumnNames, rowColumnNames, toLogRow, type LogColumns } from './record-columns.js';

const dayMs = 86_400_000;
/** Days ahead whose partitions maintenance creates. */
const daysAhead = 2;
const copyRows = `COPY request_log (${rowCopyColumns.join(', ')}) FROM STDIN`;
const copyBodies = 'COPY request_log_bodies (seq, started_at, request_body, response_body) FROM STDIN (FORMAT binary)';

/** A body of a record replayed from the spill, as the bytes a packed record would carry. */
function bytesOf(text: string | undefined): Buffer | undefined {
  return text === undefined ? undefined : Buffer.from(text);
}

const dialect: SqlDialect = {
  placeholder: (index) => `$${index + 1}`,
  time: (milliseconds) => new Date(milliseconds).toISOString(),
  timeCast: '::timestamptz',
  // The client serializes the object for the jsonb parameter itself.
  metadata: (pairs, add) => [`metadata @> ${add(Object.fromEntries(pairs))}::jsonb`],
};

type StoredRow = Record<string, unknown> & { seq: string | number; started_at: Date };

function fromStored(row: StoredRow): LogColumns {
  const columns: Record<string, unknown> = { ...row, started_at: row.started_at.getTime() };
  for (const name of ['prompt_tokens', 'completion_tokens', 'cached_tokens', 'reasoning_tokens'] as const) {
    if (columns[name] !== null && columns[name] !== undefined) columns[name] = Number(columns[name]);
  }
  return columns as unknown as LogColumns;
}

export interface PostgresStoreOptions {
  readonly retentionDays: number;
}

export interface PostgresStore extends LogStore {
  readonly partitions: PartitionManager;
}

export async function createPostgresStore(sql: PostgresClient, options: PostgresStoreOptions): Promise<PostgresStore> {
  await migratePostgres(sql, 'telemetry', postgresMigrations);
  const partitions = createPartitionManager(sql);
  const selectColumns = ['seq', ...rowColumnNames].join(', ');
  const bodyCopy = new BodyCopyWriter();

  /** One transaction: the rows, then the bodies (`bodiesOf` each record's, as bytes), both by COPY. */
  async function writeBatch(records: readonly LogRecord[], bodiesOf: (record: LogRecord, index: number) => Pick<BodyRow, 'requestBody' | 'responseBody'>): Promise<void> {
    if (records.length === 0) return;
    await partitions.ensure(records.map((record) => record.startedAt));
    await sql.begin(async (transaction) => {
      const seqs = (await transaction<{ seq: string }[]>`SELECT nextval('request_log_seq') AS seq FROM generate_series(1, ${records.length})`).map((row) => row.seq);
      await copyIn(transaction, copyRows, rowCopyChunks(records, seqs));
      const bodies = bodyCopy.chunks(records.map((record, index) => ({ seq: seqs[index]!, startedAt: record.startedAt, ...bodiesOf(record, index) })));
      if (bodies.chunks.length === 0) return;
      await copyIn(transaction, copyBodies, bodies.chunks);
      // Only a COPY that finished has sent every chunk: then the next batch may write over them.
      bodies.done();
    });
  }

  return {
    name: 'postgres',
    partitions,

    write: (records) => writeBatch(records, (record) => ({ requestBody: bytesOf(record.requestBody), responseBody: bytesOf(record.responseBody) })),
    // The bodies go on as the bytes they were packed as; only the fields are parsed.
    writePacked: (packed) => writeBatch(packed.map(unpackFields), (_record, index) => ({ requestBody: packed[index]!.requestBody, responseBody: packed[index]!.responseBody })),

    async list(query: LogQuery): Promise<LogPage> {
      const where = buildWhere(query.filter, dialect, query.cursor ? decodeCursor(query.cursor) : undefined);
      const rows = (await sql.unsafe(`SELECT ${selectColumns} FROM request_log ${where.sql} ORDER BY started_at DESC, seq DESC LIMIT ${query.limit + 1}`, where.params as never[])) as unknown as StoredRow[];
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const next = rows.length > query.limit && last ? encodeCursor({ startedAt: last.started_at.getTime(), seq: Number(last.seq) }) : null;
      return { data: page.map((row) => toLogRow(fromStored(row))), next_cursor: next };
    },

    async get(id: string): Promise<LogDetail | undefined> {
      const [row] = (await sql.unsafe(`SELECT seq, ${logColumnNames.join(', ')} FROM request_log WHERE id = $1 ORDER BY started_at DESC, seq DESC LIMIT 1`, [id])) as unknown as StoredRow[];
      if (!row) return undefined;
      const columns = fromStored(row);
      const [bodies] = await sql<{ request_body: string | null; response_body: string | null }[]>`SELECT request_body, response_body FROM request_log_bodies WHERE started_at = ${row.started_at} AND seq = ${row.seq}`;
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
      const group = query.groupBy ? groupColumns[query.groupBy] : 'NULL::text';
      const bucket = `(floor(extract(epoch FROM started_at) * 1000 / ${size}) * ${size})::bigint`;
      const text = `SELECT ${bucket} AS bucket_start, ${group} AS grp, ${analyticsSelect('ordered')} FROM request_log ${where.sql} GROUP BY 1, 2 ORDER BY 1, 2`;
      const rows = (await sql.unsafe(text, where.params as never[])) as unknown as AnalyticsRow[];
      return rows.map((row) => toAnalyticsBucket(row, Number(row.bucket_start)));
    },

    async maintain(now: number): Promise<MaintenanceReport> {
      await partitions.ensure(Array.from({ length: daysAhead + 1 }, (_, offset) => now + offset * dayMs));
      const droppedPartitions = await partitions.dropEndedBefore(now - options.retentionDays * dayMs);
      return { removedRecords: 0, droppedPartitions };
    },
  };
}
