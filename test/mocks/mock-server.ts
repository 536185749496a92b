/**
 * The base of every mock upstream: a real node:http server on loopback that
 * records each request (method, path, query, headers, parsed body) and lets a
 * test script the next responses (status, delay, drop, custom body).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  body: any;
}

export type MockHandler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface MockUpstream {
  url: string;
  requests: RecordedRequest[];
  /** The last request received. */
  last(): RecordedRequest;
  /** Queue a one-shot handler that serves the next request instead of the default. */
  next(handler: MockHandler): void;
  close(): Promise<void>;
}

export async function startMockServer(defaultHandler: MockHandler): Promise<MockUpstream> {
  const requests: RecordedRequest[] = [];
  const queue: MockHandler[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const url = new URL(incoming.url ?? '/', 'http://mock');
      let body: unknown;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = { method: incoming.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: incoming.headers, rawBody, body };
      requests.push(recorded);
      const handler = queue.shift() ?? defaultHandler;
      Promise.resolve(handler(recorded, response)).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: String(error) } }));
      });
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    last() {
      const request = requests.at(-1);
      if (!request) throw new Error('the mock received no request');
      return request;
    },
    next(handler) {
      queue.push(handler);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text).toString(), ...headers });
  response.end(text);
}

/** Writes SSE frames, one per element, with an optional gap between writes. */
export async function sendSse(response: ServerResponse, frames: string[], options: { gapMs?: number; headers?: Record<string, string> } = {}): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...options.headers });
  for (const frame of frames) {
    response.write(frame);
    if (options.gapMs) await new Promise((resolve) => setTimeout(resolve, options.gapMs));
  }
  response.end();
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** `../shared/fixtures/` beside the repository. */
export const fixturesDir = process.env.SWITCHYARD_FIXTURES_DIR ?? path.resolve(here, '../../../shared/fixtures');

export function fixtureJson(relativePath: string): any {
  return JSON.parse(readFileSync(path.join(fixturesDir, relativePath), 'utf8'));
}

/** A `.chunks.txt` fixture: one JSON payload per line. */
export function fixtureChunks(relativePath: string): any[] {
  return readFileSync(path.join(fixturesDir, relativePath), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}
