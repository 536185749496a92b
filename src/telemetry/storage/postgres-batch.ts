/**
 * A batch of records as JSON text for PostgreSQL: one INSERT per chunk reads
 * the rows with `json_populate_recordset`, so a batch is two parameters
 * rather than ~40 per record. Each value arrives as the server would have
 * parsed it from a separate parameter:
 * - text, numbers and booleans as JSON scalars (the server's input functions
 *   read them), the start time as its ISO text;
 * - the jsonb columns and the bodies as nested JSON, reproduced as they are
 *   (a body's text is the one made when it was measured, `body-json.ts`).
 * Two things a separate parameter tolerated are kept as they were: a lone
 * UTF-16 surrogate in a text column is stored as U+FFFD (what UTF-8
 * encoding of the parameter did), and a non-finite number is sent as its
 * text (`NaN`), which double precision columns accept.
 */
import type { LogRecord } from '../record/log-record.js';
import { toColumns, type LogColumns } from './record-columns.js';

/**
 * JSON characters per statement, about 48 K. A statement's text and its
 * buffers then stay under V8's large-object size (128 KB for a two-byte
 * string) and the allocator's mmap threshold, so their memory is reused
 * instead of being mapped fresh for every batch; a batch of 500 records with
 * full bodies is a few dozen statements, pipelined on one connection.
 */
export const maxChunkChars = 48 * 1024;

export interface PostgresChunk {
  /** A JSON array of `request_log` rows (with `seq`). */
  readonly rows: string;
  /** A JSON array of `request_log_bodies` rows. */
  readonly bodies: string;
}

const jsonColumns = new Set<string>(['metadata', 'attempts', 'guardrails']);
/** JSON.stringify writes a lone surrogate as an escape (`\udXXX`); paired ones stay raw. */
const escapedSurrogate = /\\u[dD][89a-fA-F]/;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The columns with text columns well-formed and non-finite numbers as text: the rare slow path. */
function carefulColumns(columns: Record<string, unknown>): Record<string, unknown> {
  const careful: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(columns)) {
    if (typeof value === 'string' && !jsonColumns.has(name)) careful[name] = value.replace(loneSurrogate, '\ufffd');
    else if (typeof value === 'number' && !Number.isFinite(value)) careful[name] = String(value);
    else careful[name] = value;
  }
  return careful;
}

function hasNonFiniteNumber(columns: LogColumns): boolean {
  for (const value of Object.values(columns)) if (typeof value === 'number' && !Number.isFinite(value)) return true;
  return false;
}

/** One `request_log` row as JSON. */
export function rowJson(record: LogRecord, seq: string): string {
  const columns = toColumns(record);
  const row = { ...columns, seq, started_at: new Date(columns.started_at).toISOString() };
  const text = JSON.stringify(row);
  return escapedSurrogate.test(text) || hasNonFiniteNumber(columns) ? JSON.stringify(carefulColumns(row)) : text;
}

/** One `request_log_bodies` row as JSON, or undefined when the record has no body. */
export function bodiesJson(record: LogRecord, seq: string): string | undefined {
  if (record.requestBody === undefined && record.responseBody === undefined) return undefined;
  const request = record.requestBody === undefined ? 'null' : JSON.stringify(record.requestBody);
  const response = record.responseBody === undefined ? 'null' : JSON.stringify(record.responseBody);
  return `{"seq":${JSON.stringify(seq)},"started_at":${JSON.stringify(new Date(record.startedAt).toISOString())},"request_body":${request},"response_body":${response}}`;
}

/** The batch as chunks of JSON, in order, each at most about `maxChars` characters. */
export function toPostgresChunks(records: readonly LogRecord[], seqs: readonly string[], maxChars = maxChunkChars): PostgresChunk[] {
  const chunks: PostgresChunk[] = [];
  let rows: string[] = [];
  let bodies: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (rows.length > 0) chunks.push({ rows: `[${rows.join(',')}]`, bodies: `[${bodies.join(',')}]` });
    rows = [];
    bodies = [];
    size = 0;
  };
  records.forEach((record, index) => {
    const seq = seqs[index]!;
    const row = rowJson(record, seq);
    const body = bodiesJson(record, seq);
    const added = row.length + (body?.length ?? 0) + 2;
    if (rows.length > 0 && size + added > maxChars) flush();
    rows.push(row);
    if (body !== undefined) bodies.push(body);
    size += added;
  });
  flush();
  return chunks;
}
