/**
 * A batch of packed records (`packed-record.ts`) as it travels to the writer
 * thread: one buffer, transferred rather than copied. It starts with the
 * record count and then three byte lengths a record (fields, request body,
 * response body; `absent` for a missing body), followed by the bytes of each
 * record's three parts in that order. Encoding and decoding only copy or
 * slice bytes; the store parses each record's fields in its packed write,
 * which takes the bodies as bytes (`unpackRecord` for a store without one).
 *
 * Before, the records were `v8.serialize`d here, after their fields went to
 * one JSON text: ~6.5 µs a record on the main thread (~5 of it for two-byte
 * body strings), and the records stayed on the JS heap until then.
 *
 * The buffers go round: the thread sends each one back with its answer, and
 * the next batch is copied into it (`BatchBuffers`). Memory the process has
 * never touched is dear on a virtual machine (a page fault each 4 KB):
 * measured here, allocating and filling a fresh 1.2 MB batch took ~3.3-3.8 ms,
 * filling one that came back ~0.1 ms.
 */
import type { PackedRecord } from '../record/packed-record.js';

const absent = 0xffffffff;
const lengthsPerRecord = 3;

/** Buffers that came back from the thread, for the next batches (a few; the largest are kept). */
export class BatchBuffers {
  private readonly kept: ArrayBuffer[] = [];

  constructor(private readonly most = 4) {}

  /** A buffer of at least `bytes`: one that came back, or a new one with room to grow. */
  take(bytes: number): ArrayBuffer {
    const index = this.kept.findIndex((buffer) => buffer.byteLength >= bytes);
    if (index !== -1) return this.kept.splice(index, 1)[0]!;
    return new ArrayBuffer(Math.max(bytes + (bytes >> 2), 64 * 1024));
  }

  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0) return; // detached
    this.kept.push(buffer);
    this.kept.sort((a, b) => b.byteLength - a.byteLength);
    this.kept.length = Math.min(this.kept.length, this.most);
  }

  get size(): number {
    return this.kept.length;
  }
}

/** The batch as a view of its exact length, at the start of a buffer from `buffers` (or a new one). */
export function encodeBatch(records: readonly PackedRecord[], buffers?: BatchBuffers): Uint8Array<ArrayBuffer> {
  const headerWords = 1 + records.length * lengthsPerRecord;
  let total = headerWords * 4;
  for (const record of records) total += record.fields.length + (record.requestBody?.length ?? 0) + (record.responseBody?.length ?? 0);
  const bytes = new Uint8Array(buffers ? buffers.take(total) : new ArrayBuffer(total), 0, total);
  const header = new DataView(bytes.buffer, 0, headerWords * 4);
  header.setUint32(0, records.length, true);
  let offset = headerWords * 4;
  records.forEach((record, index) => {
    const parts = [record.fields, record.requestBody, record.responseBody];
    parts.forEach((part, slot) => {
      header.setUint32((1 + index * lengthsPerRecord + slot) * 4, part ? part.length : absent, true);
      if (!part) return;
      bytes.set(part, offset);
      offset += part.length;
    });
  });
  return bytes;
}

/** The packed records of a batch; their parts are views into `bytes`, not copies. */
export function decodeBatch(bytes: Uint8Array): PackedRecord[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 4) throw new Error('request log batch: too short for its header');
  const count = buffer.readUInt32LE(0);
  const headerBytes = (1 + count * lengthsPerRecord) * 4;
  if (headerBytes > buffer.length) throw new Error('request log batch: the header is longer than the batch');
  let offset = headerBytes;
  const take = (slot: number): Buffer | undefined => {
    const length = buffer.readUInt32LE(slot * 4);
    if (length === absent) return undefined;
    if (offset + length > buffer.length) throw new Error('request log batch: a record runs past the end of the batch');
    const part = buffer.subarray(offset, offset + length);
    offset += length;
    return part;
  };
  const records: PackedRecord[] = [];
  for (let index = 0; index < count; index += 1) {
    const first = 1 + index * lengthsPerRecord;
    const fields = take(first);
    if (!fields) throw new Error('request log batch: a record without fields');
    const requestBody = take(first + 1);
    const responseBody = take(first + 2);
    records.push({ fields, ...(requestBody ? { requestBody } : {}), ...(responseBody ? { responseBody } : {}) });
  }
  if (offset !== buffer.length) throw new Error('request log batch: bytes left over after its records');
  return records;
}
