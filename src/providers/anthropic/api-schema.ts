/**
 * Anthropic Messages API wire shapes (the parts the gateway reads), in zod.
 * Objects are loose: Anthropic adds fields and block types within an API version,
 * and unknown ones must pass through the mappings without breaking them.
 */
import { z } from 'zod';

const count = z.number().nullish();

export const anthropicUsageSchema = z.looseObject({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count,
  cache_read_input_tokens: count,
  output_tokens_details: z.looseObject({ thinking_tokens: count }).nullish(),
});
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

/**
 * One content block of a response. Only `text`, `thinking`, `redacted_thinking` and `tool_use`
 * are read; server-tool blocks (`server_tool_use`, `web_search_tool_result`, `mcp_tool_use`, ...),
 * `compaction` and `fallback` are carried but ignored.
 */
export const contentBlockSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  thinking: z.string().optional(),
  signature: z.string().optional(),
  /** A `redacted_thinking` block's encrypted reasoning. */
  data: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
});
export type AnthropicContentBlock = z.infer<typeof contentBlockSchema>;

export const stopReasonSchema = z.string().nullish();

export const stopDetailsSchema = z.looseObject({ type: z.string().optional(), explanation: z.string().nullish() }).nullish();

export const messageSchema = z.looseObject({
  id: z.string(),
  type: z.literal('message').optional(),
  role: z.literal('assistant').optional(),
  model: z.string().optional(),
  content: z.array(contentBlockSchema),
  stop_reason: stopReasonSchema,
  /** Which of the request's stop sequences ended the turn (with `stop_reason: stop_sequence`). */
  stop_sequence: z.string().nullish(),
  stop_details: stopDetailsSchema,
  usage: anthropicUsageSchema.optional(),
});
export type AnthropicMessage = z.infer<typeof messageSchema>;

export const errorObjectSchema = z.looseObject({
  type: z.string(),
  message: z.string(),
  details: z.looseObject({ error_code: z.string().optional() }).nullish(),
});

/** `{"type":"error","error":{"type":...,"message":...},"request_id":...}`, also the payload of a stream `error` event. */
export const errorBodySchema = z.looseObject({
  type: z.literal('error'),
  error: errorObjectSchema,
  request_id: z.string().nullish(),
});

const deltaSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  partial_json: z.string().optional(),
  thinking: z.string().optional(),
  signature: z.string().optional(),
});

/** The stream events of the API version; a type not listed here is skipped (Anthropic may add event types). */
export const streamEventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('message_start'), message: z.looseObject({ id: z.string(), model: z.string().optional(), usage: anthropicUsageSchema.optional() }) }),
  z.looseObject({ type: z.literal('content_block_start'), index: z.number(), content_block: contentBlockSchema }),
  z.looseObject({ type: z.literal('content_block_delta'), index: z.number(), delta: deltaSchema }),
  z.looseObject({ type: z.literal('content_block_stop'), index: z.number() }),
  z.looseObject({
    type: z.literal('message_delta'),
    delta: z.looseObject({ stop_reason: stopReasonSchema, stop_sequence: z.string().nullish(), stop_details: stopDetailsSchema }),
    usage: anthropicUsageSchema.nullish(),
  }),
  z.looseObject({ type: z.literal('message_stop') }),
  z.looseObject({ type: z.literal('ping') }),
  z.looseObject({ type: z.literal('error'), error: errorObjectSchema }),
]);
export type AnthropicStreamEvent = z.infer<typeof streamEventSchema>;
export const streamEventTypes: ReadonlySet<string> = new Set(streamEventSchema.options.map((option) => option.shape.type.value));
