/** Packed records and the writer thread's batches: what arrives is what was sent, bodies with their records. */
import { describe, expect, it } from 'vitest';
import { packRecord, unpackFields, unpackRecord } from '../../src/telemetry/record/packed-record.js';
import { BatchBuffers, decodeBatch, encodeBatch } from '../../src/telemetry/storage/writer-batch.js';
import { makeRecord } from './helpers.js';

const records = [
  makeRecord({ id: 'a', requestBody: '{"q":"é — 😀"}', responseBody: '{"a":"\\"quoted\\"\\n"}' }),
  makeRecord({ id: 'b', requestBody: undefined, responseBody: '{"only":"response"}' }),
  makeRecord({ id: 'c', requestBody: '{"only":"request"}', responseBody: undefined, errorCode: 'upstream_error', errorMessage: 'boom' }),
  makeRecord({ id: 'd', requestBody: undefined, responseBody: undefined, metadata: { 'x-tag': 'v' }, timeToFirstTokenMs: undefined }),
  makeRecord({ id: 'e', requestBody: '', responseBody: '' }),
];

describe('a packed record', () => {
  it('unpacks to the record it packed, absent bodies left absent', () => {
    const unpacked = records.map((record) => unpackRecord(packRecord(record)));
    expect(unpacked).toEqual(records);
    expect(unpacked.map((record) => Object.hasOwn(record, 'requestBody'))).toEqual([true, false, true, false, true]);
    expect(unpacked.map((record) => Object.hasOwn(record, 'responseBody'))).toEqual([true, true, false, false, true]);
  });

  it('keeps its bodies as UTF-8 bytes, and its fields without them', () => {
    const packed = packRecord(records[0]!);
    expect(packed.requestBody).toEqual(Buffer.from('{"q":"é — 😀"}', 'utf8'));
    const { requestBody: _request, responseBody: _response, ...fields } = records[0]!;
    expect(unpackFields(packed)).toEqual(fields);
    expect(Object.hasOwn(unpackFields(packed), 'requestBody')).toBe(false);
  });

  it('takes the bytes the answer was sent as when its body is that text, and encodes any other text itself', () => {
    const text = '{"answer":"déjà vu"}';
    const sent = Buffer.from(text);
    expect(packRecord(makeRecord({ responseBody: text }), { text, bytes: sent }).responseBody).toBe(sent);
    const cleaned = packRecord(makeRecord({ responseBody: '{"answer":"[REDACTED]"}' }), { text, bytes: sent });
    expect(cleaned.responseBody).not.toBe(sent);
    expect(cleaned.responseBody?.toString()).toBe('{"answer":"[REDACTED]"}');
  });

  it('throws for a record JSON cannot write', () => {
    expect(() => packRecord(makeRecord({ metadata: { big: 1n as unknown as string } }))).toThrow(/BigInt/);
  });
});

describe('a batch for the writer thread', () => {
  it('decodes to the packed records it encoded, each with its own parts', () => {
    const packed = records.map((record) => packRecord(record));
    const decoded = decodeBatch(encodeBatch(packed));
    expect(decoded).toEqual(packed);
    expect(decoded.map(unpackRecord)).toEqual(records);
    expect(decodeBatch(encodeBatch([]))).toEqual([]);
  });

  it('refuses bytes that are not a whole batch', () => {
    const bytes = encodeBatch(records.map((record) => packRecord(record)));
    expect(() => decodeBatch(bytes.subarray(0, 2))).toThrow(/too short/);
    expect(() => decodeBatch(bytes.subarray(0, 12))).toThrow(/header is longer/);
    expect(() => decodeBatch(bytes.subarray(0, bytes.length - 1))).toThrow(/runs past the end/);
    expect(() => decodeBatch(Buffer.concat([bytes, Buffer.from('x')]))).toThrow(/left over/);
    const withoutFields = Buffer.from(bytes);
    withoutFields.writeUInt32LE(0xffffffff, 4);
    expect(() => decodeBatch(withoutFields)).toThrow(/without fields/);
  });

  it('is copied into a buffer that came back when one is large enough, as a view of its own length', () => {
    const buffers = new BatchBuffers(2);
    const packed = records.map((record) => packRecord(record));
    const first = encodeBatch(packed, buffers);
    expect(first.buffer.byteLength).toBeGreaterThan(first.byteLength);
    const stale = first.buffer;
    new Uint8Array(stale).fill(0xff);
    buffers.give(stale);
    const second = encodeBatch(packed.slice(0, 2), buffers);
    expect(second.buffer).toBe(stale);
    expect(second.byteOffset).toBe(0);
    expect(decodeBatch(second)).toEqual(packed.slice(0, 2));
    // Too small a buffer is left for later; a new one is made.
    buffers.give(new ArrayBuffer(8));
    expect(encodeBatch(packed, buffers).buffer.byteLength).toBeGreaterThan(8);
    expect(buffers.size).toBe(1);
  });

  it('keeps only the largest few buffers, and none that was detached', () => {
    const buffers = new BatchBuffers(2);
    for (const size of [10, 40, 20, 30]) buffers.give(new ArrayBuffer(size));
    expect(buffers.size).toBe(2);
    expect(buffers.take(35).byteLength).toBe(40);
    expect(buffers.take(25).byteLength).toBe(30);
    const detached = new ArrayBuffer(16);
    structuredClone(detached, { transfer: [detached] });
    buffers.give(detached);
    expect(buffers.size).toBe(0);
  });
});
