/**
 * Traces exported over OTLP/HTTP to a mock collector (a node:http server in
 * the test that keeps each payload): a request span and a span per attempt
 * with the GenAI attributes, the caller's traceparent as parent, and the
 * traceparent that `traceHeaders` gives the providers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/server/pipeline.js';
import { createTelemetry, telemetryConfigSchema } from '../../src/telemetry/index.js';
import { openSqlite } from '../../src/storage/sqlite.js';
import { startFaultMock, type FaultMock } from '../mocks/fault-mock.js';
import { quietLogger, startTelemetryGateway, temporaryDirectory } from './helpers.js';

interface Collected {
  contentType: string;
  body: Buffer;
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number };
}

let collector: Server;
let collectorUrl: string;
const payloads: Collected[] = [];
let upstream: FaultMock;

beforeAll(async () => {
  collector = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      payloads.push({ contentType: String(request.headers['content-type']), body: request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw });
      response.writeHead(200, { 'content-type': String(request.headers['content-type']) });
      response.end(request.headers['content-type'] === 'application/json' ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  upstream = await startFaultMock('up');
});
afterAll(async () => {
  await new Promise((resolve) => collector.close(resolve));
  await upstream.close();
});

function spansOf(collected: Collected[]): OtlpSpan[] {
  return collected
    .filter((payload) => payload.contentType === 'application/json')
    .flatMap((payload) => (JSON.parse(payload.body.toString('utf8')) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans)
    .flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans));
}

function attributes(span: OtlpSpan): Record<string, unknown> {
  return Object.fromEntries(span.attributes.map((attribute) => [attribute.key, Object.values(attribute.value)[0]]));
}

describe('OpenTelemetry traces', () => {
  it('exports a request span and a span per attempt with the GenAI conventions, under the caller’s trace', async () => {
    payloads.length = 0;
    const harness = await startTelemetryGateway({
      config: {
        providers: { pa: { type: 'openai', api_key: 'k', base_url: `${upstream.url}/v1` }, pb: { type: 'anthropic', api_key: 'k', base_url: 'http://127.0.0.1:9/v1' } },
        routes: { smart: { strategy: { mode: 'fallback' }, targets: [{ provider: 'pa', model: 'm1' }, { provider: 'pa', model: 'm2' }] } },
      },
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'gateway-under-test' },
    });
    upstream.script({ kind: 'status', status: 500 });
    const client = new OpenAI({ apiKey: 'unused', baseURL: harness.gateway.baseURL, maxRetries: 0 });
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }], temperature: 0.5, max_tokens: 20 }, { headers: { traceparent, 'x-request-id': 'traced-1' } });
    await harness.telemetry.flush();
    const logged = await harness.admin('/admin/logs/traced-1');
    await harness.close();

    const spans = spansOf(payloads);
    expect(spans).toHaveLength(3);
    const request = spans.find((span) => span.kind === 2)!;
    const attempts = spans.filter((span) => span.kind === 3);
    expect(request.name).toBe('chat smart');
    expect(request.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(request.parentSpanId).toBe('b7ad6b7169203331');
    expect(logged.body.trace_id).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(attributes(request)).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'smart',
      'gen_ai.response.model': 'up',
      'gen_ai.response.id': 'chatcmpl-up',
      'gen_ai.request.temperature': 0.5,
      'gen_ai.request.max_tokens': 20,
      'gen_ai.usage.input_tokens': 5,
      'gen_ai.usage.output_tokens': 2,
      'http.response.status_code': 200,
      'switchyard.request.id': 'traced-1',
      'switchyard.route': 'smart',
      'switchyard.attempts': 2,
      'switchyard.fallback': true,
    });
    expect(attempts.map((span) => [span.name, span.parentSpanId, span.traceId, attributes(span)['gen_ai.request.model'], attributes(span)['http.response.status_code'], attributes(span)['error.type'] ?? null, span.status?.code ?? 0])).toEqual([
      ['chat m1', request.spanId, request.traceId, 'm1', 500, 'upstream_error', 2],
      ['chat m2', request.spanId, request.traceId, 'm2', 200, null, 0],
    ]);
    expect(attributes(attempts[1]!)['gen_ai.usage.input_tokens']).toBe(5);
    expect(attributes(attempts[0]!)['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(BigInt(attempts[0]!.endTimeUnixNano) <= BigInt(attempts[1]!.startTimeUnixNano) + 1_000_000n).toBe(true);
    // The span lasts the logged latency (to float precision of epoch milliseconds).
    expect(Number(BigInt(request.endTimeUnixNano) - BigInt(request.startTimeUnixNano)) / 1e6).toBeCloseTo(logged.body.latency_ms, 2);
  });

  it('traceHeaders starts a live attempt span whose id is the parent the provider sees', async () => {
    payloads.length = 0;
    const directory = temporaryDirectory('telemetry-trace-headers');
    const sqlite = openSqlite(':memory:');
    const config = telemetryConfigSchema.parse({ logging: { spill_dir: directory.path }, metrics: { process_metrics: false } });
    const telemetry = await createTelemetry({ config, env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collectorUrl}/v1/traces`, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, sqlite, logger: quietLogger });
    const exchange = {
      kind: 'chat',
      context: {
        id: 'live-1',
        startedAt: performance.now(),
        startedAtEpoch: Date.now(),
        request: { method: 'POST', url: '/v1/chat/completions', headers: {} },
        route: { attempts: [] as unknown[] },
      },
      state: { config: { providers: { pa: { type: 'openai' } } }, resolver: { settings: () => ({ dialect: 'openai' }) } },
      chat: { model: 'pa/m1', messages: [{ role: 'user', content: 'hi' }] },
      candidates: [],
      guardrails: [],
      status: 200,
      served: { provider: 'pa', model: 'm1' },
    } as unknown as Exchange;
    const first = telemetry.traceHeaders(exchange);
    const second = telemetry.traceHeaders(exchange);
    exchange.context.route!.attempts.push(
      { target: 'root', provider: 'pa', model: 'm1', status: 503, latencyMs: 5, retry: 0, error: 'down', code: 'upstream_error' },
      { target: 'root', provider: 'pa', model: 'm1', status: 200, latencyMs: 7, retry: 1 },
    );
    await telemetry.stage.finish!(exchange);
    await telemetry.stop();
    sqlite.close();
    directory.remove();

    const pattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;
    expect(first.traceparent).toMatch(pattern);
    const [, traceId, firstParent] = pattern.exec(first.traceparent!)!;
    const [, secondTrace, secondParent] = pattern.exec(second.traceparent!)!;
    expect(secondTrace).toBe(traceId);
    const spans = spansOf(payloads);
    const request = spans.find((span) => span.kind === 2)!;
    const attempts = spans.filter((span) => span.kind === 3);
    expect(attempts.map((span) => [span.spanId, span.parentSpanId, attributes(span)['switchyard.attempt.retry']])).toEqual([
      [firstParent, request.spanId, 0],
      [secondParent, request.spanId, 1],
    ]);
    expect(Number(BigInt(attempts[0]!.endTimeUnixNano) - BigInt(attempts[0]!.startTimeUnixNano)) / 1e6).toBeCloseTo(5, 2);
  });

  it('sends protobuf by default (http/protobuf)', async () => {
    payloads.length = 0;
    const harness = await startTelemetryGateway({ config: { providers: { pa: { type: 'openai', api_key: 'k', base_url: `${upstream.url}/v1` } } }, env: { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl } });
    await new OpenAI({ apiKey: 'unused', baseURL: harness.gateway.baseURL, maxRetries: 0 }).chat.completions.create({ model: 'pa/m1', messages: [{ role: 'user', content: 'hi' }] });
    await harness.close();
    expect(payloads.map((payload) => payload.contentType)).toEqual(['application/x-protobuf']);
    expect(payloads[0]!.body.includes(Buffer.from('gen_ai.request.model'))).toBe(true);
  });

  it('without an endpoint exports nothing but still gives every record a trace id', async () => {
    payloads.length = 0;
    const harness = await startTelemetryGateway({ config: { providers: { pa: { type: 'openai', api_key: 'k', base_url: `${upstream.url}/v1` } } } });
    await fetch(`${harness.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'untraced-1' }, body: JSON.stringify({ model: 'pa/m1', messages: [{ role: 'user', content: 'hi' }] }) });
    await harness.telemetry.flush();
    const logged = await harness.admin('/admin/logs/untraced-1');
    await harness.close();
    expect(logged.body.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(payloads).toEqual([]);
  });
});
