/**
 * The telemetry stage, last in the pipeline. It assembles streamed answers
 * for the log (unless bodies are off). When an exchange finishes
 * (after the response, off the client's path) it builds the request's log
 * record, hands it to the log pipeline, the JSON lines, the live tail and the
 * metrics, and ends the request's spans. Each consumer is shielded from the
 * others' failures, so a bug in one never costs the record.
 */
import type { Logger } from 'pino';
import type { Exchange, Stage } from '../server/pipeline.js';
import { StreamAssembler } from './record/assemble-stream.js';
import { buildLogRecord, type RecordSettings } from './record/build-record.js';
import type { LogRecord } from './record/log-record.js';
import type { RequestTracing } from './tracing/request-tracing.js';
import { providerSystem } from './tracing/provider-system.js';

export interface RecordConsumer {
  readonly name: string;
  /** `exchange` is the request the record was built from, for what the record itself does not carry. */
  consume(record: LogRecord, exchange: Exchange): void;
}

export interface TelemetryStageParts {
  readonly settings: RecordSettings;
  readonly tracing: RequestTracing;
  readonly logger: Logger;
  /** Where the record goes: queue, JSON lines, live tail, metrics. Called in order. */
  readonly consumers: readonly RecordConsumer[];
}

export function createTelemetryStage(parts: TelemetryStageParts): Stage {
  const { settings, tracing, logger, consumers } = parts;
  const guarded = (name: string, exchange: Exchange, action: () => void): void => {
    try {
      action();
    } catch (error) {
      logger.error({ err: error, requestId: exchange.context.id, part: name }, 'telemetry could not handle a finished request');
    }
  };

  return {
    name: 'telemetry',
    observeStream(exchange) {
      if (settings.bodyMode === 'none') return undefined;
      const assembler = new StreamAssembler();
      return {
        chunk: (chunk) => assembler.add(chunk),
        // However the stream ended, the log shows what was sent.
        close: () => {
          exchange.completion ??= assembler.completion();
        },
      };
    },
    finish(exchange) {
      let traceId: string | undefined;
      guarded('tracing', exchange, () => {
        traceId = tracing.traceId(exchange);
      });
      const record = buildLogRecord(exchange, settings, traceId);
      for (const consumer of consumers) guarded(consumer.name, exchange, () => consumer.consume(record, exchange));
      guarded('tracing', exchange, () => tracing.finish(exchange, record, (provider) => providerSystem(exchange.state, provider)));
    },
  };
}
