/** sendJson: the text is encoded once, and those bytes are what the client gets and what the caller keeps. */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJson, type SentJson } from '../../src/server/http-io.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function get(port: number): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path: '/' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('sendJson', () => {
  it('sends the UTF-8 bytes of the JSON text with their length, and returns both', async () => {
    const body = { content: 'déjà vu — 😀', n: 1 };
    let sent: SentJson | undefined;
    server = createServer((_request, response) => {
      sent = sendJson(response, 201, body, { 'x-extra': 'yes' });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const answer = await get((server.address() as AddressInfo).port);
    expect(sent?.text).toBe(JSON.stringify(body));
    expect(sent?.bytes.equals(Buffer.from(JSON.stringify(body), 'utf8'))).toBe(true);
    expect(answer.body.equals(sent!.bytes)).toBe(true);
    expect(Number(answer.headers['content-length'])).toBe(sent!.bytes.length);
    expect(sent!.bytes.length).toBeGreaterThan(sent!.text.length);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers['x-extra']).toBe('yes');
  });
});
