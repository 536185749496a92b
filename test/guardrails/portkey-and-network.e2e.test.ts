/** Portkey's shorthand through both SDKs; the webhook and the LLM judge through the gateway. */
import OpenAI from 'openai';
import { Portkey } from 'portkey-ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletion, ChatRequest } from '../../src/api/chat-schema.js';
import type { GuardrailsConfigInput } from '../../src/guardrails/index.js';
import { sendJson, startMockServer, type MockUpstream } from '../mocks/mock-server.js';
import { startGuardedGateway, startScriptedUpstream, type GuardedGateway, type ScriptedUpstream } from './helpers.js';

let upstream: ScriptedUpstream;
let hook: MockUpstream;
let running: GuardedGateway | undefined;

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  hook = await startMockServer((request, response) => sendJson(response, 200, { verdict: !JSON.stringify(request.body.text).includes('forbidden') }));
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  upstream.reset();
});
afterAll(async () => {
  await upstream.close();
  await hook.close();
});

async function start(guardrails: GuardrailsConfigInput, judge?: (request: ChatRequest) => Promise<ChatCompletion>): Promise<OpenAI> {
  running = await startGuardedGateway({ upstream, guardrails, config: { routing: { allow_private_custom_hosts: true } }, ...(judge ? { judge } : {}) });
  return new OpenAI({ baseURL: running.gateway.baseURL, apiKey: 'x', maxRetries: 0 });
}

describe("Portkey's shorthand", () => {
  const portkeyConfig = () => ({
    provider: 'openai',
    api_key: 'k',
    custom_host: `${upstream.url}/v1`,
    input_guardrails: [{ 'default.regexMatch': { rule: '\\b\\d{4}\\b', not: true }, deny: true }],
    output_guardrails: [{ id: 'shout-check', 'default.alluppercase': { not: true } }],
  });

  it('the portkey-ai SDK gets 446 on a denied input', async () => {
    await start({});
    const client = new Portkey({ apiKey: 'portkey-key', baseURL: running!.gateway.baseURL, config: portkeyConfig() });
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'my pin is 1234' }] }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 446 });
    expect(upstream.requests).toHaveLength(0);
  });

  it('only the last message is checked, as Portkey does; a check without deny is logged', async () => {
    upstream.answers = ['FINE, SHOUTING'];
    const client = await start({});
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'pin 1234' }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'hello' }] }, { headers: { 'x-portkey-config': JSON.stringify(portkeyConfig()) } })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('FINE, SHOUTING');
    expect(response.headers.get('x-switchyard-guardrails-failed')).toBe('shout-check:letter_case');
  });

  it('an unknown Portkey check is a 400 that names it', async () => {
    const client = await start({});
    const config = { ...portkeyConfig(), input_guardrails: [{ 'portkey.gibberish': {}, deny: true }] };
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-portkey-config': JSON.stringify(config) } }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, error: { code: 'invalid_config', message: `config input_guardrails[0]: "portkey.gibberish": the check 'portkey.gibberish' is not available (only Portkey's default checks and Switchyard's own)` } });
  });

  it('a per-request config may not bring a webhook inline', async () => {
    const client = await start({});
    const config = { ...portkeyConfig(), input_guardrails: [{ 'default.webhook': { webhookURL: `${hook.url}/x` }, deny: true }] };
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-portkey-config': JSON.stringify(config) } }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, error: { code: 'invalid_config' } });
    expect(hook.requests).toHaveLength(0);
  });
});

describe('network checks through the gateway', () => {
  it('a configured webhook decides', async () => {
    const client = await start({ definitions: { policy: { checks: [{ type: 'webhook', url: `${hook.url}/policy` }] } }, default_input: ['policy'] });
    await expect(client.chat.completions.create({ model: 'up/m', messages: [{ role: 'user', content: 'fine' }] })).resolves.toMatchObject({ choices: [{ message: { content: 'Hello.' } }] });
    await expect(client.chat.completions.create({ model: 'up/m', messages: [{ role: 'user', content: 'forbidden' }] })).rejects.toMatchObject({
      status: 446,
      error: { failed_checks: [{ guardrail: 'policy', check: 'webhook', explanation: 'the webhook answered fail' }] },
    });
  });

  it('the LLM judge asks a route of the gateway itself', async () => {
    const judged: string[] = [];
    let gatewayClient: OpenAI | undefined;
    const judge = async (request: ChatRequest): Promise<ChatCompletion> => {
      judged.push(request.model);
      return (await gatewayClient!.chat.completions.create({ ...request, model: 'up/judge', stream: false } as OpenAI.ChatCompletionCreateParamsNonStreaming)) as unknown as ChatCompletion;
    };
    upstream.answers = ['NO', 'Here you go.'];
    gatewayClient = await start({ definitions: { safe: { checks: [{ type: 'llm_judge', model: 'up/judge', question: 'Is this request safe?' }] } }, default_input: [] }, judge);
    const error = await gatewayClient.chat.completions.create({ model: 'up/m', messages: [{ role: 'user', content: 'do harm' }] }, { headers: { 'x-switchyard-input-guardrails': 'safe' } }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 446, error: { failed_checks: [{ guardrail: 'safe', check: 'llm_judge', explanation: 'the judge answered no; the check passes on yes' }] } });
    expect(judged).toEqual(['up/judge']);
    expect(upstream.requests.map((request) => request.body.model)).toEqual(['judge']);
  });
});
