/** The record's parts, exactly: secret masking, bodies per mode, a streamed answer reassembled, and a record built from an exchange. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../src/api/chat-schema.js';
import { GatewayError } from '../../src/api/errors.js';
import type { Exchange } from '../../src/server/pipeline.js';
import { openSqlite } from '../../src/storage/sqlite.js';
import { createTelemetry, telemetryConfigSchema } from '../../src/telemetry/index.js';
import { StreamAssembler } from '../../src/telemetry/record/assemble-stream.js';
import { captureBodies } from '../../src/telemetry/record/body-capture.js';
import { buildLogRecord } from '../../src/telemetry/record/build-record.js';
import { logRecordSchema } from '../../src/telemetry/record/log-record.js';
import { jsonLine } from '../../src/telemetry/pipeline/json-lines.js';
import { createSecretMasker } from '../../src/telemetry/record/mask-secrets.js';
import { packRecord } from '../../src/telemetry/record/packed-record.js';
import { makeRecord, quietLogger, temporaryDirectory } from './helpers.js';

const masker = createSecretMasker({ env: { OPENAI_API_KEY: 'sk-live-from-env-0123456789', SWITCHYARD_ADMIN_TOKEN: 'admin-token-xyz', HOME: '/root' }, patterns: ['sy-[a-z0-9]{8}'] });

describe('secret masking', () => {
  it('masks key formats inside text, keeping the last four characters', () => {
    expect(masker.text('use sk-proj-abcdefghijklmnopqrstuvwxyz1234 now')).toBe('use [REDACTED …1234] now');
    expect(masker.text('sk-ant-api03-abcdefghijklmnopqrstuv-WXYZ')).toBe('[REDACTED …WXYZ]');
    expect(masker.text('AKIAABCDEFGHIJKLMNOP and AIzaSyA-1234567890abcdefghijklmnopqrstu')).toBe('[REDACTED …MNOP] and [REDACTED …rstu]');
    expect(masker.text('Authorization: Bearer abcdefghijklmnop.qrs')).toBe('Authorization: [REDACTED ….qrs]');
    expect(masker.text('ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toBe('[REDACTED …6789]');
    expect(masker.text('-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----')).toBe('[REDACTED …----]');
  });

  it('masks the gateway’s own secrets from its environment, and configured patterns', () => {
    expect(masker.text('key sk-live-from-env-0123456789 and admin-token-xyz and /root')).toBe('key [REDACTED …6789] and [REDACTED …-xyz] and /root');
    expect(masker.text('virtual key sy-ab12cd34')).toBe('virtual key [REDACTED]');
  });

  it('masks values under secret-looking keys in JSON, whatever they look like', () => {
    expect(masker.json({ api_key: 'short', nested: { Authorization: 'x', password: 'hunter2hunter2', max_tokens: 5, prompt_tokens: 3 }, list: ['sk-abcdefghijklmnopqrstu'], credentials: { a: 1 } })).toEqual({
      api_key: '[REDACTED]',
      nested: { Authorization: '[REDACTED]', password: '[REDACTED …ter2]', max_tokens: 5, prompt_tokens: 3 },
      list: ['[REDACTED …rstu]'],
      credentials: '[REDACTED]',
    });
  });
});

const chat = {
  model: 'gpt-4o',
  messages: [
    { role: 'system' as const, content: 'be brief' },
    { role: 'user' as const, content: [{ type: 'text' as const, text: 'what is this?' }, { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,AAAABBBB' } }] },
  ],
  temperature: 0.3,
  tools: [{ type: 'function' as const, function: { name: 'lookup', parameters: {} } }],
  metadata: { secret_project: 'x' },
};
const completion = { id: 'chatcmpl-9', object: 'chat.completion' as const, created: 1, model: 'gpt-4o-2024', choices: [{ index: 0, message: { role: 'assistant' as const, content: 'a cat' }, finish_reason: 'stop' as const }] };

describe('bodies per mode', () => {
  it('none keeps nothing', () => {
    expect(captureBodies({ chat, completion }, 'none', masker, 1000)).toEqual({});
  });

  it('metadata keeps parameters and shapes, no content', () => {
    const metadata = captureBodies({ chat, completion }, 'metadata', masker, 1000);
    expect({ requestBody: JSON.parse(metadata.requestBody!), responseBody: JSON.parse(metadata.responseBody!) }).toEqual({
      requestBody: { model: 'gpt-4o', temperature: 0.3, messages: [{ role: 'system', content_chars: 8 }, { role: 'user', content_chars: 13, parts: ['text', 'image_url'] }], tools: ['lookup'] },
      responseBody: { id: 'chatcmpl-9', model: 'gpt-4o-2024', choices: [{ finish_reason: 'stop', content_chars: 5 }] },
    });
    const embeddings = captureBodies({ embeddings: { model: 'e', input: ['a', 'b'] } }, 'metadata', masker, 1000);
    expect({ requestBody: JSON.parse(embeddings.requestBody!), responseBody: embeddings.responseBody }).toEqual({ requestBody: { model: 'e', inputs: 2 }, responseBody: undefined });
  });

  it('full keeps the bodies, inline data replaced by its size, cut past the limit', () => {
    const full = captureBodies({ chat, completion }, 'full', masker, 10_000);
    expect((JSON.parse(full.requestBody!) as typeof chat).messages[1]).toEqual({ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: 'data:image/png[8 characters]' } }] });
    expect(JSON.parse(full.responseBody!)).toEqual(completion);
    const cut = JSON.parse(captureBodies({ chat }, 'full', masker, 40).requestBody!) as { truncated: boolean; bytes: number; preview: string };
    expect(cut.truncated).toBe(true);
    expect(cut.preview).toBe('{"model":"gpt-4o","m');
  });
});

describe('a streamed answer, reassembled', () => {
  it('joins content, reasoning, thinking blocks, tool calls, finish reasons and usage', () => {
    const chunk = (choices: ChatCompletionChunk['choices'], usage?: ChatCompletionChunk['usage']): ChatCompletionChunk => ({ id: 'c1', object: 'chat.completion.chunk', created: 7, model: 'm', choices, ...(usage ? { usage } : {}) });
    const assembler = new StreamAssembler();
    assembler.add(chunk([{ index: 0, delta: { role: 'assistant', reasoning_content: 'hm' }, finish_reason: null }]));
    assembler.add(chunk([{ index: 0, delta: { thinking_blocks: [{ type: 'thinking', thinking: 'hm', signature: 'sig' }] }, finish_reason: null }]));
    assembler.add(chunk([{ index: 0, delta: { content: 'Hel' }, finish_reason: null }]));
    assembler.add(chunk([{ index: 0, delta: { content: 'lo', tool_calls: [{ index: 0, id: 't1', type: 'function', function: { name: 'get', arguments: '{"a"' } }] }, finish_reason: null }]));
    assembler.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }, finish_reason: 'tool_calls' }]));
    assembler.add(chunk([], { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 }));
    expect(assembler.completion()).toEqual({
      id: 'c1',
      object: 'chat.completion',
      created: 7,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello', reasoning_content: 'hm', thinking_blocks: [{ type: 'thinking', thinking: 'hm', signature: 'sig' }], tool_calls: [{ id: 't1', type: 'function', function: { name: 'get', arguments: '{"a":1}' } }] }, finish_reason: 'tool_calls' }],
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    });
  });
});

describe('a record built from an exchange', () => {
  it('holds every field, with exact times from the injected clock', () => {
    const exchange = {
      kind: 'chat',
      context: {
        id: 'r-1',
        startedAt: 1000,
        startedAtEpoch: Date.UTC(2025, 0, 1),
        request: { method: 'POST', url: '/v1/chat/completions?x=1', headers: {} },
        route: { attempts: [
          { target: 'targets[0]', provider: 'pa', model: 'm1', status: 503, latencyMs: 12.5, retry: 0, error: 'pa said sk-abcdefghijklmnopqrstu', code: 'upstream_error' },
          { target: 'targets[1]', provider: 'pb', model: 'm2', status: 200, latencyMs: 40, retry: 0 },
        ] },
        routeName: 'smart',
        metadata: { feature: 'search' },
      },
      chat: { model: 'smart', messages: [{ role: 'user', content: 'hi' }], stream: true },
      candidates: [],
      principal: { keyId: 'k1', keyName: 'ci', teamId: 't1', ownerId: 'o1', userId: 'u1', metadata: { tier: 'gold' } },
      served: { provider: 'pb', model: 'm2' },
      usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13, prompt_tokens_details: { cached_tokens: 3 }, completion_tokens_details: { reasoning_tokens: 2 } },
      usageEstimated: true,
      cost: { usd: 0.0012, estimated: true, unpriced: false },
      cacheStatus: 'MISS',
      guardrails: [{ name: 'pii', stage: 'input', passed: true, action: 'redact', latencyMs: 1.5 }],
      firstTokenAt: 1080.04,
      status: 200,
    } as unknown as Exchange;
    const record = buildLogRecord(exchange, { bodyMode: 'none', maxBodyBytes: 100, masker, monotonicNow: () => 1123.45 }, 'abc');
    expect(record).toEqual({
      id: 'r-1',
      traceId: 'abc',
      startedAt: Date.UTC(2025, 0, 1),
      latencyMs: 123.5,
      timeToFirstTokenMs: 80,
      kind: 'chat',
      method: 'POST',
      endpoint: '/v1/chat/completions',
      principal: { keyId: 'k1', keyName: 'ci', teamId: 't1', ownerId: 'o1', userId: 'u1', metadata: { tier: 'gold' } },
      metadata: { tier: 'gold', feature: 'search' },
      route: 'smart',
      attempts: [
        { target: 'targets[0]', provider: 'pa', model: 'm1', status: 503, latencyMs: 12.5, retry: 0, error: 'pa said [REDACTED …rstu]', code: 'upstream_error' },
        { target: 'targets[1]', provider: 'pb', model: 'm2', status: 200, latencyMs: 40, retry: 0 },
      ],
      modelRequested: 'smart',
      modelServed: 'm2',
      provider: 'pb',
      status: 200,
      streamed: true,
      usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13, prompt_tokens_details: { cached_tokens: 3 }, completion_tokens_details: { reasoning_tokens: 2 } },
      usageEstimated: true,
      cost: { usd: 0.0012, estimated: true, unpriced: false },
      cacheStatus: 'MISS',
      guardrails: [{ name: 'pii', stage: 'input', passed: true, action: 'redact', latencyMs: 1.5 }],
      bodyMode: 'none',
    });
    const failed = buildLogRecord({ ...exchange, status: 502, error: new GatewayError('upstream_unreachable', { message: 'cannot reach with key sk-abcdefghijklmnopqrstu' }), served: undefined } as Exchange, { bodyMode: 'none', maxBodyBytes: 100, masker, monotonicNow: () => 1100 }, undefined);
    expect([failed.status, failed.errorCode, failed.errorMessage, failed.provider, failed.modelServed, failed.traceId]).toEqual([502, 'upstream_unreachable', 'cannot reach with key [REDACTED …rstu]', 'pb', undefined, undefined]);

    // Bodies are JSON text in the record: exactly the captured (masked) bodies, serialized once here.
    const completion = { id: 'c-1', object: 'chat.completion', created: 1, model: 'm2', choices: [{ index: 0, message: { role: 'assistant', content: 'token sk-abcdefghijklmnopqrstu' }, finish_reason: 'stop' }] };
    const full = buildLogRecord({ ...exchange, completion } as unknown as Exchange, { bodyMode: 'full', maxBodyBytes: 10_000, masker, monotonicNow: () => 1100 }, undefined);
    const captured = captureBodies({ chat: exchange.chat, completion: completion as never }, 'full', masker, 10_000);
    expect(typeof full.requestBody).toBe('string');
    expect(full.requestBody).toBe(captured.requestBody);
    expect(full.responseBody).toBe(captured.responseBody);
    expect(full.responseBody).toContain('[REDACTED …rstu]');
    expect(full.responseBody).not.toContain('sk-abcdefghijklmnopqrstu');
    const none = buildLogRecord(exchange, { bodyMode: 'none', maxBodyBytes: 100, masker, monotonicNow: () => 1100 }, undefined);
    expect('requestBody' in none || 'responseBody' in none).toBe(false);
  });
});

describe('a record as a JSON line', () => {
  it('nests the bodies as JSON values, and reads back to the same record', () => {
    const record = logRecordSchema.parse({ id: 'j-1', startedAt: 5, latencyMs: 1, kind: 'chat', method: 'POST', endpoint: '/v1/chat/completions', metadata: {}, attempts: [], status: 200, streamed: false, usageEstimated: false, guardrails: [], bodyMode: 'full', requestBody: '{"model":"m","messages":[{"role":"user","content":"a \\"quoted\\" line\\n"}]}', responseBody: '{"id":"c"}' });
    const line = jsonLine(record);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed.requestBody).toEqual({ model: 'm', messages: [{ role: 'user', content: 'a "quoted" line\n' }] });
    expect(parsed.responseBody).toEqual({ id: 'c' });
    expect(logRecordSchema.parse(parsed)).toEqual(record);
    const bare = logRecordSchema.parse({ ...record, requestBody: undefined, responseBody: undefined });
    expect(jsonLine(bare)).toBe(JSON.stringify(bare));
  });

  it('reads a body that an older spill file holds as a value as that value\'s JSON text', () => {
    const legacy = { id: 'old-1', startedAt: 5, latencyMs: 1, kind: 'chat', method: 'POST', endpoint: '/v1/chat/completions', metadata: {}, attempts: [], status: 200, streamed: false, usageEstimated: false, guardrails: [], bodyMode: 'full', requestBody: { model: 'm', n: [1, null] } };
    const record = logRecordSchema.parse(JSON.parse(JSON.stringify(legacy)));
    expect(record.requestBody).toBe('{"model":"m","n":[1,null]}');
    expect(record.responseBody).toBeUndefined();
  });
});

describe('the config schema', () => {
  it('accepts an empty object and fills the defaults', () => {
    expect(telemetryConfigSchema.parse({})).toEqual({
      logging: { enabled: true, bodies: 'metadata', max_body_bytes: 262144, mask_patterns: [], retention_days: 30, sqlite_max_bytes: 2147483648, queue_max_records: 10000, write_thread: true, flush_interval_ms: 200, spill_dir: './data/telemetry-spill', spill_max_bytes: 1073741824, jsonl: 'off', maintenance_interval_ms: 3600000 },
      metrics: { enabled: true, require_admin_token: false, process_metrics: true },
      tracing: { enabled: true, service_name: 'switchyard', sample_ratio: 1, propagate: true },
    });
    expect(() => telemetryConfigSchema.parse({ logging: { bodies: 'everything' } })).toThrow();
    expect(() => telemetryConfigSchema.parse({ logging: { unknown: 1 } })).toThrow();
  });
});

describe('bodies with the log off', () => {
  it('are not captured, and streams are not assembled for them, whatever logging.bodies says', async () => {
    const exchange = { context: { id: 'r' } } as unknown as Exchange;
    const observing = async (enabled: boolean): Promise<boolean> => {
      const directory = temporaryDirectory('bodies-off');
      const config = telemetryConfigSchema.parse({ logging: { enabled, bodies: 'full', write_thread: false, spill_dir: path.join(directory.path, 'spill') }, metrics: { process_metrics: false } });
      const telemetry = await createTelemetry({ config, env: {}, sqlite: enabled ? openSqlite(':memory:') : undefined, logger: quietLogger });
      try {
        return telemetry.stage.observeStream?.(exchange) !== undefined;
      } finally {
        await telemetry.stop();
        directory.remove();
      }
    };
    expect(await observing(true)).toBe(true);
    expect(await observing(false)).toBe(false);
  });
});

describe('a record packed for the queue', () => {
  it('has its fields without the bodies, and the record keeps its bodies and its keys', () => {
    const both = makeRecord({ id: 'both', requestBody: '{"q":1}', responseBody: '{"a":2}' });
    const packed = packRecord(both);
    const fields = JSON.parse(packed.fields.toString()) as Record<string, unknown>;
    expect(fields).not.toHaveProperty('requestBody');
    expect(fields).not.toHaveProperty('responseBody');
    expect(fields.id).toBe('both');
    expect([packed.requestBody?.toString(), packed.responseBody?.toString()]).toEqual(['{"q":1}', '{"a":2}']);
    expect([both.requestBody, both.responseBody]).toEqual(['{"q":1}', '{"a":2}']);

    const one = makeRecord({ id: 'one', requestBody: '{"q":1}' });
    delete one.responseBody;
    const keys = Object.keys(one);
    packRecord(one);
    expect(Object.keys(one)).toEqual(keys);
    expect(one.requestBody).toBe('{"q":1}');
  });

  it('puts the bodies back when the fields cannot be written', () => {
    const record = makeRecord({ id: 'big', requestBody: '{"q":1}', responseBody: '{"a":2}' });
    (record.metadata as Record<string, unknown>).count = 1n;
    expect(() => packRecord(record)).toThrow(TypeError);
    expect([record.requestBody, record.responseBody]).toEqual(['{"q":1}', '{"a":2}']);
  });
});
