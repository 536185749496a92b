/**
 * SSE, parsed and encoded in one place. Upstream bytes are decoded with a
 * streaming TextDecoder (so a UTF-8 character split across chunks survives)
 * and framed by `eventsource-parser`; providers only ever see parsed events.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { GatewayError } from '../api/errors.js';
import type { UpstreamEvent } from '../providers/contract.js';

/** Turns a byte stream into parsed SSE events. `[DONE]` ends the stream. */
export async function* parseSse(body: AsyncIterable<Uint8Array>, provider: string): AsyncGenerator<UpstreamEvent> {
  const decoder = new TextDecoder('utf-8');
  const pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => pending.push(message) });
  for await (const bytes of body) {
    parser.feed(decoder.decode(bytes, { stream: true }));
    while (pending.length > 0) {
      const message = pending.shift()!;
      const data = message.data;
      if (data === '[DONE]') return;
      if (data.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch (cause) {
        throw new GatewayError('upstream_bad_response', { message: `The provider sent a stream event that is not JSON: ${data.slice(0, 200)}`, provider, cause });
      }
      yield { type: message.event, data: parsed };
    }
  }
  parser.feed(decoder.decode());
}

const encoder = new TextEncoder();

/** One `data:` frame. */
export function encodeSseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

export const sseDone = 'data: [DONE]\n\n';
export const sseDoneBytes = encoder.encode(sseDone);
