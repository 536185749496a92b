/**
 * A batch of records for PostgreSQL. The log rows go as the text of
 * `COPY ... FROM STDIN` (PostgreSQL's text format: fields split by tabs, rows
 * by newlines, `\N` for NULL, backslash escapes), the server's cheapest way
 * in: measured, ~28 µs of server CPU a row against ~68 for an INSERT reading
 * the rows from one JSON parameter. The bodies go by binary COPY, as the
 * bytes they were packed as (`postgres-body-copy.ts`).
 *
 * Text the server cannot store would fail the whole batch, and every retry of
 * it, so it is made storable here instead, with U+FFFD in place of:
 * - NUL, which neither text nor jsonb can hold;
 * - a lone UTF-16 surrogate, which UTF-8 cannot encode (in text columns the
 *   client's UTF-8 encoding already does this; in JSON it would arrive as a
 *   `\udXXX` escape, which jsonb refuses).
 * The bodies are JSON text stored as text: there NUL and lone surrogates are
 * escapes (`JSON.stringify` writes them so), which text holds as they are.
 * (`postgres-body-copy.ts` makes a raw NUL in other text U+FFFD too.)
 * A non-finite number goes as its text (`NaN`, `Infinity`), which double
 * precision columns accept.
 */
import type { LogRecord } from '../record/log-record.js';
import { logColumnNames, toColumns } from './record-columns.js';

/** Characters of COPY text per write to the connection. */
export const maxCopyChunkChars = 256 * 1024;

export const rowCopyColumns = ['seq', ...logColumnNames] as const;

const copyEscapes = /[\\\n\r\t]/;
const copyEscapesAll = /[\\\n\r\t]/g;
const escapeOf: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** JSON.stringify writes NUL and lone surrogates as escapes; paired surrogates stay raw. A false match only costs the careful path. */
const unstorableEscape = /\\u(?:0000|[dD][89a-fA-F])/;

/** A string the server can store: NUL and lone surrogates become U+FFFD. */
export function storableText(text: string): string {
  return text.replaceAll('\0', '\ufffd').replace(loneSurrogate, '\ufffd');
}

/** A copy of a JSON value with every string (keys too) storable. */
function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[storableText(key)] = storableJson(item);
    return copy;
  }
  return value;
}

/** JSON text as jsonb accepts it: parsed and written again only when it holds an escape jsonb refuses. */
function storableJsonOfText(text: string): string {
  return unstorableEscape.test(text) ? JSON.stringify(storableJson(JSON.parse(text))) : text;
}

/** A value as JSON text that jsonb accepts. */
export function storableJsonText(value: unknown): string {
  return storableJsonOfText(JSON.stringify(value));
}

function escaped(text: string): string {
  return copyEscapes.test(text) ? text.replace(copyEscapesAll, (character) => escapeOf[character]!) : text;
}

/** One value as a COPY text field. Text columns get `storableText` where the client's UTF-8 encoding does not do it. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  switch (typeof value) {
    case 'string':
      return escaped(value.includes('\0') ? storableText(value) : value);
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      return escaped(storableJsonText(value));
  }
}

/** Rows of COPY text in chunks of about `maxChars` characters (a longer row goes alone). */
function chunked(rows: Iterable<string>, maxChars: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const row of rows) {
    if (current.length > 0 && current.length + row.length > maxChars) {
      chunks.push(current);
      current = '';
    }
    current += row;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** One `request_log` row (with its `seq`) as a line of COPY text, in `rowCopyColumns` order. */
export function rowCopyLine(record: LogRecord, seq: string): string {
  const columns = toColumns(record) as unknown as Record<string, unknown>;
  columns.started_at = new Date(record.startedAt).toISOString();
  let line = seq;
  for (const name of logColumnNames) line += `\t${copyField(columns[name])}`;
  return `${line}\n`;
}

/** The batch's `request_log` rows as COPY text, in order. */
export function rowCopyChunks(records: readonly LogRecord[], seqs: readonly string[], maxChars = maxCopyChunkChars): string[] {
  return chunked(
    records.map((record, index) => rowCopyLine(record, seqs[index]!)),
    maxChars,
  );
}
