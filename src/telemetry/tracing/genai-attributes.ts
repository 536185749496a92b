/**
 * OpenTelemetry attributes of the request span and of each attempt's span,
 * after the GenAI semantic conventions (`gen_ai.*`), plus the HTTP status,
 * `error.type`, and the gateway's own facts under `switchyard.*`. Both
 * `gen_ai.system` (older conventions) and `gen_ai.provider.name` (newer) are set.
 */
import type { Attributes } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
} from '@opentelemetry/semantic-conventions/incubating';
import type { ChatCompletion, ChatRequest } from '../../api/chat-schema.js';
import { fellBack, tokenCounts, type LogRecord } from '../record/log-record.js';

type AttemptRecord = LogRecord['attempts'][number];

/** `gen_ai.operation.name` of an exchange kind. */
export function operationName(record: LogRecord): string | undefined {
  if (record.kind === 'chat') return 'chat';
  if (record.kind === 'embeddings') return 'embeddings';
  return undefined;
}

/** Drops undefined values (attributes may not be undefined). */
function defined(values: Record<string, string | number | boolean | string[] | undefined | null>): Attributes {
  const attributes: Attributes = {};
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== null) attributes[name] = value;
  return attributes;
}

function requestParameters(chat: ChatRequest | undefined): Attributes {
  if (!chat) return {};
  return defined({
    [ATTR_GEN_AI_REQUEST_TEMPERATURE]: chat.temperature,
    [ATTR_GEN_AI_REQUEST_TOP_P]: chat.top_p,
    [ATTR_GEN_AI_REQUEST_MAX_TOKENS]: chat.max_completion_tokens ?? chat.max_tokens,
    [ATTR_GEN_AI_REQUEST_SEED]: chat.seed,
    [ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY]: chat.frequency_penalty,
    [ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY]: chat.presence_penalty,
    [ATTR_GEN_AI_REQUEST_STOP_SEQUENCES]: typeof chat.stop === 'string' ? [chat.stop] : chat.stop,
    [ATTR_GEN_AI_REQUEST_STREAM]: chat.stream ?? undefined,
  });
}

function usage(record: LogRecord): Attributes {
  const tokens = tokenCounts(record);
  return defined({
    [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: tokens.prompt,
    [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: tokens.completion,
    [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: tokens.cached,
    [ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]: tokens.reasoning,
  });
}

function response(completion: ChatCompletion | undefined, record: LogRecord): Attributes {
  return defined({
    [ATTR_GEN_AI_RESPONSE_MODEL]: completion?.model ?? record.modelServed,
    [ATTR_GEN_AI_RESPONSE_ID]: completion?.id,
    [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: completion?.choices.map((choice) => choice.finish_reason ?? 'unknown'),
  });
}

export function requestSpanAttributes(record: LogRecord, exchange: { chat?: ChatRequest; completion?: ChatCompletion }, systemOf: (provider: string) => string): Attributes {
  const system = record.provider ? systemOf(record.provider) : undefined;
  return {
    ...defined({
      [ATTR_GEN_AI_OPERATION_NAME]: operationName(record),
      [ATTR_GEN_AI_SYSTEM]: system,
      [ATTR_GEN_AI_PROVIDER_NAME]: system,
      [ATTR_GEN_AI_REQUEST_MODEL]: record.modelRequested,
      [ATTR_HTTP_REQUEST_METHOD]: record.method,
      [ATTR_URL_PATH]: record.endpoint,
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: record.status,
      [ATTR_ERROR_TYPE]: record.errorCode,
      'switchyard.request.id': record.id,
      'switchyard.provider': record.provider,
      'switchyard.route': record.route,
      'switchyard.key.id': record.principal?.keyId,
      'switchyard.team.id': record.principal?.teamId,
      'switchyard.user.id': record.principal?.userId,
      'switchyard.cache.status': record.cacheStatus,
      'switchyard.cost.usd': record.cost?.usd,
      'switchyard.cost.estimated': record.cost?.estimated,
      'switchyard.attempts': record.attempts.length,
      'switchyard.fallback': fellBack(record),
    }),
    ...requestParameters(exchange.chat),
    ...(record.status < 400 ? { ...response(exchange.completion, record), ...usage(record) } : {}),
  };
}

export function attemptSpanAttributes(record: LogRecord, attempt: AttemptRecord, served: boolean, exchange: { chat?: ChatRequest; completion?: ChatCompletion }, systemOf: (provider: string) => string): Attributes {
  const system = systemOf(attempt.provider);
  return {
    ...defined({
      [ATTR_GEN_AI_OPERATION_NAME]: operationName(record),
      [ATTR_GEN_AI_SYSTEM]: system,
      [ATTR_GEN_AI_PROVIDER_NAME]: system,
      [ATTR_GEN_AI_REQUEST_MODEL]: attempt.model,
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: attempt.status,
      [ATTR_ERROR_TYPE]: attempt.code,
      'switchyard.provider': attempt.provider,
      'switchyard.attempt.target': attempt.target,
      'switchyard.attempt.retry': attempt.retry,
    }),
    ...requestParameters(exchange.chat),
    ...(served ? { ...response(exchange.completion, record), ...usage(record) } : {}),
  };
}

/** A span name after the conventions: `{operation} {model}`, or the HTTP method and path. */
export function spanName(record: LogRecord, model: string | undefined): string {
  const operation = operationName(record);
  return operation ? `${operation}${model ? ` ${model}` : ''}` : `${record.method} ${record.endpoint}`;
}
