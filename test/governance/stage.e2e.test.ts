/** The governance stage through the real server, in embedded mode: keys, access, limits, budgets, costs. */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { Exchange, Stage } from '../../src/server/pipeline.js';
import * as routeRequest from '../../src/server/route-request.js';
import { startHarness, type Harness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The ledger as written: entries are queued and committed in groups, so this writes what is queued first. */
async function ledger(h: Harness): Promise<any[]> {
  await h.governance.flushLedger();
  return h.sqlite.prepare('SELECT * FROM gov_ledger ORDER BY at, id').all();
}

describe('keys', () => {
  it('runs open until a key exists, then needs one; revocation takes effect at once', async () => {
    harness = await startHarness();
    const h = harness;
    expect((await h.chat({})).status).toBe(200);
    const created = await h.admin('POST', '/admin/keys', { name: 'bot', team: 'search', metadata: { env: 'test' } });
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^sy-[A-Za-z0-9_-]{43}$/);
    expect(created.body.key).toMatchObject({ name: 'bot', team: 'search', status: 'active', key_prefix: `${secret.slice(0, 10)}…` });
    // Only the hash is stored.
    const stored = h.sqlite.prepare('SELECT * FROM gov_keys').get() as Record<string, unknown>;
    expect(JSON.stringify(stored)).not.toContain(secret.slice(3));

    const missing = await h.chat({});
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.code).toBe('api_key_required');
    const wrong = await h.chat({}, { authorization: 'Bearer sy-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('invalid_api_key');

    const client = new OpenAI({ apiKey: secret, baseURL: h.gateway.baseURL });
    const answer = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0]!.message.content).toBe('served by mock');
    // The virtual key never reaches the provider; the configured key does.
    expect(h.upstream.last().headers.authorization).toBe('Bearer upstream-key');
    expect((await h.chat({}, { 'x-switchyard-api-key': secret })).status).toBe(200);
    // Anthropic's SDKs: today's send the key as a Bearer token, older ones as x-api-key.
    expect((await h.chat({}, { 'x-api-key': secret })).status).toBe(200);
    const anthropic = new Anthropic({ apiKey: secret, baseURL: h.gateway.url, maxRetries: 0 });
    const message = await anthropic.messages.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content).toEqual([{ type: 'text', text: 'served by mock' }]);
    const anonymous = new Anthropic({ apiKey: 'not-a-virtual-key', baseURL: h.gateway.url, maxRetries: 0 });
    const refused = await anonymous.messages.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(Anthropic.AuthenticationError);

    await h.admin('POST', `/admin/keys/${created.body.key.id}/revoke`);
    const revoked = await h.chat({}, { authorization: `Bearer ${secret}` });
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).error.message).toBe("The virtual key 'bot' was revoked.");
  });

  it('refuses expired and disabled keys, and models and routes outside the allow-lists', async () => {
    let now = Date.parse('2025-09-20T12:00:00Z');
    harness = await startHarness({ clock: () => now });
    const h = harness;
    const expiring = (await h.admin('POST', '/admin/keys', { name: 'short', expires_at: '2025-09-21T00:00:00Z' })).body;
    expect((await h.chat({}, { authorization: `Bearer ${expiring.secret}` })).status).toBe(200);
    now = Date.parse('2025-09-21T00:00:01Z');
    expect((await (await h.chat({}, { authorization: `Bearer ${expiring.secret}` })).json()).error.message).toBe("The virtual key 'short' expired on 2025-09-21T00:00:00.000Z.");

    const limited = (await h.admin('POST', '/admin/keys', { name: 'mini-only', models: ['gpt-4o-mini', 'openai/gpt-4.1-*'] })).body;
    const auth = { authorization: `Bearer ${limited.secret}` };
    expect((await h.chat({ model: 'gpt-4o-mini' }, auth)).status).toBe(200);
    expect((await h.chat({ model: 'openai/gpt-4.1-nano' }, auth)).status).toBe(200);
    const refused = await h.chat({ model: 'gpt-4o' }, auth);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('model_not_allowed');
    const ownHost = await h.chat({}, { ...auth, 'x-switchyard-config': JSON.stringify({ provider: 'openai', base_url: 'https://example.com/v1' }) });
    expect(ownHost.status).toBe(403);
    expect((await ownHost.json()).error.code).toBe('route_not_allowed');

    await h.admin('PATCH', `/admin/keys/${limited.key.id}`, { enabled: false });
    expect((await (await h.chat({}, auth)).json()).error.message).toBe("The virtual key 'mini-only' is disabled.");
  });

  it('a key limited to its default route reaches it with a bare model name, priced at the route’s target', async () => {
    // The core applies the default (in the chat handler, or in a stage right after governance).
    const keyDefaults = (routeRequest as unknown as { keyDefaultsStage?: Stage }).keyDefaultsStage;
    harness = await startHarness({ routes: { smart: { provider: 'openai', model: 'gpt-4o-mini' } }, extraStages: keyDefaults ? [keyDefaults] : [] });
    const h = harness;
    const key = (await h.admin('POST', '/admin/keys', { name: 'routed', routes: ['smart'], default_route: 'smart', budgets: [{ amount_usd: 1 }] })).body;
    const auth = { authorization: `Bearer ${key.secret}` };
    const answer = await h.chat({ model: 'anything' }, auth);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-switchyard-cost-usd')).toBe('0.00000195');
    expect(h.upstream.last().body.model).toBe('gpt-4o-mini');
    expect((await h.chat({ model: 'openai/gpt-4o' }, auth)).status).toBe(403);
  });

  it('hands the key’s stored provider credentials to the core, never the client’s bearer', async () => {
    const seen: Exchange[] = [];
    const spy: Stage = { name: 'spy', before: (exchange) => void seen.push(exchange) };
    harness = await startHarness({ extraStages: [spy] });
    const h = harness;
    expect((await h.admin('POST', '/admin/credentials', { name: 'openai-prod', provider: 'openai', api_key: 'sk-stored' })).status).toBe(201);
    const listed = await h.admin('GET', '/admin/credentials');
    expect(JSON.stringify(listed.body)).not.toContain('sk-stored');
    const sealed = h.sqlite.prepare('SELECT ciphertext FROM gov_credentials').pluck().get() as string;
    expect(sealed).not.toContain('sk-stored');
    const key = (await h.admin('POST', '/admin/keys', { name: 'with-creds', credentials: ['openai-prod'] })).body;
    expect((await h.chat({}, { authorization: `Bearer ${key.secret}` })).status).toBe(200);
    expect(seen[0]!.providerKeys).toEqual({ openai: 'sk-stored' });
    expect(seen[0]!.clientProviderKey).toBeUndefined();
    expect(seen[0]!.principal).toMatchObject({ keyId: key.key.id, keyName: 'with-creds' });
    expect((await h.admin('POST', '/admin/keys', { name: 'bad', credentials: ['nope'] })).status).toBe(400);
  });
});

describe('rate limits', () => {
  it('sets OpenAI’s rate-limit headers and refuses the request over the limit with 429 and Retry-After', async () => {
    let now = Date.parse('2025-09-20T12:00:00Z');
    harness = await startHarness({ clock: () => now });
    const h = harness;
    const key = (await h.admin('POST', '/admin/keys', { name: 'rl', limits: { rpm: 2, tpm: 100_000 } })).body;
    const auth = { authorization: `Bearer ${key.secret}` };
    const first = await h.chat({}, auth);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(first.headers.get('x-ratelimit-reset-requests')).toBe('1m0s');
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('100000');
    expect(first.headers.get('x-ratelimit-remaining-tokens')).toBe(String(100_000 - 8));
    now += 15_000;
    expect((await h.chat({}, auth)).headers.get('x-ratelimit-remaining-requests')).toBe('0');
    now += 1_000;
    const limited = await h.chat({}, auth);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('44');
    expect(limited.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const body = await limited.json();
    expect(body.error).toMatchObject({ code: 'requests_per_minute_exceeded', type: 'rate_limit_error', message: "Rate limit reached for key 'rl': 2 requests per minute. Retry after 44s." });
    expect(h.upstream.requests.length).toBe(2);
    now += 44_000;
    expect((await h.chat({}, auth)).status).toBe(200);
  });

  it('a team limit is shared by its keys, and a model limit by everyone', async () => {
    harness = await startHarness({ governance: { model_limits: { 'gpt-4.1-nano': { rpm: 1 } } } });
    const h = harness;
    await h.admin('POST', '/admin/teams', { name: 'search', limits: { rpm: 3 } });
    const a = (await h.admin('POST', '/admin/keys', { name: 'a', team: 'search' })).body;
    const b = (await h.admin('POST', '/admin/keys', { name: 'b', team: 'search' })).body;
    const statuses = [];
    for (const secret of [a.secret, b.secret, a.secret, b.secret]) statuses.push((await h.chat({}, { authorization: `Bearer ${secret}` })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await h.chat({ model: 'gpt-4.1-nano' }, { authorization: `Bearer ${(await h.admin('POST', '/admin/keys', { name: 'c' })).body.secret}` })).status).toBe(200);
    const second = await h.chat({ model: 'gpt-4.1-nano' }, { authorization: `Bearer ${(await h.admin('POST', '/admin/keys', { name: 'd' })).body.secret}` });
    expect((await second.json()).error.message).toContain("model 'gpt-4.1-nano'");
  });

  it('counts concurrent requests', async () => {
    harness = await startHarness();
    const h = harness;
    const key = (await h.admin('POST', '/admin/keys', { name: 'cc', limits: { max_concurrent: 1 } })).body;
    h.upstream.script({ kind: 'ok', delayMs: 300 });
    const slow = h.chat({}, { authorization: `Bearer ${key.secret}` });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await h.chat({}, { authorization: `Bearer ${key.secret}` });
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.code).toBe('concurrency_limit_exceeded');
    expect((await slow).status).toBe(200);
    expect((await h.chat({}, { authorization: `Bearer ${key.secret}` })).status).toBe(200);
  });
});

describe('budgets and costs', () => {
  it('returns the cost, records it in the ledger, and refuses a request whose worst case would pass the budget', async () => {
    harness = await startHarness();
    const h = harness;
    // Worst case with max_tokens 2: ceil(8 × 1.1) × 0.15 + 2 × 0.60 per 1M = 1350 + 1200 nano-USD. Actual: 5 × 0.15 + 2 × 0.60 = 1950.
    const key = (await h.admin('POST', '/admin/keys', { name: 'budgeted', budgets: [{ amount_usd: 0.000004, period: 'monthly' }] })).body;
    const auth = { authorization: `Bearer ${key.secret}` };
    const first = await h.chat({ max_tokens: 2 }, auth);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-switchyard-cost-usd')).toBe('0.00000195');
    const second = await h.chat({ max_tokens: 2 }, auth);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).not.toBeNull();
    const error = (await second.json()).error;
    expect(error.code).toBe('budget_exceeded');
    expect(error.message).toMatch(/^This request could cost up to 0\.00000255 USD, which would pass the monthly budget of 0\.000004 USD for key 'key_\w+': 0\.00000195 USD spent\. Retry after \d+s\.$/);
    expect(h.upstream.requests.length).toBe(1);
    expect(await ledger(h)).toMatchObject([{ key_id: key.key.id, provider: 'openai', model: 'gpt-4o-mini', cost_nano: 1950, estimated: 0, prompt_tokens: 5, completion_tokens: 2 }]);
    const status = await h.admin('GET', `/admin/budgets/${key.key.budgets[0].id}/status`);
    expect(status.body).toMatchObject({ spent_usd: 0.00000195, reserved_usd: 0 });
  });

  it('estimates the cost of a stream without usage, and marks it', async () => {
    harness = await startHarness();
    const h = harness;
    const client = new OpenAI({ apiKey: 'sk-client', baseURL: h.gateway.baseURL });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('mock-0 mock-1 ');
    // Settled before the end of the stream reached the client.
    const [entry] = await ledger(h);
    // 'hi' with the message framing: 8 input tokens; 'mock-0 mock-1 ': 7 output tokens.
    expect(entry).toMatchObject({ estimated: 1, prompt_tokens: 8, completion_tokens: 7 });
    expect(entry.cost_nano).toBe(8 * 150 + 7 * 600);
  });

  it('records a model without a price as unpriced, never $0, and refuses it under a budget', async () => {
    harness = await startHarness();
    const h = harness;
    const open = await h.chat({ model: 'mystery-model' });
    expect(open.status).toBe(200);
    expect(open.headers.get('x-switchyard-cost-usd')).toBe('unpriced');
    expect(await ledger(h)).toMatchObject([{ model: 'mystery-model', cost_nano: null }]);
    expect(h.governance.stats.unpricedRequests).toBe(1);
    const key = (await h.admin('POST', '/admin/keys', { name: 'b', budgets: [{ amount_usd: 10 }] })).body;
    const refused = await h.chat({ model: 'mystery-model' }, { authorization: `Bearer ${key.secret}` });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('model_unpriced');
  });

  it('a cache hit is free and not counted; what it saved is recorded', async () => {
    const cache: Stage = {
      name: 'cache',
      before: (exchange) => {
        if (exchange.context.request.headers['x-test-cache'] !== 'hit') return;
        exchange.cacheStatus = 'HIT';
        return { completion: { id: 'c', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'cached' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1000, completion_tokens: 1000, total_tokens: 2000 } } };
      },
    };
    harness = await startHarness({ extraStages: [cache] });
    const h = harness;
    const key = (await h.admin('POST', '/admin/keys', { name: 'k', limits: { rpm: 1 } })).body;
    const auth = { authorization: `Bearer ${key.secret}`, 'x-test-cache': 'hit' };
    for (let index = 0; index < 3; index += 1) {
      const hit = await h.chat({}, auth);
      expect(hit.status).toBe(200);
      expect(hit.headers.get('x-switchyard-cost-usd')).toBe('0');
    }
    expect(await ledger(h)).toMatchObject([{ cache_hit: 1, cost_nano: 0, saved_nano: 750_000 }, { cache_hit: 1 }, { cache_hit: 1 }]);
    const usage = await h.admin('GET', '/admin/usage?group_by=key');
    expect(usage.body.rows).toEqual([{ group: key.key.id, requests: 3, costUsd: 0, unpricedRequests: 0, estimatedRequests: 0, cacheHits: 3, savedUsd: 0.00225, promptTokens: 3000, completionTokens: 3000 }]);
  });

  it('fires a budget alert once per period', async () => {
    const posted: unknown[] = [];
    harness = await startHarness({ governance: { alert_webhook_url: 'http://alerts.invalid/hook' }, postAlert: async (_url, body) => void posted.push(body) });
    const h = harness;
    const key = (await h.admin('POST', '/admin/keys', { name: 'alerting', budgets: [{ amount_usd: 0.00001, period: 'daily', alert_thresholds: [0.2, 0.5] }] })).body;
    for (let index = 0; index < 3; index += 1) expect((await h.chat({ max_tokens: 2 }, { authorization: `Bearer ${key.secret}` })).status).toBe(200);
    await h.governance.stage.drain();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // 1950 (19.5%), 3900 (39%), 5850 (58.5%): 20% once at the second request, 50% once at the third.
    expect(posted).toMatchObject([
      { type: 'budget.threshold_reached', scope: 'key', subject: key.key.id, period: 'daily', threshold: 0.2, spent_usd: '0.0000039', amount_usd: '0.00001' },
      { threshold: 0.5, spent_usd: '0.00000585' },
    ]);
  });
});
