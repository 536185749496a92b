/**
 * A record as it waits in the log's queue: its fields as JSON and its two
 * bodies, each as UTF-8 bytes.
 *
 * Records wait for their batch for a few hundred milliseconds, long enough to
 * live through several young-generation collections, each of which copies
 * every live object. Measured with `--trace-gc` on the JSON bench load with
 * full bodies to SQLite: scavenges took ~7 ms instead of ~2.7 ms with the log
 * off, some 30 µs a request of main-thread time. Bytes in a Buffer live
 * outside the JS heap and are not copied, so a packed record leaves the
 * collector four small objects instead of its field objects and two
 * (often two-byte) body strings. The packing is also most of the work of the
 * writer thread's batch encoding (`writer-batch.ts`), done once, here.
 */
import type { LogRecord } from './log-record.js';

export interface PackedRecord {
  /** `JSON.stringify` of the record without its bodies. */
  readonly fields: Buffer;
  readonly requestBody?: Buffer;
  readonly responseBody?: Buffer;
}

/** A text whose UTF-8 bytes the caller already has (the answer as it was sent). */
export interface KnownBytes {
  readonly text: string;
  readonly bytes: Buffer;
}

/**
 * Throws what `JSON.stringify` throws for a record it cannot write (a BigInt, a cycle). A response body that
 * is `known.text` is taken as `known.bytes` rather than encoded again.
 *
 * The fields are the record's JSON with its two bodies set to undefined for the call (which JSON leaves out),
 * then put back: copying the record without them (`{ requestBody, responseBody, ...fields }`) took ~4 µs a
 * request of the main thread under load, a third of this function. Nothing runs in between that could see it.
 */
export function packRecord(record: LogRecord, known?: KnownBytes): PackedRecord {
  const { requestBody, responseBody } = record;
  // Only the keys it has: one it lacks would be added, and stay.
  if (requestBody !== undefined) record.requestBody = undefined;
  if (responseBody !== undefined) record.responseBody = undefined;
  let fields: string;
  try {
    fields = JSON.stringify(record);
  } finally {
    if (requestBody !== undefined) record.requestBody = requestBody;
    if (responseBody !== undefined) record.responseBody = responseBody;
  }
  return {
    fields: Buffer.from(fields),
    ...(requestBody === undefined ? {} : { requestBody: Buffer.from(requestBody) }),
    ...(responseBody === undefined ? {} : { responseBody: known?.text === responseBody ? known.bytes : Buffer.from(responseBody) }),
  };
}

/** The record without its bodies, which a store may take as they are. */
export function unpackFields(packed: PackedRecord): LogRecord {
  return JSON.parse(packed.fields.toString()) as LogRecord;
}

/** The record `packRecord` was given, as JSON sees it (keys holding undefined are gone). */
export function unpackRecord(packed: PackedRecord): LogRecord {
  const record = unpackFields(packed);
  if (packed.requestBody) record.requestBody = packed.requestBody.toString();
  if (packed.responseBody) record.responseBody = packed.responseBody.toString();
  return record;
}
