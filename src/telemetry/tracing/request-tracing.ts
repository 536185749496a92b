/**
 * The spans of one request: a server span for the request (child of the
 * caller's `traceparent`, if any) and a client span per attempt.
 *
 * Attempt spans are live when the core calls `traceHeaders` right before each
 * upstream call: the span starts then, and its id is the parent sent to the
 * provider in `traceparent`. When the exchange finishes, the attempts the
 * route recorded are matched to these spans in order and each ends after its
 * recorded latency; attempts with no live span (an open circuit, which sends
 * nothing) get a span placed after the previous one.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, defaultTextMapSetter, trace, type Span } from '@opentelemetry/api';
import type { Exchange } from '../../server/pipeline.js';
import type { LogRecord } from '../record/log-record.js';
import { attemptSpanAttributes, requestSpanAttributes, spanName } from './genai-attributes.js';
import type { TracerSetup } from './tracer-provider.js';

interface LiveAttempt {
  readonly span: Span;
  /** Epoch ms. */
  readonly startedAt: number;
}

interface RequestTrace {
  readonly span: Span;
  readonly attempts: LiveAttempt[];
}

export interface RequestTracing {
  /** The request span's trace id (creating the span if needed). */
  traceId(exchange: Exchange): string;
  /** Starts an attempt span and returns the headers that carry it to the provider. */
  traceHeaders(exchange: Exchange): Record<string, string>;
  /** Names, attributes and ends the request's spans from its record. */
  finish(exchange: Exchange, record: LogRecord, systemOf: (provider: string) => string): void;
}

export function createRequestTracing(setup: TracerSetup, options: { propagate: boolean; now: () => number }): RequestTracing {
  const traces = new WeakMap<Exchange, RequestTrace>();

  function requestTrace(exchange: Exchange): RequestTrace {
    let current = traces.get(exchange);
    if (!current) {
      const parent = setup.propagator.extract(ROOT_CONTEXT, exchange.context.request.headers, defaultTextMapGetter);
      const span = setup.tracer.startSpan(`${exchange.context.request.method ?? 'GET'} ${exchange.kind}`, { kind: SpanKind.SERVER, startTime: exchange.context.startedAtEpoch }, parent);
      current = { span, attempts: [] };
      traces.set(exchange, current);
    }
    return current;
  }

  return {
    traceId: (exchange) => requestTrace(exchange).span.spanContext().traceId,

    traceHeaders(exchange) {
      const current = requestTrace(exchange);
      const startedAt = options.now();
      const span = setup.tracer.startSpan('attempt', { kind: SpanKind.CLIENT, startTime: startedAt }, trace.setSpan(ROOT_CONTEXT, current.span));
      current.attempts.push({ span, startedAt });
      if (!options.propagate) return {};
      const headers: Record<string, string> = {};
      setup.propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
      return headers;
    },

    finish(exchange, record, systemOf) {
      const current = requestTrace(exchange);
      traces.delete(exchange);
      if (!current.span.isRecording()) {
        // Not sampled (or no exporter): no attributes to compute, the spans only carried the trace context.
        for (const attempt of current.attempts) attempt.span.end();
        current.span.end();
        return;
      }
      const live = [...current.attempts];
      let cursor = record.startedAt;
      const servedIndex = record.status < 400 ? record.attempts.map((attempt) => attempt.status).lastIndexOf(200) : -1;
      for (const [index, attempt] of record.attempts.entries()) {
        const sent = attempt.code !== 'circuit_open';
        const match = sent ? live.shift() : undefined;
        const startedAt = match?.startedAt ?? cursor;
        const span = match?.span ?? setup.tracer.startSpan('attempt', { kind: SpanKind.CLIENT, startTime: startedAt }, trace.setSpan(ROOT_CONTEXT, current.span));
        span.updateName(spanName(record, attempt.model));
        span.setAttributes(attemptSpanAttributes(record, attempt, index === servedIndex, exchange, systemOf));
        if (attempt.code) span.setStatus({ code: SpanStatusCode.ERROR, message: attempt.error });
        span.end(startedAt + attempt.latencyMs);
        cursor = startedAt + attempt.latencyMs;
      }
      // Calls the route did not record (e.g. pass-through requests) end with the request.
      for (const extra of live) {
        extra.span.updateName(spanName(record, record.modelServed ?? record.modelRequested));
        if (record.status >= 400) extra.span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorMessage });
        extra.span.end(record.startedAt + record.latencyMs);
      }
      current.span.updateName(spanName(record, record.modelRequested));
      current.span.setAttributes(requestSpanAttributes(record, exchange, systemOf));
      if (record.status >= 500) current.span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorMessage });
      current.span.end(record.startedAt + record.latencyMs);
    },
  };
}
