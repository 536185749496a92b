import { describe, expect, it } from 'vitest';
import { readEventData } from '../../web/src/api/event-stream-reader.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]): Promise<string[]> {
  const events: string[] = [];
  for await (const data of readEventData(streamOf(chunks))) events.push(data);
  return events;
}

describe('the dashboard event-stream reader', () => {
  it('yields each event, skipping comments, whatever the chunk boundaries', async () => {
    const text = ': connected\n\ndata: {"id":"a"}\n\ndata: {"id":"b"}\n\n';
    expect(await collect([text])).toEqual(['{"id":"a"}', '{"id":"b"}']);
    expect(await collect(text.split(''))).toEqual(['{"id":"a"}', '{"id":"b"}']);
  });

  it('handles CRLF split across chunks, multi-line data, and a multi-byte character split in two', async () => {
    expect(await collect(['data: one\r', '\ndata: two\r\n\r', '\n'])).toEqual(['one\ntwo']);
    const bytes = new TextEncoder().encode('data: café\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 9));
        controller.enqueue(bytes.slice(9));
        controller.close();
      },
    });
    const events: string[] = [];
    for await (const data of readEventData(stream)) events.push(data);
    expect(events).toEqual(['café']);
  });

  it("skips named events, such as the log stream's notice of missed records", async () => {
    expect(await collect(['data: {"id":"a"}\n\nevent: dropped\ndata: {"missed":3}\n\nevent: message\ndata: {"id":"b"}\n\n'])).toEqual(['{"id":"a"}', '{"id":"b"}']);
  });

  it('drops an unfinished event at the end of the stream', async () => {
    expect(await collect(['data: whole\n\ndata: cut'])).toEqual(['whole']);
  });
});
