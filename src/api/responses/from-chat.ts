/**
 * The canonical answer → the Responses API's Response object. The stream encoder (`stream-events.ts`)
 * builds its items and its final Response with the same functions, so a streamed answer ends with the
 * object a non-streamed one returns for the same content.
 *
 * - Output order: a `reasoning` item (the message's reasoning text as its summary), a `message` item
 *   (an `output_text` part, a `refusal` part), then one `function_call` item per tool call.
 * - Item ids derive from the response id, so that they are stable and predictable: for `resp_<s>`,
 *   `rs_<s>` for the reasoning, `msg_<s>` for the message, `fc_<s>_<n>` for the n-th tool call (from 0).
 *   A stream whose reasoning or text comes back after another item opened numbers the later ones
 *   `rs_<s>_<k>` / `msg_<s>_<k>` (k from 1).
 * - `finish_reason: length` → `status: incomplete` with reason `max_output_tokens`; `content_filter` →
 *   reason `content_filter`. The last output item, the one that was cut, then has `status: incomplete`.
 * - Usage: the Responses API counts cached tokens inside `input_tokens`, as chat's `prompt_tokens` does,
 *   so the numbers carry over as they are. A completion without usage has `usage: null`.
 * - The request's settings are echoed with the API's defaults, as OpenAI's Responses do; `store` is
 *   always false, since the gateway stores nothing, and `previous_response_id` always null.
 * - Signed thinking blocks ride in the reasoning item's `encrypted_content` (`encodeThinkingBlocks`).
 */
import type { ChatCompletion, FinishReason, ThinkingBlock, Usage } from '../chat-schema.js';
import { encodeThinkingBlocks, type ResponsesRequest } from './request-schema.js';

export interface ResponseOptions {
  /** The response id (`resp_…`) the caller chose; item ids derive from it. */
  id: string;
  /** Seconds since the epoch. */
  createdAt: number;
}

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';
export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export type OutputPart = { type: 'output_text'; text: string; annotations: unknown[]; logprobs: unknown[] } | { type: 'refusal'; refusal: string };

/** Item ids for one response (see the file comment). */
export function itemIds(responseId: string) {
  const suffix = responseId.startsWith('resp_') ? responseId.slice('resp_'.length) : responseId;
  const numbered = (prefix: string, count: number) => (count === 0 ? `${prefix}_${suffix}` : `${prefix}_${suffix}_${count}`);
  return {
    reasoning: (count = 0) => numbered('rs', count),
    message: (count = 0) => numbered('msg', count),
    functionCall: (index: number) => `fc_${suffix}_${index}`,
    /** A call id for a provider that gave none. */
    callId: (index: number) => `call_${suffix}_${index}`,
  };
}

export const outputTextPart = (text: string): OutputPart => ({ type: 'output_text', text, annotations: [], logprobs: [] });
export const refusalPart = (refusal: string): OutputPart => ({ type: 'refusal', refusal });

export function reasoningItem(id: string, text: string, blocks: readonly ThinkingBlock[] = []): Record<string, unknown> {
  return {
    id,
    type: 'reasoning',
    ...(blocks.length > 0 ? { encrypted_content: encodeThinkingBlocks(blocks) } : {}),
    summary: text === '' ? [] : [{ type: 'summary_text', text }],
  };
}

export function messageItem(id: string, content: OutputPart[], status: ItemStatus): Record<string, unknown> {
  return { id, type: 'message', status, content, role: 'assistant' };
}

export function functionCallItem(id: string, callId: string, name: string, args: string, status: ItemStatus): Record<string, unknown> {
  return { id, type: 'function_call', status, arguments: args, call_id: callId, name };
}

/** The last item was cut when the response is incomplete; a reasoning item has no status to say so. */
export function markLastIncomplete(output: Record<string, unknown>[], status: ResponseStatus): Record<string, unknown>[] {
  const last = output.at(-1);
  if (status !== 'incomplete' || !last || !('status' in last)) return output;
  return [...output.slice(0, -1), { ...last, status: 'incomplete' }];
}

export function toResponsesUsage(usage: Usage | null | undefined): Record<string, unknown> | null {
  if (!usage) return null;
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: usage.total_tokens,
  };
}

export function responseStatus(reason: FinishReason | null | undefined): { status: ResponseStatus; incomplete_details: { reason: string } | null } {
  if (reason === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (reason === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

export interface ResponseFields extends ResponseOptions {
  model: string;
  status: ResponseStatus;
  incompleteDetails: { reason: string } | null;
  output: Record<string, unknown>[];
  usage: Record<string, unknown> | null;
  error?: { code: string; message: string } | null;
}

/** A loose request key the schema does not name, echoed when it has a usable value. */
function echoed(request: ResponsesRequest, key: string): unknown {
  const value = (request as Record<string, unknown>)[key];
  return value === undefined ? null : value;
}

/** The Response object, with the request's settings echoed (keys as in OpenAI's recorded responses). */
export function responseObject(request: ResponsesRequest, fields: ResponseFields): Record<string, unknown> {
  return {
    id: fields.id,
    object: 'response',
    created_at: fields.createdAt,
    status: fields.status,
    background: false,
    error: fields.error ?? null,
    incomplete_details: fields.incompleteDetails,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    max_tool_calls: echoed(request, 'max_tool_calls'),
    model: fields.model,
    output: fields.output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    prompt_cache_key: request.prompt_cache_key ?? null,
    prompt_cache_retention: echoed(request, 'prompt_cache_retention'),
    reasoning: { effort: request.reasoning?.effort ?? null, summary: request.reasoning?.summary ?? null },
    safety_identifier: request.safety_identifier ?? null,
    service_tier: request.service_tier ?? 'auto',
    store: false,
    temperature: request.temperature ?? 1,
    text: { format: request.text?.format ?? { type: 'text' }, verbosity: request.text?.verbosity ?? 'medium' },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_logprobs: request.top_logprobs ?? 0,
    top_p: request.top_p ?? 1,
    truncation: request.truncation ?? 'disabled',
    usage: fields.usage,
    user: request.user ?? null,
    metadata: request.metadata ?? {},
  };
}

/** The Response for a whole completion (its first choice: a Responses request has no `n`). */
export function toResponse(completion: ChatCompletion, request: ResponsesRequest, options: ResponseOptions): Record<string, unknown> {
  const ids = itemIds(options.id);
  const choice = completion.choices[0];
  const message = choice?.message;
  const output: Record<string, unknown>[] = [];
  const reasoning = message?.reasoning_content ?? '';
  const blocks = message?.thinking_blocks ?? [];
  if (reasoning !== '' || blocks.length > 0) output.push(reasoningItem(ids.reasoning(), reasoning, blocks));
  const parts: OutputPart[] = [];
  if (message?.content) parts.push(outputTextPart(message.content));
  if (message?.refusal) parts.push(refusalPart(message.refusal));
  if (parts.length > 0) output.push(messageItem(ids.message(), parts, 'completed'));
  (message?.tool_calls ?? []).forEach((call, index) => {
    output.push(functionCallItem(ids.functionCall(index), call.id || ids.callId(index), call.function.name, call.function.arguments, 'completed'));
  });
  const { status, incomplete_details } = responseStatus(choice?.finish_reason);
  return responseObject(request, {
    ...options,
    model: completion.model,
    status,
    incompleteDetails: incomplete_details,
    output: markLastIncomplete(output, status),
    usage: toResponsesUsage(completion.usage),
  });
}
