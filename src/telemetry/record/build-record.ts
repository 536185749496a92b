/** Turns a finished exchange into its request log record. */
import type { Exchange } from '../../server/pipeline.js';
import type { BodyMode } from '../config-schema.js';
import { captureBodies } from './body-capture.js';
import type { LogRecord } from './log-record.js';
import type { SecretMasker } from './mask-secrets.js';

export interface RecordSettings {
  readonly bodyMode: BodyMode;
  readonly maxBodyBytes: number;
  readonly masker: SecretMasker;
  /** The clock of `context.startedAt` and `firstTokenAt` (performance.now()). */
  readonly monotonicNow: () => number;
}

const tenths = (milliseconds: number): number => Math.round(milliseconds * 10) / 10;

function maskRecord(values: Readonly<Record<string, string>>, masker: SecretMasker): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, masker.text(value)]));
}

function pathOf(url: string | undefined): string {
  const value = url ?? '/';
  const queryStart = value.indexOf('?');
  return queryStart < 0 ? value : value.slice(0, queryStart);
}

export function buildLogRecord(exchange: Exchange, settings: RecordSettings, traceId: string | undefined): LogRecord {
  const { context, principal, error } = exchange;
  const masker = settings.masker;
  const attempts = (context.route?.attempts ?? []).map((attempt) => ({ ...attempt, ...(attempt.error === undefined ? {} : { error: masker.text(attempt.error) }) }));
  const lastAttempt = attempts.at(-1);
  const bodies = captureBodies(exchange, settings.bodyMode, masker, settings.maxBodyBytes);
  const metadata = maskRecord({ ...principal?.metadata, ...context.metadata }, masker);
  return {
    id: context.id,
    ...(traceId ? { traceId } : {}),
    startedAt: context.startedAtEpoch,
    latencyMs: tenths(settings.monotonicNow() - context.startedAt),
    ...(exchange.firstTokenAt === undefined ? {} : { timeToFirstTokenMs: tenths(exchange.firstTokenAt - context.startedAt) }),
    kind: exchange.kind,
    method: context.request.method ?? 'GET',
    endpoint: pathOf(context.request.url),
    ...(principal ? { principal: { ...principal, metadata: maskRecord(principal.metadata, masker) } } : {}),
    metadata,
    ...(context.routeName ? { route: context.routeName } : {}),
    attempts,
    ...((exchange.chat ?? exchange.embeddings) ? { modelRequested: (exchange.chat ?? exchange.embeddings)!.model } : {}),
    ...(exchange.served ? { modelServed: exchange.served.model } : {}),
    ...((exchange.served?.provider ?? lastAttempt?.provider) ? { provider: exchange.served?.provider ?? lastAttempt?.provider } : {}),
    status: exchange.status ?? 0,
    ...(error ? { errorCode: error.code, errorMessage: masker.text(error.message) } : {}),
    streamed: exchange.chat?.stream === true,
    ...(exchange.usage ? { usage: exchange.usage } : {}),
    usageEstimated: exchange.usageEstimated === true,
    ...(exchange.cost ? { cost: exchange.cost } : {}),
    ...(exchange.cacheStatus ? { cacheStatus: exchange.cacheStatus } : {}),
    guardrails: [...exchange.guardrails],
    bodyMode: settings.bodyMode,
    ...(bodies.requestBody === undefined ? {} : { requestBody: bodies.requestBody }),
    ...(bodies.responseBody === undefined ? {} : { responseBody: bodies.responseBody }),
  };
}
