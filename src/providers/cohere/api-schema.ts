/**
 * Cohere v2 wire shapes (the parts the gateway reads), in zod.
 * Objects are loose: Cohere adds fields (citations, logprobs, ...) that the
 * mappings carry past without reading.
 */
import { z } from 'zod';

const count = z.number().nullish();
const tokenCounts = z.looseObject({ input_tokens: count, output_tokens: count });

/** `usage` of a response and of `message-end`: `tokens` are the model's counts, `billed_units` what is billed. */
export const cohereUsageSchema = z.looseObject({
  billed_units: tokenCounts.nullish(),
  tokens: tokenCounts.nullish(),
  /** Prompt tokens served from Cohere's cache (a part of `tokens.input_tokens`). */
  cached_tokens: count,
});
export type CohereUsage = z.infer<typeof cohereUsageSchema>;

export const toolCallSchema = z.looseObject({
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});
export type CohereToolCall = z.infer<typeof toolCallSchema>;

/** One item of `message.content`: `text` and `thinking` are read; other types are skipped. */
const contentItemSchema = z.looseObject({
  type: z.string(),
  text: z.string().nullish(),
  thinking: z.string().nullish(),
});

export const chatResponseSchema = z.looseObject({
  id: z.string().nullish(),
  finish_reason: z.string().nullish(),
  message: z.looseObject({
    role: z.string().nullish(),
    content: z.array(contentItemSchema).nullish(),
    tool_plan: z.string().nullish(),
    tool_calls: z.array(toolCallSchema).nullish(),
  }),
  usage: cohereUsageSchema.nullish(),
});
export type CohereChatResponse = z.infer<typeof chatResponseSchema>;

const streamContentSchema = z.looseObject({ type: z.string().nullish(), text: z.string().nullish(), thinking: z.string().nullish() });

/** The v2 stream events; a type not listed here is skipped (Cohere may add event types). */
export const streamEventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('message-start'), id: z.string().nullish() }),
  z.looseObject({
    type: z.literal('content-start'),
    index: z.number().nullish(),
    delta: z.looseObject({ message: z.looseObject({ content: streamContentSchema.nullish() }).nullish() }).nullish(),
  }),
  z.looseObject({
    type: z.literal('content-delta'),
    index: z.number().nullish(),
    delta: z.looseObject({ message: z.looseObject({ content: streamContentSchema.nullish() }).nullish() }).nullish(),
  }),
  z.looseObject({ type: z.literal('content-end'), index: z.number().nullish() }),
  z.looseObject({
    type: z.literal('tool-plan-delta'),
    delta: z.looseObject({ message: z.looseObject({ tool_plan: z.string().nullish() }).nullish() }).nullish(),
  }),
  z.looseObject({
    type: z.literal('tool-call-start'),
    index: z.number().nullish(),
    delta: z.looseObject({ message: z.looseObject({ tool_calls: toolCallSchema.nullish() }).nullish() }).nullish(),
  }),
  z.looseObject({
    type: z.literal('tool-call-delta'),
    index: z.number().nullish(),
    delta: z.looseObject({ message: z.looseObject({ tool_calls: toolCallSchema.nullish() }).nullish() }).nullish(),
  }),
  z.looseObject({ type: z.literal('tool-call-end'), index: z.number().nullish() }),
  z.looseObject({ type: z.literal('citation-start') }),
  z.looseObject({ type: z.literal('citation-end') }),
  z.looseObject({
    type: z.literal('message-end'),
    delta: z.looseObject({ finish_reason: z.string().nullish(), usage: cohereUsageSchema.nullish() }).nullish(),
  }),
]);
export type CohereStreamEvent = z.infer<typeof streamEventSchema>;
export const streamEventTypes: ReadonlySet<string> = new Set(streamEventSchema.options.map((option) => option.shape.type.value));

/** `{"id": "...", "message": "invalid api token"}`: the body of every Cohere error response. */
export const errorBodySchema = z.looseObject({ id: z.string().nullish(), message: z.string() });

/** `POST /v2/embed` with `embedding_types`: vectors keyed by type. */
export const embedResponseSchema = z.looseObject({
  id: z.string().nullish(),
  embeddings: z.looseObject({
    float: z.array(z.array(z.number())).nullish(),
    base64: z.array(z.string()).nullish(),
  }),
  meta: z
    .looseObject({
      billed_units: z.looseObject({ input_tokens: count }).nullish(),
      tokens: z.looseObject({ input_tokens: count }).nullish(),
    })
    .nullish(),
});
export type CohereEmbedResponse = z.infer<typeof embedResponseSchema>;
