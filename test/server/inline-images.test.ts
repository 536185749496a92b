import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageInliner, isPublicAddress } from '../../src/server/inline-images.js';
import { startMockServer, type MockUpstream } from '../mocks/mock-server.js';

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
let images: MockUpstream;

beforeAll(async () => {
  images = await startMockServer((request, response) => {
    if (request.path === '/cat.png') {
      response.writeHead(200, { 'content-type': 'image/png' });
      return void response.end(png);
    }
    if (request.path === '/big.png') {
      response.writeHead(200, { 'content-type': 'image/png' });
      return void response.end(Buffer.alloc(5000));
    }
    if (request.path === '/page') {
      response.writeHead(200, { 'content-type': 'text/html' });
      return void response.end('<html>');
    }
    response.writeHead(404);
    response.end();
  });
});
afterAll(() => images.close());

const request = (url: string) => ({ model: 'm', messages: [{ role: 'user' as const, content: [{ type: 'image_url' as const, image_url: { url } }] }] });

describe('image inlining and its SSRF guard', () => {
  it('classifies addresses', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fc00::1', 'fe80::1', '::ffff:127.0.0.1', '0.0.0.0', '100.64.0.1']) expect(isPublicAddress(address)).toBe(false);
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111']) expect(isPublicAddress(address)).toBe(true);
  });

  it('refuses loopback by default, by IP literal and by name', async () => {
    const guarded = new ImageInliner({ allowPrivateAddresses: false, maxBytes: 1024, timeoutMs: 2000 });
    await expect(guarded.inline(request(`${images.url}/cat.png`))).rejects.toMatchObject({ code: 'image_url_forbidden', status: 400 });
    await expect(guarded.inline(request(`${images.url.replace('127.0.0.1', 'localhost')}/cat.png`))).rejects.toMatchObject({ code: 'image_url_forbidden' });
    await expect(guarded.inline(request('http://[::1]:1/x.png'))).rejects.toMatchObject({ code: 'image_url_forbidden' });
    expect(images.requests).toHaveLength(0);
    await guarded.close();
  });

  it('when allowed, fetches the image into a data URL; enforces the size cap and the content type', async () => {
    const open = new ImageInliner({ allowPrivateAddresses: true, maxBytes: 1024, timeoutMs: 2000 });
    const inlined = await open.inline(request(`${images.url}/cat.png`));
    const part = inlined.messages[0]!.content as { image_url: { url: string } }[];
    expect(part[0]!.image_url.url).toBe(`data:image/png;base64,${png.toString('base64')}`);
    await expect(open.inline(request(`${images.url}/big.png`))).rejects.toMatchObject({ code: 'image_fetch_failed', message: expect.stringContaining('larger than 1024') });
    await expect(open.inline(request(`${images.url}/page`))).rejects.toMatchObject({ code: 'image_fetch_failed', message: expect.stringContaining('not an image') });
    await expect(open.inline(request(`${images.url}/missing.png`))).rejects.toMatchObject({ message: expect.stringContaining('HTTP 404') });
    await open.close();
  });

  it('leaves data URLs and requests without images untouched', async () => {
    const guarded = new ImageInliner({ allowPrivateAddresses: false, maxBytes: 1024, timeoutMs: 2000 });
    const original = request('data:image/png;base64,AAAA');
    expect(await guarded.inline(original)).toBe(original);
    await guarded.close();
  });
});
