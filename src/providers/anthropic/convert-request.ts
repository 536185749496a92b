/**
 * OpenAI chat request → Anthropic Messages request body.
 *
 * Choices where the two APIs differ:
 * - `max_tokens` is required by Anthropic: `max_completion_tokens ?? max_tokens ?? 4096`.
 * - `reasoning_effort` → `thinking: { type: 'enabled', budget_tokens }` (shared budgets). Anthropic needs
 *   `max_tokens > budget_tokens`. Without a client cap, `max_tokens` is the budget plus 4096 for the answer.
 *   With a cap (OpenAI counts reasoning inside it too) the cap is kept and the budget shrinks to `cap - 1`;
 *   a cap that leaves less than Anthropic's 1024-token minimum budget is rejected. `none` → `thinking: disabled`.
 * - `response_format: json_schema` → `output_config.format` (native structured output);
 *   `json_object` (or a json_schema without a schema) → an instruction appended to `system`, so the
 *   answer stays plain text content.
 * - `user` (or OpenAI's newer `safety_identifier`, or a `metadata.user_id`) → `metadata.user_id`.
 * - `seed` is ignored (Anthropic has no seed; OpenAI documents it as best effort only), and so are the
 *   other `metadata` keys (OpenAI tags for stored completions; Anthropic's `metadata` only takes `user_id`).
 * - `n > 1`, non-zero penalties, `logit_bias` and `logprobs` cannot be honoured: `unsupported_parameter`.
 * - An assistant message's `thinking_blocks` (as an answer handed them out) go back first in its content when
 *   this request thinks (`thinking` enabled or adaptive) and are left out otherwise: Anthropic refuses thinking
 *   in a final assistant message when thinking is off, and ignores it in earlier ones.
 * - `cache_control` on a content part or a tool (as gateways' OpenAI-format clients send it) goes on the block or
 *   tool it becomes; a breakpoint in a system message makes `system` a list of text blocks.
 * - Parameters outside the OpenAI contract pass through (e.g. `top_k`, `thinking`, `output_config`) and
 *   replace a mapped value of the same name; `output_config` merges, so `effort` can sit beside a mapped `format`.
 */
import type { ChatRequest } from '../../api/chat-schema.js';
import { lastCacheControl, withCacheControl } from '../../api/cache-control.js';
import { GatewayError } from '../../api/errors.js';
import { systemText } from '../shared/content.js';
import { extraParams } from '../shared/extra-params.js';
import { reasoningBudget, thinkingOn, withoutBlocks } from '../shared/reasoning.js';
import { convertMessages, type AnthropicRequestBlock, type AnthropicRequestMessage } from './convert-messages.js';
import { convertToolChoice, convertTools } from './convert-tools.js';

export const DEFAULT_MAX_TOKENS = 4096;
/** Anthropic's smallest `thinking.budget_tokens`. */
export const MIN_THINKING_BUDGET = 1024;
export const JSON_OBJECT_INSTRUCTION = 'Respond with one valid JSON object and nothing else: no prose and no code fences.';

export type AnthropicRequestBody = Record<string, unknown>;

export function convertRequest(request: ChatRequest, model: string, stream: boolean): AnthropicRequestBody {
  rejectUnsupported(request);
  const body: AnthropicRequestBody = { model, messages: convertMessages(request.messages), ...tokenSettings(request) };

  const system = systemPrompt(request);
  if (system !== undefined) body.system = system;
  const stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (stop && stop.length > 0) body.stop_sequences = stop;
  if (request.temperature != null) body.temperature = request.temperature;
  if (request.top_p != null) body.top_p = request.top_p;
  const userId = request.user || stringParam(request, 'safety_identifier') || request.metadata?.user_id;
  if (userId) body.metadata = { user_id: userId };
  if (request.tools && request.tools.length > 0) body.tools = convertTools(request.tools);
  const toolChoice = convertToolChoice(request);
  if (toolChoice) body.tool_choice = toolChoice;
  const format = request.response_format;
  if (format?.type === 'json_schema' && format.json_schema.schema) {
    body.output_config = { format: { type: 'json_schema', schema: format.json_schema.schema } };
  }
  if (stream) body.stream = true;

  for (const [key, value] of Object.entries(extraParams(request))) {
    if (key === 'safety_identifier') continue;
    const mapped = body[key];
    body[key] = key === 'output_config' && isPlainObject(mapped) && isPlainObject(value) ? { ...mapped, ...value } : value;
  }
  if (!thinkingOn(body.thinking)) body.messages = withoutBlocks(body.messages as AnthropicRequestMessage[], isThinkingBlock);
  return body;
}

/**
 * The system and developer messages (and the JSON instruction) as one string, or as text blocks when a part
 * carries a cache breakpoint, which only a block can hold.
 */
function systemPrompt(request: ChatRequest): string | AnthropicRequestBlock[] | undefined {
  const instruction = jsonInstruction(request);
  const sources = request.messages.filter((message) => message.role === 'system' || message.role === 'developer');
  if (sources.some((message) => lastCacheControl(message.content))) {
    const blocks = sources.flatMap((message): AnthropicRequestBlock[] =>
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content.map((part) => withCacheControl({ type: 'text', text: part.text }, part.cache_control)),
    );
    const nonEmpty = blocks.filter((block) => block.type !== 'text' || block.text !== '');
    return instruction ? [...nonEmpty, { type: 'text', text: instruction }] : nonEmpty;
  }
  const text = [systemText(request.messages), instruction].filter((each) => each !== undefined && each !== '').join('\n\n');
  return text === '' ? undefined : text;
}

const isThinkingBlock = (block: AnthropicRequestBlock): boolean => block.type === 'thinking' || block.type === 'redacted_thinking';

function rejectUnsupported(request: ChatRequest): void {
  const reject = (param: string, message: string): never => {
    throw new GatewayError('unsupported_parameter', { param, message });
  };
  if (request.n != null && request.n > 1) reject('n', 'Anthropic returns one choice per request; n must be 1.');
  if (request.presence_penalty) reject('presence_penalty', 'Anthropic has no presence penalty.');
  if (request.frequency_penalty) reject('frequency_penalty', 'Anthropic has no frequency penalty.');
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0) reject('logit_bias', 'Anthropic has no logit bias.');
  if (request.logprobs) reject('logprobs', 'Anthropic does not return log probabilities.');
  if (request.top_logprobs) reject('top_logprobs', 'Anthropic does not return log probabilities.');
}

function tokenSettings(request: ChatRequest): { max_tokens: number; thinking?: Record<string, unknown> } {
  const cap = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  if (request.reasoning_effort === 'none') return { max_tokens: cap ?? DEFAULT_MAX_TOKENS, thinking: { type: 'disabled' } };
  const budget = reasoningBudget(request.reasoning_effort);
  if (budget === undefined) return { max_tokens: cap ?? DEFAULT_MAX_TOKENS };
  if (cap === undefined) return { max_tokens: budget + DEFAULT_MAX_TOKENS, thinking: { type: 'enabled', budget_tokens: budget } };
  const fitted = Math.min(budget, cap - 1);
  if (fitted < MIN_THINKING_BUDGET) {
    throw new GatewayError('unsupported_parameter', {
      param: request.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens',
      message: `Anthropic thinking needs at least ${MIN_THINKING_BUDGET} tokens below max_tokens; raise the limit to more than ${MIN_THINKING_BUDGET} or drop reasoning_effort.`,
    });
  }
  return { max_tokens: cap, thinking: { type: 'enabled', budget_tokens: fitted } };
}

function jsonInstruction(request: ChatRequest): string | undefined {
  const format = request.response_format;
  if (format?.type === 'json_object') return JSON_OBJECT_INSTRUCTION;
  if (format?.type === 'json_schema' && !format.json_schema.schema) return JSON_OBJECT_INSTRUCTION;
  return undefined;
}

function stringParam(request: ChatRequest, key: string): string | undefined {
  const value = (request as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
