import { request } from 'node:http';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardRoute } from '../../src/dashboard/dashboard-route.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends the path exactly as written (fetch would normalise `..` away). */
function raw(gateway: TestGateway, rawPath: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawAnswer> {
  const { port } = new URL(gateway.url);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path: rawPath, method: options.method ?? 'GET', headers: options.headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

let workspace: string;
let gateway: TestGateway;
let unbuilt: TestGateway;
const secret = 'top-secret-outside-the-build';

beforeAll(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), 'switchyard-dashboard-route-'));
  const root = path.join(workspace, 'web');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Switchyard</title><div id="app"></div>');
  await writeFile(path.join(root, 'assets', 'index-AbCd1234.js'), 'console.log("app");');
  await writeFile(path.join(root, 'assets', 'index-AbCd1234.css'), 'body{margin:0}');
  await writeFile(path.join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(path.join(root, '.env'), secret);
  await writeFile(path.join(workspace, 'secret.txt'), secret);
  await symlink(workspace, path.join(root, 'outside'));
  gateway = await startGateway({ plainRoutes: [createDashboardRoute({ root })] });
  unbuilt = await startGateway({ plainRoutes: [createDashboardRoute({ root: path.join(workspace, 'missing') })] });
});

afterAll(async () => {
  await gateway.close();
  await unbuilt.close();
  await rm(workspace, { recursive: true, force: true });
});

describe('dashboard route', () => {
  it('redirects /dashboard to /dashboard/, keeping the query', async () => {
    const answer = await raw(gateway, '/dashboard?from=1');
    expect(answer.status).toBe(308);
    expect(answer.headers.location).toBe('/dashboard/?from=1');
  });

  it('serves index.html for the app and every client route, uncached, with a strict content policy', async () => {
    for (const route of ['/dashboard/', '/dashboard/logs', '/dashboard/logs/req_123', '/dashboard/keys?x=1']) {
      const answer = await raw(gateway, route);
      expect(answer.status, route).toBe(200);
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.body).toContain('<div id="app">');
    }
  });

  it('serves assets with their content types; hashed ones are immutable', async () => {
    const script = await raw(gateway, '/dashboard/assets/index-AbCd1234.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    expect(script.body).toBe('console.log("app");');
    expect((await raw(gateway, '/dashboard/assets/index-AbCd1234.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const icon = await raw(gateway, '/dashboard/favicon.svg');
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers a matching ETag with 304, and HEAD without a body', async () => {
    const first = await raw(gateway, '/dashboard/favicon.svg');
    const tag = first.headers.etag as string;
    expect(tag).toMatch(/^W\/"/);
    const again = await raw(gateway, '/dashboard/favicon.svg', { headers: { 'if-none-match': tag } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const head = await raw(gateway, '/dashboard/assets/index-AbCd1234.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('console.log("app");'.length));
    expect(head.body).toBe('');
  });

  it('answers a missing file 404 (not the app page), and other methods 405', async () => {
    const missing = await raw(gateway, '/dashboard/assets/gone-12345678.js');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error.code).toBe('not_found');
    const post = await raw(gateway, '/dashboard/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('never serves a file outside the build directory', async () => {
    const attempts = [
      '/dashboard/../secret.txt',
      '/dashboard/assets/../../secret.txt',
      '/dashboard/%2e%2e/secret.txt',
      '/dashboard/..%2fsecret.txt',
      '/dashboard/assets/..%2f..%2fsecret.txt',
      '/dashboard/..%5csecret.txt',
      '/dashboard/%2e%2e%5c%2e%2e%5csecret.txt',
      '/dashboard/outside/secret.txt',
      '/dashboard/.env',
      '/dashboard/%2eenv',
      '/dashboard/secret.txt%00.js',
      '/dashboard/%E0%A4%A',
      `/dashboard/${encodeURIComponent(path.join(workspace, 'secret.txt'))}`,
    ];
    for (const attempt of attempts) {
      const answer = await raw(gateway, attempt);
      expect(answer.body, attempt).not.toContain(secret);
      expect(answer.status, attempt).toBe(404);
    }
  });

  it('says how to build the dashboard when its files are missing', async () => {
    const answer = await raw(unbuilt, '/dashboard/');
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body).error.message).toContain('npm run build:web');
  });
});
