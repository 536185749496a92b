import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminRouter } from '../../src/admin/router.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let gateway: TestGateway;
let closed: TestGateway;

beforeAll(async () => {
  const router = new AdminRouter('admin-secret', 1024).add(
    { method: 'GET', path: '/admin/things/:id', handle: (request) => ({ body: { id: request.params.id, q: request.query.get('q') } }) },
    { method: 'POST', path: '/admin/things', handle: (request) => ({ status: 201, body: { created: request.body } }) },
  );
  gateway = await startGateway({ plainRoutes: [{ prefix: '/admin', handle: (_state, context, path) => router.handle(context, path) }] });
  const off = new AdminRouter(undefined, 1024);
  closed = await startGateway({ plainRoutes: [{ prefix: '/admin', handle: (_state, context, path) => off.handle(context, path) }] });
});
afterAll(async () => {
  await gateway.close();
  await closed.close();
});

describe('admin router', () => {
  it('needs the admin token', async () => {
    expect((await fetch(`${gateway.url}/admin/things/1`)).status).toBe(401);
    expect((await fetch(`${gateway.url}/admin/things/1`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await fetch(`${gateway.url}/admin/things/a%20b?q=x`, { headers: { authorization: 'Bearer admin-secret' } });
    expect(await ok.json()).toEqual({ id: 'a b', q: 'x' });
  });

  it('parses JSON bodies, and reports bad ones and unknown routes in the OpenAI shape', async () => {
    const created = await fetch(`${gateway.url}/admin/things`, { method: 'POST', headers: { 'x-admin-token': 'admin-secret', 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ created: { a: 1 } });
    const bad = await fetch(`${gateway.url}/admin/things`, { method: 'POST', headers: { 'x-admin-token': 'admin-secret' }, body: '{' });
    expect(bad.status).toBe(400);
    expect((await fetch(`${gateway.url}/admin/nope`, { headers: { 'x-admin-token': 'admin-secret' } })).status).toBe(404);
    expect((await fetch(`${gateway.url}/admin/things/1`, { method: 'DELETE', headers: { 'x-admin-token': 'admin-secret' } })).status).toBe(405);
  });

  it('is off without a configured token', async () => {
    const response = await fetch(`${closed.url}/admin/things/1`, { headers: { authorization: 'Bearer anything' } });
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('admin_disabled');
  });
});
