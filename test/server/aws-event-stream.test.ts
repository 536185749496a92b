import { describe, expect, it } from 'vitest';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { GatewayError } from '../../src/api/errors.js';
import type { UpstreamEvent } from '../../src/providers/contract.js';
import { decodeAwsEventStream } from '../../src/server/aws-event-stream.js';
import { encodeEventFrame, encodeExceptionFrame } from '../mocks/bedrock-mock.js';
import { fixtureChunks } from '../mocks/mock-server.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

async function* pieces(bytes: Uint8Array, sizes: number[] | number): AsyncGenerator<Buffer> {
  let offset = 0;
  let turn = 0;
  while (offset < bytes.byteLength) {
    const size = typeof sizes === 'number' ? sizes : sizes[turn++ % sizes.length];
    yield Buffer.from(bytes.subarray(offset, offset + size));
    offset += size;
  }
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<UpstreamEvent[]> {
  const events: UpstreamEvent[] = [];
  for await (const event of decodeAwsEventStream(source, 'aws')) events.push(event);
  return events;
}

async function failure(source: AsyncIterable<Uint8Array>): Promise<{ error: GatewayError; events: UpstreamEvent[] }> {
  const events: UpstreamEvent[] = [];
  try {
    for await (const event of decodeAwsEventStream(source, 'aws')) events.push(event);
  } catch (error) {
    if (error instanceof GatewayError) return { error, events };
    throw error;
  }
  throw new Error('expected a GatewayError');
}

const lines = fixtureChunks('amazon-bedrock/amazon-bedrock-tool-call.1.chunks.txt') as Array<Record<string, unknown>>;
const expected = lines.map((line) => {
  const [type, data] = Object.entries(line)[0];
  return { type, data };
});
const stream = Buffer.concat(lines.map((line) => encodeEventFrame(line, false)));

describe('aws event-stream decoder', () => {
  it('decodes whole frames into { type: :event-type, data: JSON payload }', async () => {
    expect(await collect(pieces(stream, stream.byteLength))).toEqual(expected);
  });

  it.each([[1], [3], [7], [13], [[5, 1, 40, 2, 200]]])('decodes frames split into pieces of %j bytes', async (sizes) => {
    expect(await collect(pieces(stream, sizes))).toEqual(expected);
  });

  it('keeps padding fields in the payload (the mapper ignores them)', async () => {
    const [event] = await collect(pieces(encodeEventFrame({ messageStop: { stopReason: 'end_turn' } }, true), 4));
    expect(event.type).toBe('messageStop');
    expect(event.data).toMatchObject({ stopReason: 'end_turn', p: expect.any(String) });
  });

  it.each([
    ['throttlingException', 429, true],
    ['validationException', 400, false],
    ['modelStreamErrorException', 502, true],
    ['internalServerException', 500, true],
    ['serviceUnavailableException', 503, true],
    ['modelTimeoutException', 408, true],
    ['somethingElseException', 502, true],
  ])('raises an exception frame %s as upstream_error %d after the events before it', async (type, status, retryable) => {
    const bytes = Buffer.concat([encodeEventFrame(lines[0], false), encodeExceptionFrame(type, 'The model failed.'), encodeEventFrame(lines[1], false)]);
    const { error, events } = await failure(pieces(bytes, 9));
    expect(events).toEqual([expected[0]]);
    expect([error.code, error.status, error.message, error.provider, error.upstreamCode, error.isRetryable]).toEqual(['upstream_error', status, 'The model failed.', 'aws', type, retryable]);
  });

  it('raises an error frame (:error-code / :error-message)', async () => {
    const frame = codec.encode({
      headers: {
        ':message-type': { type: 'string', value: 'error' },
        ':error-code': { type: 'string', value: 'ThrottlingException' },
        ':error-message': { type: 'string', value: 'Slow down' },
      },
      body: new Uint8Array(0),
    });
    const { error } = await failure(pieces(frame, frame.byteLength));
    expect([error.code, error.status, error.message, error.upstreamCode]).toEqual(['upstream_error', 429, 'Slow down', 'ThrottlingException']);
  });

  it('rejects a frame whose CRC does not match', async () => {
    const corrupt = Buffer.from(encodeEventFrame(lines[0], false));
    corrupt[corrupt.byteLength - 6] ^= 0xff;
    const { error } = await failure(pieces(corrupt, corrupt.byteLength));
    expect([error.code, error.status]).toEqual(['upstream_bad_response', 502]);
    expect(error.message).toMatch(/checksum/);
  });

  it('rejects a payload that is not JSON', async () => {
    const frame = codec.encode({ headers: { ':event-type': { type: 'string', value: 'metadata' }, ':message-type': { type: 'string', value: 'event' } }, body: fromUtf8('{oops') });
    const { error } = await failure(pieces(frame, frame.byteLength));
    expect(error.code).toBe('upstream_bad_response');
  });

  it('rejects an impossible length prefix', async () => {
    const { error } = await failure(pieces(new Uint8Array([0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0]), 12));
    expect(error.code).toBe('upstream_bad_response');
  });

  it('throws stream_interrupted when the body ends inside a message', async () => {
    const { error, events } = await failure(pieces(stream.subarray(0, stream.byteLength - 5), 64));
    expect(events).toEqual(expected.slice(0, -1));
    expect([error.code, error.isRetryable]).toEqual(['stream_interrupted', true]);
  });
});
