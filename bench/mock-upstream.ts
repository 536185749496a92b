/**
 * A mock OpenAI upstream on loopback: POST /v1/chat/completions answers at once with a
 * fixed chat.completion, or with an SSE stream when the body says `stream: true`.
 *
 * Usage: node --import tsx bench/mock-upstream.ts <port>
 *
 * Control routes, used by the harness between runs and never under load:
 *   GET  /healthz              200
 *   GET  /bench/stats          {"completions": n}
 *   POST /bench/stream-delay   {"milliseconds": n}: pause between stream frames (0 by default)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { completionBody, doneFrame, streamFrames, usageFrame } from './mock-responses.js';

const EXPECTED_AUTHORIZATION = 'Bearer sk-bench';

let completionCount = 0;
let streamFrameDelayMilliseconds = 0;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
  response.end(bytes);
}

async function writeStream(response: ServerResponse, includeUsage: boolean): Promise<void> {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  const frames = includeUsage ? [...streamFrames, usageFrame, doneFrame] : [...streamFrames, doneFrame];
  if (streamFrameDelayMilliseconds === 0) {
    for (const frame of frames) response.write(frame);
    response.end();
    return;
  }
  for (const frame of frames) {
    response.write(frame);
    await sleep(streamFrameDelayMilliseconds);
  }
  response.end();
}

interface ChatRequestFields {
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

async function handleCompletion(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const raw = await readBody(request);
  if (request.headers.authorization !== EXPECTED_AUTHORIZATION) {
    sendJson(response, 401, { error: { message: 'bad api key', type: 'invalid_request_error', code: 'invalid_api_key' } });
    return;
  }
  let fields: ChatRequestFields;
  try {
    fields = JSON.parse(raw.toString('utf8')) as ChatRequestFields;
  } catch {
    sendJson(response, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
    return;
  }
  completionCount += 1;
  if (fields.stream === true) {
    await writeStream(response, fields.stream_options?.include_usage === true);
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': completionBody.length });
  response.end(completionBody);
}

async function handleStreamDelay(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const fields = JSON.parse((await readBody(request)).toString('utf8')) as { milliseconds?: number };
  streamFrameDelayMilliseconds = Math.max(0, Number(fields.milliseconds) || 0);
  sendJson(response, 200, { milliseconds: streamFrameDelayMilliseconds });
}

async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method === 'POST' && path === '/v1/chat/completions') return handleCompletion(request, response);
  if (request.method === 'POST' && path === '/fail/v1/chat/completions') {
    // A target that fails fast, for the fallback rows.
    await readBody(request);
    return sendJson(response, 503, { error: { message: 'the bench upstream is down on purpose', type: 'server_error', param: null, code: null } });
  }
  if (request.method === 'GET' && path === '/healthz') return sendJson(response, 200, { status: 'ok' });
  if (request.method === 'GET' && path === '/bench/stats') return sendJson(response, 200, { completions: completionCount });
  if (request.method === 'POST' && path === '/bench/stream-delay') return handleStreamDelay(request, response);
  await readBody(request);
  sendJson(response, 404, { error: { message: `no route ${request.method} ${path}`, type: 'invalid_request_error' } });
}

const port = Number(process.argv[2] ?? 0);
const server = createServer((request, response) => {
  route(request, response).catch((error: unknown) => {
    if (!response.headersSent) sendJson(response, 500, { error: { message: String(error), type: 'server_error' } });
    else response.destroy();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
