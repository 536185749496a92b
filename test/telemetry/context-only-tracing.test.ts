/**
 * Tracing without an exporter: the trace context alone. Its reading of a
 * caller's `traceparent` must agree with OpenTelemetry's W3C propagator, which
 * the exporting path uses; and through the gateway, the provider gets a
 * `traceparent` in the caller's trace (or in the one the log records).
 */
import { ROOT_CONTEXT, defaultTextMapGetter, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parentContext, randomHex } from '../../src/telemetry/tracing/context-only-tracing.js';
import { startFaultMock, type FaultMock } from '../mocks/fault-mock.js';
import { startTelemetryGateway } from './helpers.js';

const traceId = '0af7651916cd43dd8448eb211c80319c';
const spanId = 'b7ad6b7169203331';

describe('reading a caller\'s traceparent', () => {
  const propagator = new W3CTraceContextPropagator();
  it.each([
    `00-${traceId}-${spanId}-01`,
    `00-${traceId}-${spanId}-00`,
    `00-${traceId}-${spanId}-03`,
    `00-${traceId.toUpperCase()}-${spanId}-01`,
    ` 00-${traceId}-${spanId}-01 `,
    `01-${traceId}-${spanId}-01-future`,
    `00-${traceId}-${spanId}-01-extra`,
    `ff-${traceId}-${spanId}-01`,
    `00-${'0'.repeat(32)}-${spanId}-01`,
    `00-${traceId}-${'0'.repeat(16)}-01`,
    `00-${traceId}-${spanId}`,
    'garbage',
  ])('%j as OpenTelemetry reads it', (header) => {
    const theirs = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, { traceparent: header, tracestate: 'vendor=x' }, defaultTextMapGetter));
    const ours = parentContext({ traceparent: header, tracestate: 'vendor=x' });
    if (!theirs) {
      expect(ours).toBeUndefined();
      return;
    }
    expect(ours).toEqual({ traceId: theirs.traceId, flags: (theirs.traceFlags & 1) === 1 ? '01' : '00', state: 'vendor=x' });
  });

  it('makes ids of the right length, all different, across refills of its pool', () => {
    const ids = Array.from({ length: 600 }, (_, index) => randomHex(index % 2 === 0 ? 16 : 8));
    for (const [index, id] of ids.entries()) expect(id).toMatch(index % 2 === 0 ? /^[0-9a-f]{32}$/ : /^[0-9a-f]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('through the gateway, with no exporter', () => {
  let upstream: FaultMock;
  beforeAll(async () => {
    upstream = await startFaultMock('up');
  });
  afterAll(() => upstream.close());

  async function send(headers: Record<string, string>, propagate = true) {
    upstream.requests.length = 0;
    const harness = await startTelemetryGateway({ config: { providers: { pa: { type: 'openai', api_key: 'k', base_url: `${upstream.url}/v1` } } }, telemetry: { tracing: { propagate } }, traceHeaders: true });
    await fetch(`${harness.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'ctx-1', ...headers }, body: JSON.stringify({ model: 'pa/m1', messages: [{ role: 'user', content: 'hi' }] }) });
    await harness.telemetry.flush();
    const logged = await harness.admin('/admin/logs/ctx-1');
    await harness.close();
    return { sent: upstream.requests[0]!.headers, logged: logged.body as { trace_id: string } };
  }

  it('continues the caller\'s trace: same trace id and sampled flag, a new parent id, tracestate passed on', async () => {
    const { sent, logged } = await send({ traceparent: `00-${traceId}-${spanId}-01`, tracestate: 'vendor=x' });
    const [, sentTrace, sentParent, flags] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(String(sent.traceparent))!;
    expect([sentTrace, flags]).toEqual([traceId, '01']);
    expect(sentParent).not.toBe(spanId);
    expect(sent.tracestate).toBe('vendor=x');
    expect(logged.trace_id).toBe(traceId);
  });

  it('starts a trace of its own, unsampled, whose id the log keeps; sends nothing when propagation is off', async () => {
    const { sent, logged } = await send({});
    expect(sent.traceparent).toBe(`00-${logged.trace_id}-${String(sent.traceparent).slice(36, 52)}-00`);
    expect(logged.trace_id).toMatch(/^[0-9a-f]{32}$/);
    const quiet = await send({ traceparent: `00-${traceId}-${spanId}-01` }, false);
    expect(quiet.sent.traceparent).toBeUndefined();
    expect(quiet.logged.trace_id).toBe(traceId);
  });
});
