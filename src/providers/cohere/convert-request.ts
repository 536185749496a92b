/**
 * OpenAI chat request → Cohere v2 `POST /v2/chat` body.
 *
 * - `max_completion_tokens ?? max_tokens` → `max_tokens`; `top_p` → `p`; `stop` → `stop_sequences`;
 *   `temperature`, `seed`, `frequency_penalty` and `presence_penalty` keep their names.
 *   Cohere's penalties range over [0, 1]; a value outside it cannot be honoured.
 * - `response_format`: `json_object` → `{type: 'json_object'}`; `json_schema` → `{type: 'json_object',
 *   json_schema: <schema>}` (without a schema, plain `json_object`); `text` → unset.
 * - `reasoning_effort` → `thinking: {type: 'enabled', token_budget}` with the shared budgets;
 *   `none` → `thinking: {type: 'disabled'}`.
 * - `n > 1`, `logit_bias`, `logprobs` and `top_logprobs` cannot be honoured: `unsupported_parameter`.
 * - `user`, `metadata` and `stream_options` have no Cohere counterpart and are not sent
 *   (end-user tags and stored-completion metadata; usage always comes at `message-end`).
 * - Parameters outside the OpenAI contract pass through (e.g. `k`, `safety_mode`, `documents`,
 *   `citation_options`, `thinking`) and replace a mapped value of the same name.
 */
import type { ChatRequest } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import { extraParams } from '../shared/extra-params.js';
import { reasoningBudget } from '../shared/reasoning.js';
import { convertMessages } from './convert-messages.js';
import { convertTools } from './convert-tools.js';

export type CohereRequestBody = Record<string, unknown>;

export function convertRequest(request: ChatRequest, model: string, stream: boolean, provider: string): CohereRequestBody {
  rejectUnsupported(request, provider);
  const body: CohereRequestBody = { model, messages: convertMessages(request.messages, provider), ...convertTools(request, provider) };
  if (stream) body.stream = true;

  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) body.max_tokens = maxTokens;
  if (request.temperature != null) body.temperature = request.temperature;
  if (request.top_p != null) body.p = request.top_p;
  const stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (stop && stop.length > 0) body.stop_sequences = stop;
  if (request.seed != null) body.seed = request.seed;
  if (request.frequency_penalty != null) body.frequency_penalty = request.frequency_penalty;
  if (request.presence_penalty != null) body.presence_penalty = request.presence_penalty;

  const format = responseFormat(request);
  if (format) body.response_format = format;
  const thinking = thinkingConfig(request);
  if (thinking) body.thinking = thinking;

  Object.assign(body, extraParams(request));
  return body;
}

function rejectUnsupported(request: ChatRequest, provider: string): void {
  const reject = (param: string, message: string): never => {
    throw new GatewayError('unsupported_parameter', { provider, param, message });
  };
  if (request.n != null && request.n > 1) reject('n', 'Cohere returns one choice per request; n must be 1.');
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0) reject('logit_bias', 'Cohere has no logit bias.');
  if (request.logprobs) reject('logprobs', 'The gateway does not map Cohere log probabilities.');
  if (request.top_logprobs) reject('top_logprobs', 'Cohere does not return top log probabilities.');
  for (const param of ['frequency_penalty', 'presence_penalty'] as const) {
    const value = request[param];
    if (value != null && (value < 0 || value > 1)) reject(param, `Cohere's ${param} ranges from 0 to 1.`);
  }
}

function responseFormat(request: ChatRequest): Record<string, unknown> | undefined {
  const format = request.response_format;
  if (!format) return undefined;
  switch (format.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema':
      return format.json_schema.schema ? { type: 'json_object', json_schema: format.json_schema.schema } : { type: 'json_object' };
    default: {
      const unreachable: never = format;
      return unreachable;
    }
  }
}

function thinkingConfig(request: ChatRequest): Record<string, unknown> | undefined {
  if (request.reasoning_effort === 'none') return { type: 'disabled' };
  const budget = reasoningBudget(request.reasoning_effort);
  return budget === undefined ? undefined : { type: 'enabled', token_budget: budget };
}
