/**
 * The OpenTelemetry SDK for the gateway's traces, configured by the standard
 * variables: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as is) or
 * OTEL_EXPORTER_OTLP_ENDPOINT (+ `/v1/traces`), OTEL_EXPORTER_OTLP_[TRACES_]HEADERS,
 * OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL (`http/protobuf`, the default, or
 * `http/json`), OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES and OTEL_SDK_DISABLED.
 * Without an endpoint nothing is exported, but trace ids are still made (for
 * the log) and a caller's sampled trace still reaches the providers.
 */
import type { Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from '../config-schema.js';

export interface TracerSetup {
  readonly tracer: Tracer;
  readonly propagator: W3CTraceContextPropagator;
  /** The OTLP/HTTP URL spans go to, when they are exported. */
  readonly exportUrl: string | undefined;
  readonly protocol: 'http/protobuf' | 'http/json' | undefined;
  shutdown(): Promise<void>;
}

/** `key=value` pairs separated by commas, values URL-encoded (the OTEL_*_HEADERS format). */
export function parseKeyValues(text: string | undefined): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const item of (text ?? '').split(',')) {
    const separator = item.indexOf('=');
    if (separator <= 0) continue;
    pairs[decodeURIComponent(item.slice(0, separator).trim())] = decodeURIComponent(item.slice(separator + 1).trim());
  }
  return pairs;
}

export function tracesEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

export function createTracerSetup(config: TracingConfig, env: NodeJS.ProcessEnv, version: string): TracerSetup {
  const url = config.enabled && env.OTEL_SDK_DISABLED !== 'true' ? tracesEndpoint(env) : undefined;
  const protocol = url ? ((env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL) === 'http/json' ? 'http/json' : 'http/protobuf') : undefined;
  const resource = resourceFromAttributes({
    ...parseKeyValues(env.OTEL_RESOURCE_ATTRIBUTES),
    [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? config.service_name,
    [ATTR_SERVICE_VERSION]: version,
  });
  const spanProcessors = [];
  if (url) {
    const exporterConfig = { url, headers: { ...parseKeyValues(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseKeyValues(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) } };
    const exporter = protocol === 'http/json' ? new JsonTraceExporter(exporterConfig) : new ProtobufTraceExporter(exporterConfig);
    spanProcessors.push(new BatchSpanProcessor(exporter));
  }
  const provider = new BasicTracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: url ? new TraceIdRatioBasedSampler(config.sample_ratio) : new AlwaysOffSampler() }),
    spanProcessors,
  });
  return {
    tracer: provider.getTracer('switchyard', version),
    propagator: new W3CTraceContextPropagator(),
    exportUrl: url,
    protocol,
    shutdown: () => provider.shutdown(),
  };
}
