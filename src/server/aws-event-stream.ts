/**
 * Decodes AWS's binary event stream (`application/vnd.amazon.eventstream`) into upstream events.
 * Messages are cut out of the byte stream by their total-length prefix (chunks may split them
 * anywhere) and decoded, CRCs checked, by @smithy/eventstream-codec.
 * - `:message-type: event` → `{ type: :event-type, data: JSON payload }`
 * - `:message-type: exception` / `error` → a thrown GatewayError('upstream_error') with the
 *   exception's HTTP status.
 */
import { EventStreamCodec, type Message, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { GatewayError } from '../api/errors.js';
import type { UpstreamEvent } from '../providers/contract.js';

/** Prelude (total length, headers length, prelude CRC) and the trailing message CRC. */
const preludeBytes = 12;
const minimumMessageBytes = 16;
/** A generous ceiling against a corrupt length prefix. */
const maximumMessageBytes = 16 * 1024 * 1024;

/** HTTP statuses of the exceptions Bedrock sends inside a stream, by `:exception-type` (first letter lower-cased). */
const exceptionStatus: Readonly<Record<string, number>> = {
  validationException: 400,
  accessDeniedException: 403,
  resourceNotFoundException: 404,
  modelTimeoutException: 408,
  throttlingException: 429,
  serviceQuotaExceededException: 429,
  internalServerException: 500,
  // Documented as 424; a model failure mid-stream is the provider's fault and worth retrying, so 502.
  modelStreamErrorException: 502,
  modelErrorException: 502,
  serviceUnavailableException: 503,
};

function statusFor(name: string | undefined): number {
  if (!name) return 502;
  const key = name.charAt(0).toLowerCase() + name.slice(1);
  return exceptionStatus[key] ?? 502;
}

function stringHeader(headers: MessageHeaders, name: string): string | undefined {
  const header = headers[name];
  return header?.type === 'string' ? header.value : undefined;
}

function parsePayload(body: Uint8Array, provider: string, what: string): unknown {
  if (body.byteLength === 0) return {};
  const text = toUtf8(body);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new GatewayError('upstream_bad_response', { message: `The ${what} payload of the event stream is not JSON.`, provider, cause });
  }
}

function exceptionMessage(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const record = payload as Record<string, unknown>;
  const message = record.message ?? record.Message;
  return typeof message === 'string' ? message : undefined;
}

function toEvent(message: Message, provider: string): UpstreamEvent {
  const messageType = stringHeader(message.headers, ':message-type') ?? 'event';
  if (messageType === 'exception') {
    const exceptionType = stringHeader(message.headers, ':exception-type');
    const payload = parsePayload(message.body, provider, 'exception');
    throw new GatewayError('upstream_error', {
      status: statusFor(exceptionType),
      message: exceptionMessage(payload) ?? exceptionType ?? 'The provider sent an exception in the stream.',
      provider,
      upstreamCode: exceptionType ?? null,
    });
  }
  if (messageType === 'error') {
    const code = stringHeader(message.headers, ':error-code');
    throw new GatewayError('upstream_error', {
      status: statusFor(code),
      message: stringHeader(message.headers, ':error-message') ?? code ?? 'The provider sent an error in the stream.',
      provider,
      upstreamCode: code ?? null,
    });
  }
  const type = stringHeader(message.headers, ':event-type');
  return { type, data: parsePayload(message.body, provider, type ?? 'event') };
}

/** Collects chunks and cuts complete messages off the front. */
class MessageSplitter {
  private buffer: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): void {
    if (this.buffer.byteLength === 0) {
      this.buffer = chunk;
      return;
    }
    const joined = new Uint8Array(this.buffer.byteLength + chunk.byteLength);
    joined.set(this.buffer, 0);
    joined.set(chunk, this.buffer.byteLength);
    this.buffer = joined;
  }

  /** The next whole message, or undefined until enough bytes arrived. */
  next(provider: string): Uint8Array | undefined {
    if (this.buffer.byteLength < preludeBytes) return undefined;
    const view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
    const length = view.getUint32(0, false);
    if (length < minimumMessageBytes || length > maximumMessageBytes) {
      throw new GatewayError('upstream_bad_response', { message: `The event stream announced a message of ${length} bytes.`, provider });
    }
    if (this.buffer.byteLength < length) return undefined;
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return message;
  }

  get pending(): number {
    return this.buffer.byteLength;
  }
}

export async function* decodeAwsEventStream(body: AsyncIterable<Uint8Array | Buffer | string>, provider: string): AsyncGenerator<UpstreamEvent> {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const splitter = new MessageSplitter();
  for await (const chunk of body) {
    splitter.push(typeof chunk === 'string' ? fromUtf8(chunk) : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    for (let bytes = splitter.next(provider); bytes; bytes = splitter.next(provider)) {
      let message: Message;
      try {
        message = codec.decode(bytes);
      } catch (cause) {
        throw new GatewayError('upstream_bad_response', { message: `The event stream has a corrupt message: ${(cause as Error).message}`, provider, cause });
      }
      yield toEvent(message, provider);
    }
  }
  if (splitter.pending > 0) {
    throw new GatewayError('stream_interrupted', { message: `The event stream ended inside a message (${splitter.pending} bytes left over).`, provider });
  }
}
