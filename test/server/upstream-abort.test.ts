/**
 * The upstream client's own aborts, against a real local server: the total
 * time-out, before the answer's headers and in the middle of its body, and the
 * client's abort, before and during a request. The signals are `AbortEmitter`s,
 * which undici takes in place of AbortSignals, so these also pin that undici
 * fails the request, or its body, with the reason one carries.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/api/errors.js';
import { AbortEmitter } from '../../src/server/abort-emitter.js';
import { UpstreamClient } from '../../src/server/upstream.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let origin: string;
let handler: Handler = (_request, response) => response.end('{}');
const closedAt: number[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    request.on('close', () => closedAt.push(Date.now()));
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = new UpstreamClient({ connectMs: 1000, firstByteMs: 5000, totalMs: 5000, streamIdleMs: 5000 });
const request = () => ({ method: 'POST', url: `${origin}/v1/chat/completions`, headers: { 'content-type': 'application/json' }, body: '{}' });

describe('AbortEmitter', () => {
  it('aborts once, with the first reason, or an AbortError without one', () => {
    const signal = new AbortEmitter();
    let heard = 0;
    signal.on('abort', () => (heard += 1));
    const first = new Error('first');
    signal.abort(first);
    signal.abort(new Error('second'));
    expect([signal.aborted, signal.reason, heard]).toEqual([true, first, 1]);
    const bare = new AbortEmitter();
    bare.abort();
    expect((bare.reason as DOMException).name).toBe('AbortError');
  });

  it('gives one AbortSignal that follows it, made when asked for, aborted already if it is', () => {
    const emitter = new AbortEmitter();
    const signal = emitter.toSignal();
    expect(emitter.toSignal()).toBe(signal);
    expect(signal.aborted).toBe(false);
    const reason = new Error('gone');
    emitter.abort(reason);
    expect([signal.aborted, signal.reason]).toEqual([true, reason]);
    const late = new AbortEmitter();
    late.abort(reason);
    expect(late.toSignal().reason).toBe(reason);
  });

  it('follows an AbortSignal, with its reason', () => {
    const controller = new AbortController();
    const emitter = AbortEmitter.following(controller.signal);
    expect(emitter.aborted).toBe(false);
    controller.abort(new Error('timed out'));
    expect((emitter.reason as Error).message).toBe('timed out');
    expect(AbortEmitter.following(controller.signal).aborted).toBe(true);
  });
});

describe('the upstream client aborts', () => {
  it('a request whose total time-out passes before the headers, as upstream_timeout', async () => {
    handler = () => {}; // never answers
    const started = Date.now();
    const error = await client.send(request(), 'slow', new AbortEmitter(), { timeouts: { totalMs: 150 } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('upstream_timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a body whose total time-out passes in the middle, with the time-out as the body\'s error', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: {}\n\n'); // and then nothing
    };
    const answer = await client.send(request(), 'stalls', new AbortEmitter(), { timeouts: { totalMs: 200 } });
    expect(answer.status).toBe(200);
    const error = await (async () => {
      for await (const _chunk of answer.body) {
        // reads the first frame, then waits
      }
    })().catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('TimeoutError');
  });

  it('a request the client abandons, at once, with the client\'s reason', async () => {
    handler = () => {};
    const before = closedAt.length;
    const clientSide = new AbortEmitter();
    const pending = client.send(request(), 'slow', clientSide).catch((caught: unknown) => caught);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const abortedAt = Date.now();
    clientSide.abort(new Error('client disconnected'));
    const error = (await pending) as GatewayError;
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toContain('client disconnected');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closedAt.length).toBeGreaterThan(before);
    expect(closedAt.at(-1)! - abortedAt).toBeLessThan(1000);
  });

  it('a request whose client is already gone, without sending it', async () => {
    let reached = false;
    handler = (_request, response) => {
      reached = true;
      response.end('{}');
    };
    const gone = new AbortEmitter();
    gone.abort(new Error('client disconnected'));
    const error = (await client.send(request(), 'any', gone).catch((caught: unknown) => caught)) as GatewayError;
    expect(error.message).toContain('client disconnected');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reached).toBe(false);
  });

  it('nothing when the answer is read in time', async () => {
    handler = (_request, response) => response.end('{"ok":true}');
    const answer = await client.send(request(), 'fast', new AbortEmitter(), { timeouts: { totalMs: 1000 } });
    expect(await answer.body.text()).toBe('{"ok":true}');
  });
});
