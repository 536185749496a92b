import { describe, expect, it } from 'vitest';
import { chatRequestSchema, type ChatRequest } from '../../src/api/chat-schema.js';
import { requestKeys, routeIdentity } from '../../src/cache/request-key.js';
import { namespaceOf } from '../../src/cache/namespace.js';

const route = routeIdentity({ provider: 'up', model: 'm1' }, 'chat', 'chat');
const options = { embedderId: 'offline', maxTextChars: 8000, semantic: true };
const parse = (body: object): ChatRequest => chatRequestSchema.parse(body);
const exact = (body: object): string => requestKeys(parse(body), route, options).exact;

const weatherTool = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
const timeTool = { type: 'function', function: { name: 'get_time', parameters: { properties: { zone: { type: 'string' } }, type: 'object' } } };
const base = { model: 'chat', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is the weather in Paris?' }], temperature: 0 };

describe('exact keys', () => {
  it('ignore key order, null against absent, and params that do not change the output', () => {
    const key = exact(base);
    expect(exact({ temperature: 0, messages: [{ content: 'Be brief.', role: 'system' }, { content: 'What is the weather in Paris?', role: 'user' }], model: 'chat' })).toBe(key);
    expect(exact({ ...base, user: 'alice', stream: true, stream_options: { include_usage: true }, metadata: { team: 'x' }, store: true, service_tier: 'flex', top_p: null, seed: null })).toBe(key);
    expect(exact({ ...base, messages: [base.messages[0], { role: 'user', content: [{ type: 'text', text: 'What is the weather in Paris?' }] }] })).toBe(key);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('change with every param that changes the output, the model, the route and the messages', () => {
    const key = exact(base);
    const others = [
      exact({ ...base, temperature: 0.5 }),
      exact({ ...base, max_tokens: 10 }),
      exact({ ...base, n: 2 }),
      exact({ ...base, response_format: { type: 'json_object' } }),
      exact({ ...base, top_k: 5 }),
      exact({ ...base, model: 'other' }),
      exact({ ...base, messages: [base.messages[0], { role: 'user', content: 'What is the weather in Lyon?' }] }),
      exact({ ...base, messages: [{ role: 'system', content: 'Be long.' }, base.messages[1]] }),
      exact({ ...base, messages: [base.messages[1], base.messages[0]] }),
      requestKeys(parse(base), routeIdentity({ provider: 'up', model: 'm2' }, 'chat', 'chat'), options).exact,
    ];
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
  });

  it('ignore a route setting that does not change the answer (credentials, retries, time-outs)', () => {
    const plain = routeIdentity({ provider: 'up', model: 'm1' }, 'chat', 'chat');
    const withSecrets = routeIdentity({ provider: 'up', model: 'm1', api_key: 'sk-1', retry: { attempts: 3 }, timeouts: { total_ms: 5 }, cache: { mode: 'simple' } }, 'chat', 'chat');
    expect(withSecrets).toEqual(plain);
    expect(routeIdentity({ provider: 'up', model: 'm1', override_params: { temperature: 1 } }, 'chat', 'chat').fingerprint).not.toBe(plain.fingerprint);
    expect(routeIdentity(undefined, undefined, 'up/m1')).toEqual({ label: 'up/m1', fingerprint: routeIdentity({ model: 'up/m1' }, undefined, 'up/m1').fingerprint });
  });

  it('treat tools as a set, but keep the order of messages and of tool calls', () => {
    const key = exact({ ...base, tools: [weatherTool, timeTool] });
    expect(exact({ ...base, tools: [timeTool, weatherTool] })).toBe(key);
    expect(exact({ ...base, tools: [weatherTool] })).not.toBe(key);
    const calls = [
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{"zone":"CET"}' } },
    ];
    const conversation = (first: typeof calls, ids: [string, string]): object => ({
      ...base,
      tools: [weatherTool, timeTool],
      messages: [
        base.messages[1],
        { role: 'assistant', content: null, tool_calls: first },
        { role: 'tool', tool_call_id: ids[0], content: '18C' },
        { role: 'tool', tool_call_id: ids[1], content: '14:00' },
      ],
    });
    const original = exact(conversation(calls, ['call_a', 'call_b']));
    const renamed = calls.map((call, index) => ({ ...call, id: `call_other_${index}` }));
    expect(exact(conversation(renamed, ['call_other_0', 'call_other_1']))).toBe(original);
    expect(exact(conversation([calls[1]!, calls[0]!], ['call_b', 'call_a']))).not.toBe(original);
  });

  it('order stop sequences as a set', () => {
    expect(exact({ ...base, stop: ['b', 'a'] })).toBe(exact({ ...base, stop: ['a', 'b', 'a'] }));
    expect(exact({ ...base, stop: 'a' })).toBe(exact({ ...base, stop: ['a'] }));
    expect(exact({ ...base, stop: ['a'] })).not.toBe(exact(base));
  });
});

describe('semantic parts', () => {
  it('embed the final user turn and hash everything else', () => {
    const keys = requestKeys(parse(base), route, options);
    expect(keys.semantic?.text).toBe('What is the weather in Paris?');
    const sameContext = requestKeys(parse({ ...base, messages: [base.messages[0], { role: 'user', content: 'Weather in Paris?' }] }), route, options);
    expect(sameContext.semantic?.contextHash).toBe(keys.semantic?.contextHash);
    expect(sameContext.exact).not.toBe(keys.exact);
    const otherSystem = requestKeys(parse({ ...base, messages: [{ role: 'system', content: 'Be long.' }, base.messages[1]] }), route, options);
    expect(otherSystem.semantic?.contextHash).not.toBe(keys.semantic?.contextHash);
    const otherParams = requestKeys(parse({ ...base, temperature: 1 }), route, options);
    expect(otherParams.semantic?.contextHash).not.toBe(keys.semantic?.contextHash);
    const otherEmbedder = requestKeys(parse(base), route, { ...options, embedderId: 'provider:x' });
    expect(otherEmbedder.semantic?.contextHash).not.toBe(keys.semantic?.contextHash);
  });

  it('keep images in the exact hash, so the same words about another image never match', () => {
    const withImage = (url: string): object => ({ ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'Describe this image.' }, { type: 'image_url', image_url: { url } }] }] });
    const first = requestKeys(parse(withImage('https://example.com/a.png')), route, options);
    const second = requestKeys(parse(withImage('https://example.com/b.png')), route, options);
    expect(first.semantic?.text).toBe('Describe this image.');
    expect(first.semantic?.contextHash).not.toBe(second.semantic?.contextHash);
  });

  it('match exactly only when the last turn is not a user text, or is too long to embed', () => {
    const toolLast = { ...base, messages: [base.messages[1], { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c', content: 'x' }] };
    expect(requestKeys(parse(toolLast), route, options).semantic).toBeUndefined();
    expect(requestKeys(parse(base), route, { ...options, maxTextChars: 10 }).semantic).toBeUndefined();
    expect(requestKeys(parse(base), route, { ...options, semantic: false }).semantic).toBeUndefined();
  });
});

describe('namespaces', () => {
  it('isolate keys and teams, and callers who bring their own provider key', () => {
    expect(namespaceOf({ keyId: 'k1', teamId: 't1', metadata: {} }, 'key', undefined)).toBe('key:k1');
    expect(namespaceOf({ keyId: 'k1', teamId: 't1', metadata: {} }, 'team', undefined)).toBe('team:t1');
    expect(namespaceOf({ keyId: 'k1', metadata: {} }, 'team', undefined)).toBe('key:k1');
    expect(namespaceOf(undefined, 'key', undefined)).toBe('anonymous');
    const first = namespaceOf(undefined, 'key', 'sk-one');
    expect(first).toMatch(/^client:[0-9a-f]{32}$/);
    expect(namespaceOf(undefined, 'key', 'sk-two')).not.toBe(first);
  });
});
