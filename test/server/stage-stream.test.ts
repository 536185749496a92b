/** Stages on a stream: observers run in the writer's loop unless a changing stage follows them. */
import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../src/api/chat-schema.js';
import { GatewayError } from '../../src/api/errors.js';
import { stageStream, type Exchange, type Stage, type StreamObserver } from '../../src/server/pipeline.js';
import { writeChunkStream } from '../../src/server/stream-writer.js';

const exchange = {} as Exchange;

function chunk(content: string): ChatCompletionChunk {
  return { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] };
}

async function* source(contents: string[], failAfter?: number): AsyncGenerator<ChatCompletionChunk> {
  for (const [index, content] of contents.entries()) {
    if (index === failAfter) throw new GatewayError('stream_interrupted', { message: 'broke off' });
    yield chunk(content);
  }
}

/** An observing stage that records what it saw and when. */
function watcher(name: string, events: string[]): Stage {
  return {
    name,
    observeStream: (): StreamObserver => ({
      chunk: (seen) => events.push(`${name}:${seen.choices[0]?.delta.content}`),
      end: () => events.push(`${name}:end`),
      close: () => events.push(`${name}:close`),
    }),
  };
}

const upper: Stage = {
  name: 'upper',
  wrapStream: async function* (_exchange, chunks) {
    for await (const each of chunks) yield chunk(String(each.choices[0]?.delta.content).toUpperCase());
  },
};
const passive: Stage = { name: 'passive', wrapStream: (_exchange, chunks) => chunks };

async function drain(chunks: AsyncIterable<ChatCompletionChunk>): Promise<string[]> {
  const out: string[] = [];
  for await (const each of chunks) out.push(String(each.choices[0]?.delta.content));
  return out;
}

describe('stageStream', () => {
  it('with no changing stage, every observer is left to the writer and the stream is unchanged', () => {
    const events: string[] = [];
    const chunks = source(['a']);
    const staged = stageStream([watcher('gov', events), passive, watcher('log', events)], exchange, chunks);
    expect(staged.chunks).toBe(chunks);
    expect(staged.unchanged).toBe(true);
    expect(staged.observers).toHaveLength(2);
  });

  it('an observer before a changing stage sees the chunks before it, one after sees them after', async () => {
    const events: string[] = [];
    const staged = stageStream([watcher('gov', events), upper, watcher('log', events)], exchange, source(['a', 'b']));
    expect(staged.unchanged).toBe(false);
    expect(staged.observers).toHaveLength(1);
    const [log] = staged.observers;
    const out: string[] = [];
    for await (const each of staged.chunks) {
      log!.chunk(each);
      out.push(String(each.choices[0]?.delta.content));
    }
    expect(out).toEqual(['A', 'B']);
    expect(events).toEqual(['gov:a', 'log:A', 'gov:b', 'log:B', 'gov:end', 'gov:close']);
  });

  it('a failed stream closes its observers without ending them', async () => {
    const events: string[] = [];
    const staged = stageStream([watcher('gov', events), upper], exchange, source(['a', 'b'], 1));
    await expect(drain(staged.chunks)).rejects.toThrow('broke off');
    expect(events).toEqual(['gov:a', 'gov:close']);
  });
});

/** Runs writeChunkStream against a real socket and returns the SSE text and the observer's events. */
async function written(chunks: AsyncIterable<ChatCompletionChunk>, events: string[]): Promise<string> {
  const observer: StreamObserver = {
    chunk: (seen) => events.push(`chunk:${seen.choices[0]?.delta.content}`),
    end: () => events.push('end'),
    close: () => events.push('close'),
  };
  const server = createServer((_request, response: ServerResponse) => {
    const write = response.write.bind(response);
    response.write = ((text: string) => {
      events.push(`write`);
      return write(text);
    }) as typeof response.write;
    const end = response.end.bind(response);
    response.end = ((text?: string) => {
      events.push(text?.includes('[DONE]') ? 'write:[DONE]' : 'write:last');
      return end(text);
    }) as typeof response.end;
    void writeChunkStream(response, chunks, { includeUsage: false, headers: {}, observers: [observer] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    return await new Promise<string>((resolve, reject) => {
      httpRequest({ port, host: '127.0.0.1', method: 'POST' }, (incoming) => {
        let text = '';
        incoming.on('data', (part: Buffer) => (text += part.toString()));
        incoming.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
  } finally {
    server.close();
  }
}

describe('writeChunkStream with observers', () => {
  it('shows each chunk before writing it, and ends the observers before [DONE]', async () => {
    const events: string[] = [];
    const text = await written(source(['a', 'b']), events);
    expect(text).toContain('[DONE]');
    expect(events.filter((event) => event !== 'write')).toEqual(['chunk:a', 'chunk:b', 'end', 'write:[DONE]', 'close']);
  });

  it('a stream that fails after its first chunk closes the observers without ending them', async () => {
    const events: string[] = [];
    const text = await written(source(['a', 'b'], 1), events);
    expect(text).toContain('stream_interrupted');
    expect(events.filter((event) => event !== 'write')).toEqual(['chunk:a', 'write:last', 'close']);
  });
});
