import OpenAI from 'openai';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureChunks, fixturesDir } from '../mocks/mock-server.js';
import { startOpenAIMock, type OpenAIMock } from '../mocks/openai-mock.js';

let mock: OpenAIMock;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startOpenAIMock({ apiKey: 'k' });
  gateway = await startGateway({ config: { providers: { openai: { api_key: 'k', base_url: `${mock.url}/v1` } }, timeouts: { stream_idle_ms: 300 } } });
  client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'x', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await mock.close();
});

const base = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o' };
const frame = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;

/** Raw SSE text of a gateway stream, read with plain node:http. */
function rawStream(body: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (incoming) => {
      let text = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => (text += chunk));
      incoming.on('end', () => resolve(text));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(body));
  });
}

describe('streaming edge cases', () => {
  it('a mid-stream drop ends with an SSE error event, never [DONE]', async () => {
    mock.next((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(frame({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }] }));
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const text = await rawStream({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    expect(text).toContain('"content":"Hel"');
    expect(text).not.toContain('[DONE]');
    const last = text.trim().split('\n\n').at(-1)!;
    const error = JSON.parse(last.slice('data: '.length));
    expect(error.error.code).toBe('stream_interrupted');
    expect(error.error.provider).toBe('openai');
  });

  it('the SDK raises on the error event instead of ending cleanly', async () => {
    mock.next((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(frame({ ...base, choices: [{ index: 0, delta: { content: 'partial' }, finish_reason: null }] }));
    });
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow(/stream ended before it was complete/);
    expect(seen).toEqual(['partial']);
  });

  it('a stalled stream ends with a time-out error event', async () => {
    mock.next((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(frame({ ...base, choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }] }));
      setTimeout(() => response.end(), 2000);
    });
    const text = await rawStream({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    expect(text).not.toContain('[DONE]');
    expect(text).toContain('"code":"upstream_timeout"');
  });

  it('a client abort aborts the upstream request at once', async () => {
    let upstreamClosedAt = 0;
    let abortedAt = 0;
    const upstreamClosed = new Promise<void>((resolve) => {
      mock.next((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        const timer = setInterval(() => response.write(frame({ ...base, choices: [{ index: 0, delta: { content: 'tick' }, finish_reason: null }] })), 10);
        response.on('close', () => {
          clearInterval(timer);
          upstreamClosedAt = Date.now();
          resolve();
        });
      });
    });
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true }, { signal: controller.signal });
    let count = 0;
    try {
      for await (const _chunk of stream) {
        count += 1;
        if (count === 3) {
          abortedAt = Date.now();
          controller.abort();
        }
      }
    } catch {
      // the SDK may end the loop or raise an abort error; either is fine here
    }
    expect(count).toBe(3);
    await upstreamClosed;
    expect(upstreamClosedAt - abortedAt).toBeLessThan(1000);
  });

  it('an empty tool arguments string still concatenates to valid JSON', async () => {
    mock.chat = { json: 'groq/groq-tool-call.json', chunks: 'groq/groq-tool-call.chunks.txt' };
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let args = '';
    for await (const chunk of stream) args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
    expect(JSON.parse(args)).toEqual({});
  });

  it('unicode split across upstream chunks arrives intact', async () => {
    const text = 'héllo 👋 世界';
    const payload = Buffer.from(frame({ ...base, choices: [{ index: 0, delta: { content: text }, finish_reason: null }] }) + frame({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) + 'data: [DONE]\n\n');
    const emoji = payload.indexOf(Buffer.from('👋'));
    mock.next(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(payload.subarray(0, emoji + 2));
      await new Promise((resolve) => setTimeout(resolve, 30));
      response.write(payload.subarray(emoji + 2, emoji + 3));
      await new Promise((resolve) => setTimeout(resolve, 30));
      response.end(payload.subarray(emoji + 3));
    });
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let received = '';
    for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? '';
    expect(received).toBe(text);
  });

  it('the first chunk carries the assistant role; a fixture replays byte-faithful content', async () => {
    mock.chat = { json: 'groq/groq-text.json', chunks: 'groq/groq-text.chunks.txt' };
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const expected = fixtureChunks('groq/groq-text.chunks.txt').map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(expected);
  });

  it('an unchanged chunk is written with its original JSON text, less the usage field the client did not ask for', async () => {
    mock.chat = { json: 'openai/chat/openai-text.json', chunks: 'openai/chat/openai-text.chunks.txt' };
    const text = await rawStream({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const lines = readFileSync(path.join(fixturesDir, 'openai/chat/openai-text.chunks.txt'), 'utf8').split('\n').filter(Boolean);
    expect(text).toContain(`data: ${lines[1]!.replace(',"usage":null', '')}\n\n`);
    expect(text).not.toContain('"usage"');
  });

  it('an event whose JSON spans several data lines is re-encoded, not written back with its line breaks', async () => {
    const first = JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'two' }, finish_reason: null }] });
    const split = first.replace(',"choices"', '\ndata: ,"choices"');
    mock.next((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(`data: ${split}\n\n${frame({ ...base, choices: [{ index: 0, delta: { content: ' lines' }, finish_reason: 'stop' }] })}data: [DONE]\n\n`);
    });
    const text = await rawStream({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const events = text.trim().split('\n\n');
    for (const event of events) expect(event.split('\n')).toHaveLength(1);
    const contents = events.slice(0, -1).map((event) => JSON.parse(event.slice('data: '.length)).choices[0].delta.content);
    expect(contents.join('')).toBe('two lines');
  });
});
