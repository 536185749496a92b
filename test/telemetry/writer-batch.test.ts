/** The writer thread's batch encoding: what arrives is what was sent, bodies with their records. */
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { decodeBatch, encodeBatch } from '../../src/telemetry/storage/writer-batch.js';
import { makeRecord } from './helpers.js';

describe('a batch for the writer thread', () => {
  it('decodes to the records it encoded, each with its own bodies, absent ones left absent', () => {
    const records = [
      makeRecord({ id: 'a', requestBody: '{"q":"é — 😀"}', responseBody: '{"a":"\\"quoted\\"\\n"}' }),
      makeRecord({ id: 'b', requestBody: undefined, responseBody: '{"only":"response"}' }),
      makeRecord({ id: 'c', requestBody: '{"only":"request"}', responseBody: undefined, errorCode: 'upstream_error', errorMessage: 'boom' }),
      makeRecord({ id: 'd', requestBody: undefined, responseBody: undefined, metadata: { 'x-tag': 'v' }, timeToFirstTokenMs: undefined }),
    ];
    const decoded = decodeBatch(encodeBatch(records));
    expect(decoded).toEqual(records);
    expect(decoded.map((record) => Object.hasOwn(record, 'requestBody'))).toEqual([true, false, true, false]);
    expect(decoded.map((record) => Object.hasOwn(record, 'responseBody'))).toEqual([true, true, false, false]);
  });

  it('refuses bytes whose bodies do not match its records', () => {
    expect(() => decodeBatch(serialize({ records: JSON.stringify([makeRecord()]), bodies: [null] }))).toThrow(/do not match/);
    expect(() => decodeBatch(Buffer.from('not a batch'))).toThrow();
  });
});
