/**
 * What the log pipeline reports, turned into metrics and lines in the
 * gateway's own log. Drops are always logged; spills and failing writes are
 * logged when they start and then at most every `quietMs`, with counts.
 */
import type { Logger } from 'pino';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { PipelineObserver } from './log-pipeline.js';

export function createPipelineObserver(metrics: GatewayMetrics, logger: Logger, now: () => number, quietMs = 30_000): PipelineObserver {
  let spilledSinceLog = 0;
  let lastSpillLog = -Infinity;
  let lastFailureLog = -Infinity;
  return {
    written: (count) => metrics.logWritten(count),
    spilled(count) {
      metrics.logSpilled(count);
      spilledSinceLog += count;
      if (now() - lastSpillLog < quietMs) return;
      logger.warn({ records: spilledSinceLog }, 'request log records spilled to disk: the log database is slow or down');
      spilledSinceLog = 0;
      lastSpillLog = now();
    },
    dropped(reason, count, error) {
      metrics.logDropped(reason, count);
      logger.error({ records: count, reason, ...(error === undefined ? {} : { err: error }) }, 'request log records were dropped');
    },
    writeFailed(error, consecutiveFailures) {
      metrics.logWriteFailed();
      if (consecutiveFailures > 1 && now() - lastFailureLog < quietMs) return;
      logger.warn({ err: error, consecutiveFailures }, 'writing request log records failed; they wait in the queue and on disk');
      lastFailureLog = now();
    },
    recovered(afterFailures) {
      logger.info({ afterFailures }, 'the request log database answers again; queued and spilled records are being written');
      lastFailureLog = -Infinity;
    },
  };
}
