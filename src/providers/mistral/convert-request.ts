/**
 * OpenAI chat request → Mistral `POST /chat/completions` body.
 *
 * Mistral speaks nearly OpenAI's dialect but answers any field it does not know with a 422, so the
 * body is built from known fields only:
 * - `max_completion_tokens ?? max_tokens` → `max_tokens`; `seed` → `random_seed`.
 * - `temperature`, `top_p`, `stop`, `n`, `presence_penalty` and `frequency_penalty` keep their names.
 * - `response_format`: `json_object` as is; `json_schema` → `{type: 'json_schema', json_schema: {name,
 *   schema, strict?, description?}}` (without a schema, `json_object`); `text` → unset.
 * - `reasoning_effort`: Mistral documents two levels, `none` and `high`; `none` → `none`, any other
 *   effort → `high`.
 * - `logit_bias`, `logprobs` and `top_logprobs` cannot be honoured: `unsupported_parameter`.
 * - `user`, `metadata` and `stream_options` are not sent (Mistral has no such fields; usage always
 *   comes with the last stream chunk).
 * - Parameters outside the OpenAI contract pass through (`safe_prompt`, `prompt_mode`, `prediction`, ...)
 *   and replace a mapped value of the same name.
 */
import type { ChatRequest } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import { extraParams } from '../shared/extra-params.js';
import { convertMessages } from './convert-messages.js';
import { convertTools } from './convert-tools.js';

export type MistralRequestBody = Record<string, unknown>;

export function convertRequest(request: ChatRequest, model: string, stream: boolean, provider: string): MistralRequestBody {
  rejectUnsupported(request, provider);
  const body: MistralRequestBody = { model, messages: convertMessages(request.messages, provider), ...convertTools(request) };
  if (stream) body.stream = true;

  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) body.max_tokens = maxTokens;
  if (request.temperature != null) body.temperature = request.temperature;
  if (request.top_p != null) body.top_p = request.top_p;
  if (request.stop != null) body.stop = request.stop;
  if (request.seed != null) body.random_seed = request.seed;
  if (request.n != null) body.n = request.n;
  if (request.presence_penalty != null) body.presence_penalty = request.presence_penalty;
  if (request.frequency_penalty != null) body.frequency_penalty = request.frequency_penalty;
  if (request.reasoning_effort != null) body.reasoning_effort = request.reasoning_effort === 'none' ? 'none' : 'high';

  const format = responseFormat(request);
  if (format) body.response_format = format;

  Object.assign(body, extraParams(request));
  return body;
}

function rejectUnsupported(request: ChatRequest, provider: string): void {
  const reject = (param: string, message: string): never => {
    throw new GatewayError('unsupported_parameter', { provider, param, message });
  };
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0) reject('logit_bias', 'Mistral has no logit bias.');
  if (request.logprobs) reject('logprobs', 'Mistral does not return log probabilities.');
  if (request.top_logprobs) reject('top_logprobs', 'Mistral does not return log probabilities.');
}

function responseFormat(request: ChatRequest): Record<string, unknown> | undefined {
  const format = request.response_format;
  if (!format) return undefined;
  switch (format.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      const { name, description, schema, strict } = format.json_schema;
      if (!schema) return { type: 'json_object' };
      return {
        type: 'json_schema',
        json_schema: { name, schema, ...(description !== undefined ? { description } : {}), ...(strict != null ? { strict } : {}) },
      };
    }
    default: {
      const unreachable: never = format;
      return unreachable;
    }
  }
}
