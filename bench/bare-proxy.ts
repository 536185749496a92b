/**
 * The floor for any Node proxy: a node:http server that hands each request body to an
 * undici Pool and pipes the upstream response straight back, with no parsing at all.
 *
 * Usage: node --import tsx bench/bare-proxy.ts <port> <upstream origin, e.g. http://127.0.0.1:9000>
 */
import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';

const HOP_BY_HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'host',
]);

function forwardableHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  const forwarded: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP_HEADERS.has(name)) forwarded[name] = value;
  }
  return forwarded;
}

const port = Number(process.argv[2]);
const upstreamOrigin = process.argv[3];
if (!port || !upstreamOrigin) {
  console.error('usage: bare-proxy.ts <port> <upstream origin>');
  process.exit(2);
}

const pool = new Pool(upstreamOrigin, { connections: 128, pipelining: 1 });

const server = createServer(async (request, response) => {
  if (request.method === 'GET' && request.url === '/healthz') {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('ok');
    return;
  }
  try {
    const upstream = await pool.request({
      method: request.method as 'POST',
      path: request.url ?? '/',
      headers: forwardableHeaders(request.headers) as Record<string, string>,
      body: request,
    });
    response.writeHead(upstream.statusCode, forwardableHeaders(upstream.headers));
    await pipeline(upstream.body, response);
  } catch (error) {
    if (!response.headersSent) {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: String(error), type: 'upstream_error' } }));
    } else {
      response.destroy();
    }
  }
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
