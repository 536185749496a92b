/** Output guardrails on streams, through the real server: redaction across chunks, early stop, end-of-stream checks, hold mode. */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GuardrailsConfigInput } from '../../src/guardrails/index.js';
import { chunk, startGuardedGateway, startScriptedUpstream, type GuardedGateway, type ScriptedUpstream } from './helpers.js';

let upstream: ScriptedUpstream;
let running: GuardedGateway | undefined;

beforeAll(async () => {
  upstream = await startScriptedUpstream();
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  upstream.reset();
});
afterAll(() => upstream.close());

async function start(guardrails: GuardrailsConfigInput): Promise<OpenAI> {
  running = await startGuardedGateway({ upstream, guardrails });
  return new OpenAI({ baseURL: running.gateway.baseURL, apiKey: 'x', maxRetries: 0 });
}

/** The SSE events of a streamed request, parsed. */
async function rawEvents(body: object): Promise<unknown[]> {
  const response = await fetch(`${running!.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, stream: true }) });
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice('data: '.length))
    .map((data) => (data === '[DONE]' ? '[DONE]' : JSON.parse(data)));
}

function contents(events: readonly unknown[]): string[] {
  return events.flatMap((event) => {
    const choices = (event as { choices?: { delta: { content?: string | null } }[] }).choices ?? [];
    return choices.flatMap((choice) => (typeof choice.delta.content === 'string' && choice.delta.content !== '' ? [choice.delta.content] : []));
  });
}

const ask = { model: 'up/m', messages: [{ role: 'user' as const, content: 'go' }] };

describe('streamed redaction', () => {
  it('catches matches split across chunks: no piece of them ever reaches the client', async () => {
    upstream.pieces = ['Contact ann@exa', 'mple.org or call +1 4', '15 555 01', '32; key sk-proj-', 'aB3dE5fG7hJ9kL1mN3pQ5rS', '7 done.'];
    const client = await start({ definitions: { pii: { action: 'redact', checks: [{ type: 'pii' }] } }, default_output: ['pii'] });
    const stream = await client.chat.completions.create({ ...ask, stream: true });
    const pieces: string[] = [];
    for await (const part of stream) if (part.choices[0]?.delta.content) pieces.push(part.choices[0].delta.content);
    expect(pieces.join('')).toBe('Contact [EMAIL_1] or call [PHONE_1]; key [SECRET_1] done.');
    for (const fragment of ['ann@', 'mple.org', '4', '555', 'sk-proj', 'aB3']) expect(pieces.some((piece) => piece.includes(fragment))).toBe(false);
    expect(running!.exchanges[0]!.guardrails).toMatchObject([{ name: 'pii:pii', stage: 'output', passed: false, action: 'redact', explanation: 'found 3 PII items: 1 email, 1 phone, 1 secret' }]);
  });

  it('restores input placeholders split across chunks', async () => {
    upstream.pieces = ['Sure, I will mail [EMA', 'IL_1', '] now. Also [', 'NOT_A_PLACEHOLDER] stays.'];
    const client = await start({ definitions: { pii: { action: 'redact', restore_output: true, checks: [{ type: 'pii', entities: ['email'] }] } }, default_input: ['pii'] });
    const events = await rawEvents({ ...ask, messages: [{ role: 'user', content: 'mail bob@example.com' }] });
    expect(upstream.last().body.messages[0].content).toBe('mail [EMAIL_1]');
    expect(contents(events).join('')).toBe('Sure, I will mail bob@example.com now. Also [NOT_A_PLACEHOLDER] stays.');
    expect(events.at(-1)).toBe('[DONE]');
  });
});

describe('checks decided early', () => {
  it('a banned word stops the stream at once with an error event, and the upstream is let go', async () => {
    let written = 0;
    const closed = new Promise<void>((resolve) => {
      upstream.next((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        const words = ['All ', 'fine ', 'until ', 'darn ', 'it ', ...Array.from({ length: 200 }, () => 'more ')];
        const timer = setInterval(() => {
          if (written === words.length) return;
          response.write(`data: ${JSON.stringify(chunk(words[written]))}\n\n`);
          written += 1;
        }, 5);
        response.on('close', () => {
          clearInterval(timer);
          resolve();
        });
      });
    });
    const client = await start({ definitions: { clean: { checks: [{ type: 'contains', words: ['darn'] }] } }, default_output: ['clean'] });
    const stream = await client.chat.completions.create({ ...ask, stream: true });
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const part of stream) seen.push(part.choices[0]?.delta.content ?? '');
    })().catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as Error).message).toContain("clean:contains (found 'darn')");
    expect(seen.join('')).toBe('All fine until ');
    await closed;
    expect(written).toBeLessThan(205);
    expect(running!.exchanges[0]!.status).toBe(446);
    expect(running!.exchanges[0]!.guardrails).toMatchObject([{ name: 'clean:contains', passed: false, action: 'deny', explanation: "found 'darn'" }]);
  });

  it('a word that only starts like a banned one is not stopped', async () => {
    upstream.pieces = ['The ass', 'istant is here.'];
    const client = await start({ definitions: { clean: { checks: [{ type: 'contains', words: ['ass'] }] } }, default_output: ['clean'] });
    const events = await rawEvents(ask);
    expect(contents(events).join('')).toBe('The assistant is here.');
    expect(events.at(-1)).toBe('[DONE]');
  });

  it('a maximum word count fails as soon as it is passed', async () => {
    upstream.pieces = ['one two ', 'three four ', 'five six ', 'seven eight'];
    const client = await start({ definitions: { brief: { checks: [{ type: 'word_count', max: 3 }] } }, default_output: ['brief'] });
    const events = await rawEvents(ask);
    expect(contents(events).join('')).toBe('one two ');
    expect(events.at(-1)).toMatchObject({ error: { code: 'guardrail_denied', failed_checks: [{ guardrail: 'brief', check: 'word_count', stage: 'output', explanation: '4 words so far; expected at most 3' }] } });
  });
});

describe('checks on the whole output', () => {
  it('flow: the text passes as it comes, and a failing end check ends the stream with an error event instead of [DONE]', async () => {
    upstream.pieces = ['{"name": ', '"Ann"'];
    const client = await start({ definitions: { json: { checks: [{ type: 'json_keys', keys: ['name', 'age'] }] } }, default_output: ['json'] });
    const events = await rawEvents(ask);
    expect(contents(events).join('')).toBe('{"name": "Ann"');
    expect(events).not.toContain('[DONE]');
    expect(events.at(-1)).toEqual({
      error: {
        message: 'The answer failed guardrail checks: json:json_keys (no valid JSON was found in the text)',
        type: 'hooks_failed',
        param: null,
        code: 'guardrail_denied',
        failed_checks: [{ guardrail: 'json', check: 'json_keys', stage: 'output', explanation: 'no valid JSON was found in the text' }],
      },
    });
    // The finishing chunk is never sent for a failing answer.
    expect(events.some((event) => (event as { choices?: { finish_reason: string | null }[] }).choices?.[0]?.finish_reason === 'stop')).toBe(false);
  });

  it('hold: nothing is sent before the whole answer passed; a failing one is a plain 446, not a stream', async () => {
    upstream.pieces = ['{"name": ', '"Ann"'];
    await start({ definitions: { json: { stream: 'hold', checks: [{ type: 'json_keys', keys: ['name', 'age'] }] } }, default_output: ['json'] });
    const response = await fetch(`${running!.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...ask, stream: true }) });
    expect(response.status).toBe(446);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ error: { code: 'guardrail_denied', failed_checks: [{ guardrail: 'json', check: 'json_keys' }] } });
  });

  it('hold: a passing answer is sent whole, chunks as they came', async () => {
    upstream.pieces = ['{"name": "Ann", ', '"age": 7}'];
    const client = await start({ definitions: { json: { stream: 'hold', checks: [{ type: 'json_keys', keys: ['name', 'age'] }] } }, default_output: ['json'] });
    const stream = await client.chat.completions.create({ ...ask, stream: true });
    const pieces: string[] = [];
    for await (const part of stream) if (part.choices[0]?.delta.content) pieces.push(part.choices[0].delta.content);
    expect(pieces).toEqual(['{"name": "Ann", ', '"age": 7}']);
    expect(running!.exchanges[0]!.guardrails).toMatchObject([{ name: 'json:json_keys', passed: true, explanation: 'every key is present' }]);
  });

  it('log on a stream records the failure and lets the answer through', async () => {
    upstream.pieces = ['no json ', 'here'];
    const client = await start({ definitions: { json: { action: 'log', checks: [{ type: 'json_valid' }] } }, default_output: ['json'] });
    const events = await rawEvents(ask);
    expect(contents(events).join('')).toBe('no json here');
    expect(events.at(-1)).toBe('[DONE]');
    expect(running!.exchanges[0]!.guardrails).toMatchObject([{ name: 'json:json_valid', passed: false, action: 'log' }]);
  });
});
