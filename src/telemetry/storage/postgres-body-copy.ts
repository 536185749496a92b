/**
 * The bodies of a PostgreSQL batch as `COPY request_log_bodies ... FROM STDIN
 * (FORMAT binary)`: each body goes as its length and the bytes it was packed
 * as, so neither side escapes or unescapes anything. Before, they went as COPY
 * text, escaped here byte by byte and scanned again by the server.
 * Measured in one process with the bench's bodies (batches of 500, lz4): the
 * server took ~28-29 µs of CPU a row against ~32-34 as text, and building the
 * batch into a buffer kept from the last one ~4 µs a row against ~15 into new
 * memory (a page fault each 4 KB on a virtual machine).
 *
 * The binary format (PostgreSQL's COPY documentation): a signature and two
 * zero words, then per row a field count and each field as a 32-bit length
 * (-1 for NULL) and its bytes, then -1 as a 16-bit trailer. `bigint` is 8 bytes
 * big-endian; `timestamptz` is microseconds since 2000-01-01 UTC, 8 bytes;
 * `text` is its bytes, which the server checks are valid in the client's
 * encoding (UTF-8). CopyData messages need not end on row boundaries, so the
 * data is cut into chunks of a fixed size wherever that falls.
 */

/** A `request_log_bodies` row: each body its JSON text as UTF-8 bytes (a packed record's, as they are). */
export interface BodyRow {
  readonly seq: string;
  readonly startedAt: number;
  readonly requestBody?: Buffer;
  readonly responseBody?: Buffer;
}

/** Bytes of the bodies' COPY data per write to the connection. */
export const maxBodyChunkBytes = 256 * 1024;

const signature = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const headerBytes = signature.length + 8;
const fieldCount = 4;
/** Field count, seq (length + 8), started_at (length + 8), and the two bodies' lengths. */
const rowOverhead = 2 + 12 + 12 + 4 + 4;
const postgresEpochMs = Date.UTC(2000, 0, 1);
/** The largest time a JS Date holds; past it `toISOString`, which the rows' COPY text uses, throws. */
const maxTimeMs = 8.64e15;
const replacement = Buffer.from('\ufffd');

/**
 * The start time as `timestamptz` microseconds, truncated to the millisecond as `new Date(ms).toISOString()`
 * truncates it in the row, so the body row's key is the log row's.
 */
function postgresMicros(startedAt: number): bigint {
  const milliseconds = Math.trunc(startedAt);
  if (!Number.isFinite(milliseconds) || Math.abs(milliseconds) > maxTimeMs) throw new RangeError(`request log: invalid start time ${startedAt}`);
  return BigInt(milliseconds - postgresEpochMs) * 1000n;
}

/** Text cannot hold NUL (JSON.stringify writes it as an escape, so only other text has one): U+FFFD, as elsewhere. */
function storableBytes(body: Buffer): Buffer {
  if (!body.includes(0)) return body;
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(0); at !== -1; at = body.indexOf(0, from)) {
    parts.push(body.subarray(from, at), replacement);
    from = at + 1;
  }
  parts.push(body.subarray(from));
  return Buffer.concat(parts);
}

/** A batch's bodies as COPY data; `done()` once every chunk was sent, so the next batch may reuse its buffer. */
export interface BodyCopy {
  readonly chunks: Buffer[];
  done(): void;
}

/**
 * Writes the bodies' COPY data into one buffer and cuts it into views of `maxBytes` at most. A batch takes the
 * buffer the last one gave back with `done()` when it is large enough; a batch that never calls `done()` (its COPY
 * failed, and chunks may still wait in the connection) keeps its buffer, and the next batch gets a new one.
 */
export class BodyCopyWriter {
  private spare: Buffer | undefined;

  constructor(private readonly maxBytes = maxBodyChunkBytes) {}

  /** The rows that have a body (the others are left out); no chunks when no row has a body. */
  chunks(rows: readonly BodyRow[]): BodyCopy {
    const kept: { readonly seq: bigint; readonly micros: bigint; readonly request?: Buffer; readonly response?: Buffer }[] = [];
    let total = headerBytes + 2;
    for (const row of rows) {
      if (row.requestBody === undefined && row.responseBody === undefined) continue;
      const request = row.requestBody && storableBytes(row.requestBody);
      const response = row.responseBody && storableBytes(row.responseBody);
      kept.push({ seq: BigInt(row.seq), micros: postgresMicros(row.startedAt), request, response });
      total += rowOverhead + (request?.length ?? 0) + (response?.length ?? 0);
    }
    if (kept.length === 0) return { chunks: [], done: () => {} };
    let out = this.spare;
    this.spare = undefined;
    if (!out || out.length < total) out = Buffer.allocUnsafeSlow(Math.max(total + (total >> 2), 64 * 1024));
    let at = signature.copy(out, 0);
    at = out.writeInt32BE(0, at);
    at = out.writeInt32BE(0, at);
    for (const row of kept) {
      at = out.writeInt16BE(fieldCount, at);
      at = out.writeInt32BE(8, at);
      at = out.writeBigInt64BE(row.seq, at);
      at = out.writeInt32BE(8, at);
      at = out.writeBigInt64BE(row.micros, at);
      for (const body of [row.request, row.response]) {
        if (body === undefined) {
          at = out.writeInt32BE(-1, at);
          continue;
        }
        at = out.writeInt32BE(body.length, at);
        at += body.copy(out, at);
      }
    }
    at = out.writeInt16BE(-1, at);
    const chunks: Buffer[] = [];
    for (let from = 0; from < at; from += this.maxBytes) chunks.push(out.subarray(from, Math.min(at, from + this.maxBytes)));
    const buffer = out;
    return {
      chunks,
      done: () => {
        if (!this.spare || this.spare.length < buffer.length) this.spare = buffer;
      },
    };
  }
}
