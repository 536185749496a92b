import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANTHROPIC_MOCK_KEY, startAnthropicMock, thinkingFailure, type AnthropicMock } from '../../mocks/anthropic-mock.js';
import { fixtureChunks, fixtureJson } from '../../mocks/mock-server.js';

let mock: AnthropicMock;
beforeAll(async () => {
  mock = await startAnthropicMock();
});
afterAll(() => mock.close());

const minimal = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };

function post(headers: Record<string, string>, body: unknown = minimal, path = '/v1/messages'): Promise<Response> {
  return fetch(`${mock.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

describe('anthropic mock upstream', () => {
  it('accepts the current form: anthropic-version 2026-10-21 with Authorization: Bearer', async () => {
    const response = await post({ 'anthropic-version': '2026-10-21', authorization: `Bearer ${ANTHROPIC_MOCK_KEY}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(fixtureJson('anthropic/anthropic-text.json'));
  });

  it('accepts the older form: anthropic-version 2023-06-01 with x-api-key', async () => {
    const response = await post({ 'anthropic-version': '2023-06-01', 'x-api-key': ANTHROPIC_MOCK_KEY });
    expect(response.status).toBe(200);
  });

  it.each([
    [{ 'anthropic-version': '2026-10-21' }, 'x-api-key header is required'],
    [{ 'anthropic-version': '2026-10-21', 'x-api-key': 'nope' }, 'invalid x-api-key'],
    [{ 'anthropic-version': '2026-10-21', authorization: 'Bearer nope' }, 'invalid x-api-key'],
  ])('rejects %j with a 401 authentication_error', async (headers, message) => {
    const response = await post(headers);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'authentication_error', message }, request_id: expect.stringMatching(/^req_/) });
  });

  it('rejects sampling parameters under 2026-10-21 only, and a missing version', async () => {
    const withTemperature = { ...minimal, temperature: 0.5 };
    const rejected = await post({ 'anthropic-version': '2026-10-21', 'x-api-key': ANTHROPIC_MOCK_KEY }, withTemperature);
    expect(rejected.status).toBe(400);
    expect((await rejected.json()).error).toEqual({ type: 'invalid_request_error', message: 'temperature: Extra inputs are not permitted' });
    expect((await post({ 'anthropic-version': '2023-06-01', 'x-api-key': ANTHROPIC_MOCK_KEY }, withTemperature)).status).toBe(200);
    expect((await post({ 'x-api-key': ANTHROPIC_MOCK_KEY })).status).toBe(400);
  });

  it('answers other paths with not_found_error', async () => {
    const response = await post({ 'anthropic-version': '2026-10-21', 'x-api-key': ANTHROPIC_MOCK_KEY }, minimal, '/v1/complete');
    expect(response.status).toBe(404);
    expect((await response.json()).error.type).toBe('not_found_error');
  });

  it('replays a stream fixture with Anthropic SSE framing', async () => {
    mock.reply({ fixture: 'anthropic-tool-no-args' });
    const response = await post({ 'anthropic-version': '2026-10-21', 'x-api-key': ANTHROPIC_MOCK_KEY }, { ...minimal, stream: true });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const expected = fixtureChunks('anthropic/anthropic-tool-no-args.chunks.txt')
      .map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`)
      .join('');
    expect(await response.text()).toBe(expected);
  });

  it('checks thinking blocks in the history as Anthropic does', async () => {
    const thinking = { type: 'thinking', thinking: 'Hm.', signature: 'EvQB' };
    const toolUse = { type: 'tool_use', id: 'toolu_1', name: 'weather', input: {} };
    const toolResult = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' }] };
    const ask = { role: 'user', content: 'Weather?' };
    const on = { type: 'enabled', budget_tokens: 1024 };
    // Thinking on, a tool loop whose assistant turn lost its thinking block.
    expect(thinkingFailure({ thinking: on, messages: [ask, { role: 'assistant', content: [toolUse] }, toolResult] })).toMatch(
      /^messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`\. When `thinking` is enabled, a final `assistant` message must start with a thinking block/,
    );
    expect(thinkingFailure({ thinking: on, messages: [ask, { role: 'assistant', content: [thinking, toolUse] }, toolResult] })).toBeUndefined();
    expect(thinkingFailure({ thinking: { type: 'adaptive' }, messages: [ask, { role: 'assistant', content: [{ type: 'redacted_thinking', data: 'x' }, toolUse] }, toolResult] })).toBeUndefined();
    // Thinking anywhere in an assistant turn must come first.
    expect(thinkingFailure({ thinking: on, messages: [ask, { role: 'assistant', content: [{ type: 'text', text: 'a' }, thinking] }, ask] })).toBe(
      'messages.1.content.0: If an assistant message contains any thinking blocks, the first block must be thinking or redacted_thinking. Found text.',
    );
    // Thinking off: none in a final assistant turn, and earlier ones are let through.
    expect(thinkingFailure({ messages: [ask, { role: 'assistant', content: [thinking, { type: 'text', text: 'a' }] }] })).toMatch(/^messages\.1\.content\.0: When thinking is disabled/);
    expect(thinkingFailure({ messages: [ask, { role: 'assistant', content: [thinking, { type: 'text', text: 'a' }] }, ask] })).toBeUndefined();

    const refused = await post({ 'anthropic-version': '2026-10-21', 'x-api-key': ANTHROPIC_MOCK_KEY }, { ...minimal, thinking: on, messages: [ask, { role: 'assistant', content: [toolUse] }, toolResult] });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.type).toBe('invalid_request_error');
  });

  it('serves a queued error with its status and headers', async () => {
    mock.reply({ error: { status: 429, type: 'rate_limit_error', message: 'Slow down' }, headers: { 'retry-after': '3' } });
    const response = await post({ 'anthropic-version': '2026-10-21', 'x-api-key': ANTHROPIC_MOCK_KEY });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect((await response.json()).error).toEqual({ type: 'rate_limit_error', message: 'Slow down' });
  });
});
