/**
 * A batch of records as statement parameters for PostgreSQL, cheap to build
 * and to send (the client library copies every byte of a statement several
 * times, so few values and small statements matter):
 *
 * - The log rows go as JSON text, read by `json_populate_recordset`: one
 *   parameter per chunk of rows instead of ~40 per row. Text, numbers and
 *   booleans are JSON scalars the server's input functions read; the start
 *   time is its ISO text; the jsonb columns are nested JSON. Two things a
 *   separate parameter tolerated are kept: a lone UTF-16 surrogate in a text
 *   column is stored as U+FFFD (what UTF-8 encoding of the parameter did),
 *   and a non-finite number goes as its text (`NaN`), which double precision
 *   columns accept.
 * - The bodies stay one parameter each, as JSON text cast to jsonb, so the
 *   server parses each body once; they go in chunks of a bounded size.
 *
 * Chunks stay around 48 K characters (rows) and 256 K (bodies): their
 * buffers are then reused by the allocator rather than mapped fresh for
 * every batch.
 */
import type { LogRecord } from '../record/log-record.js';
import { toColumns, type LogColumns } from './record-columns.js';

/** JSON characters of log rows per statement. */
export const maxRowChunkChars = 48 * 1024;
/** Body characters per statement (a larger body goes alone). */
export const maxBodyChunkChars = 256 * 1024;

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

/** One `request_log` row (with its `seq`) as JSON. */
export function rowJson(record: LogRecord, seq: string): string {
  const columns = toColumns(record);
  const row = { ...columns, seq, started_at: new Date(columns.started_at).toISOString() };
  const text = JSON.stringify(row);
  return escapedSurrogate.test(text) || hasNonFiniteNumber(columns) ? JSON.stringify(carefulColumns(row)) : text;
}

/** The batch's rows as JSON arrays, in order, each about `maxChars` characters at most. */
export function toRowChunks(records: readonly LogRecord[], seqs: readonly string[], maxChars = maxRowChunkChars): string[] {
  const chunks: string[] = [];
  let rows: string[] = [];
  let size = 0;
  records.forEach((record, index) => {
    const row = rowJson(record, seqs[index]!);
    if (rows.length > 0 && size + row.length + 1 > maxChars) {
      chunks.push(`[${rows.join(',')}]`);
      rows = [];
      size = 0;
    }
    rows.push(row);
    size += row.length + 1;
  });
  if (rows.length > 0) chunks.push(`[${rows.join(',')}]`);
  return chunks;
}

/** A chunk of `request_log_bodies` rows: four parameters per row (seq, start, request, response). */
export interface BodyChunk {
  readonly count: number;
  readonly parameters: (string | null)[];
}

/** The bodies of the batch (records without any are left out), in order, in chunks of about `maxChars` characters. */
export function toBodyChunks(records: readonly LogRecord[], seqs: readonly string[], maxChars = maxBodyChunkChars): BodyChunk[] {
  const chunks: BodyChunk[] = [];
  let parameters: (string | null)[] = [];
  let size = 0;
  records.forEach((record, index) => {
    if (record.requestBody === undefined && record.responseBody === undefined) return;
    const request = record.requestBody === undefined ? null : JSON.stringify(record.requestBody);
    const response = record.responseBody === undefined ? null : JSON.stringify(record.responseBody);
    const added = (request?.length ?? 0) + (response?.length ?? 0);
    if (parameters.length > 0 && size + added > maxChars) {
      chunks.push({ count: parameters.length / 4, parameters });
      parameters = [];
      size = 0;
    }
    parameters.push(seqs[index]!, new Date(record.startedAt).toISOString(), request, response);
    size += added;
  });
  if (parameters.length > 0) chunks.push({ count: parameters.length / 4, parameters });
  return chunks;
}

/** The INSERT of `count` bodies: each body is text cast to jsonb, parsed once by the server. */
export function bodyInsertSql(count: number): string {
  const values = Array.from({ length: count }, (_, row) => {
    const at = row * 4;
    return `($${at + 1}::bigint, $${at + 2}::timestamptz, $${at + 3}::text::jsonb, $${at + 4}::text::jsonb)`;
  });
  return `INSERT INTO request_log_bodies (seq, started_at, request_body, response_body) VALUES ${values.join(', ')}`;
}
