/**
 * SSE, parsed and encoded in one place. Upstream bytes are decoded with a
 * streaming TextDecoder (so a UTF-8 character split across chunks survives)
 * and framed by `eventsource-parser`; providers only ever see parsed events.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { GatewayError } from '../api/errors.js';
import type { UpstreamEvent } from '../providers/contract.js';
import { rememberRawJson } from './raw-json.js';

/**
 * Turns a byte stream into parsed SSE events, one batch per read (an async step per event
 * would cost more than the parsing). `[DONE]` ends the events, but the body is still read
 * to its end: leaving early destroys the body, which costs an AbortError and the pooled
 * connection (measured: about a tenth of streaming throughput).
 */
export async function* parseSse(body: AsyncIterable<Uint8Array>, provider: string): AsyncGenerator<UpstreamEvent[]> {
  const decoder = new TextDecoder('utf-8');
  const pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => pending.push(message) });
  let done = false;
  for await (const bytes of body) {
    if (done) continue;
    parser.feed(decoder.decode(bytes, { stream: true }));
    const batch: UpstreamEvent[] = [];
    for (let index = 0; index < pending.length; index += 1) {
      const data = pending[index]!.data;
      if (data === '[DONE]') {
        done = true;
        break;
      }
      if (data.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch (cause) {
        throw new GatewayError('upstream_bad_response', { message: `The provider sent a stream event that is not JSON: ${data.slice(0, 200)}`, provider, cause });
      }
      // Multi-line data would break the client's framing if written back as it came.
      // Multi-line data would break the client's framing if written back as it came.
      if (!data.includes('\n')) rememberRawJson(parsed, data);
      batch.push({ type: pending[index]!.event, data: parsed });
    }
    pending.length = 0;
    if (batch.length > 0) yield batch;
  }
  if (!done) parser.feed(decoder.decode());
}

const encoder = new TextEncoder();

/** One `data:` frame. */
export function encodeSseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

export const sseDone = 'data: [DONE]\n\n';
export const sseDoneBytes = encoder.encode(sseDone);
