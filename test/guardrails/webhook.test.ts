/** The webhook check against a real loopback server: verdicts, the payload, the time-out, fail-open and fail-closed. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebhookClient } from '../../src/guardrails/checks/webhook.js';
import { runCheck } from '../../src/guardrails/checks/run-check.js';
import { sendJson, startMockServer, type MockUpstream } from '../mocks/mock-server.js';
import { silentLogger } from './helpers.js';
import { check, subject } from './subject.js';

let hook: MockUpstream;
let client: WebhookClient;

beforeAll(async () => {
  hook = await startMockServer((_request, response) => sendJson(response, 200, { verdict: true }));
  client = new WebhookClient(silentLogger);
});
afterEach(() => {
  hook.requests.length = 0;
});
afterAll(async () => {
  await client.close();
  await hook.close();
});

const webhook = (extra: object = {}) => check({ type: 'webhook', url: `${hook.url}/verdict`, ...extra });
const run = (rule: ReturnType<typeof webhook>, text = 'hello') =>
  runCheck(rule, subject([text], { principal: { keyId: 'k1', teamId: 't1', metadata: {} }, metadata: { env: 'prod' }, request: { model: 'gpt-4o', messages: [] } }), { webhooks: client, judges: undefined }, 'hooked');

describe('webhook', () => {
  it('posts the context as JSON with the configured headers, and takes the verdict', async () => {
    hook.next((_request, response) => sendJson(response, 200, { verdict: false, explanation: 'policy 7 forbids it' }));
    expect(await run(webhook({ headers: { 'x-api-key': 'secret' } }))).toEqual({ passed: false, explanation: 'policy 7 forbids it' });
    const request = hook.last();
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/verdict');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-api-key']).toBe('secret');
    expect(request.body).toEqual({
      guardrail: 'hooked',
      check: 'webhook',
      stage: 'input',
      request_type: 'chat',
      model: 'gpt-4o',
      text: ['hello'],
      metadata: { env: 'prod' },
      key_id: 'k1',
      team_id: 't1',
      request: { model: 'gpt-4o', messages: [] },
    });
  });

  it('a passing verdict without explanation', async () => {
    expect(await run(webhook())).toEqual({ passed: true, explanation: 'the webhook answered pass' });
  });

  it('a time-out fails the check when closed (the default), passes it when open', async () => {
    const slow = () =>
      hook.next((_request, response) => {
        const timer = setTimeout(() => sendJson(response, 200, { verdict: true }), 5000);
        response.on('close', () => clearTimeout(timer));
      });
    slow();
    expect(await run(webhook({ timeout_ms: 50 }))).toEqual({ passed: false, explanation: 'the webhook timed out after 50 ms; failed (fail-closed)' });
    slow();
    expect(await run(webhook({ timeout_ms: 50, fail_mode: 'open' }))).toEqual({ passed: true, explanation: 'the webhook timed out after 50 ms; passed (fail-open)' });
  });

  it('an error status, a body that is not JSON, or no boolean verdict count as errors', async () => {
    hook.next((_request, response) => sendJson(response, 503, { error: 'down' }));
    expect(await run(webhook())).toEqual({ passed: false, explanation: 'the webhook answered HTTP 503; failed (fail-closed)' });
    hook.next((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('yes');
    });
    expect(await run(webhook({ fail_mode: 'open' }))).toEqual({ passed: true, explanation: 'the webhook answer is not JSON; passed (fail-open)' });
    hook.next((_request, response) => sendJson(response, 200, { verdict: 'true' }));
    expect(await run(webhook())).toEqual({ passed: false, explanation: 'the webhook answer has no boolean verdict; failed (fail-closed)' });
  });

  it('an unreachable webhook follows the fail mode', async () => {
    const dead = check({ type: 'webhook', url: 'http://127.0.0.1:1/x' });
    const outcome = await runCheck(dead, subject('x'), { webhooks: client, judges: undefined }, 'g');
    expect(outcome.passed).toBe(false);
    expect(outcome.explanation).toMatch(/; failed \(fail-closed\)$/);
  });
});
