/**
 * Mistral chat and embeddings wire shapes (the parts the gateway reads), in zod.
 * Objects are loose: Mistral adds fields (usage details, references, ...) that the mappings
 * carry past without reading.
 */
import { z } from 'zod';

const count = z.number().nullish();

export const mistralUsageSchema = z.looseObject({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count,
  /** Cached prompt tokens; Mistral has reported them under each of these names. */
  num_cached_tokens: count,
  prompt_tokens_details: z.looseObject({ cached_tokens: count }).nullish(),
  prompt_token_details: z.looseObject({ cached_tokens: count }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: count }).nullish(),
});
export type MistralUsage = z.infer<typeof mistralUsageSchema>;

/** A content chunk: `text` and `thinking` (whose `thinking` is a list of text chunks) are read; `image_url`, `reference`, ... are skipped. */
export const contentChunkSchema = z.looseObject({
  type: z.string(),
  text: z.string().nullish(),
  thinking: z.array(z.looseObject({ type: z.string().nullish(), text: z.string().nullish() })).nullish(),
});
export type MistralContentChunk = z.infer<typeof contentChunkSchema>;

/** Message content: a string, a list of chunks (reasoning models), or null (tool calls only). */
export const contentSchema = z.union([z.string(), z.array(contentChunkSchema)]).nullish();
export type MistralContent = z.infer<typeof contentSchema>;

export const toolCallSchema = z.looseObject({
  id: z.string().nullish(),
  type: z.string().nullish(),
  index: z.number().nullish(),
  function: z.looseObject({
    name: z.string().nullish(),
    /** A JSON string, though Mistral's schema also allows an object. */
    arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
  }),
});
export type MistralToolCall = z.infer<typeof toolCallSchema>;

export const chatResponseSchema = z.looseObject({
  id: z.string().nullish(),
  created: z.number().nullish(),
  model: z.string().nullish(),
  choices: z.array(
    z.looseObject({
      index: z.number(),
      finish_reason: z.string().nullish(),
      message: z.looseObject({ content: contentSchema, tool_calls: z.array(toolCallSchema).nullish() }),
    }),
  ),
  usage: mistralUsageSchema.nullish(),
});
export type MistralChatResponse = z.infer<typeof chatResponseSchema>;

export const chatChunkSchema = z.looseObject({
  choices: z
    .array(
      z.looseObject({
        index: z.number().nullish(),
        finish_reason: z.string().nullish(),
        delta: z.looseObject({ content: contentSchema, tool_calls: z.array(toolCallSchema).nullish() }).nullish(),
      }),
    )
    .nullish(),
  usage: mistralUsageSchema.nullish(),
});
export type MistralChatChunk = z.infer<typeof chatChunkSchema>;

/**
 * Error bodies. Mistral has sent several shapes:
 * `{"object":"error","message":"...","type":"...","param":null,"code":"3280"}`, the same with a
 * validation report as `message` (`{"detail":[{loc, msg}]}`), a bare `{"detail":[...]}` or
 * `{"detail":"Unauthorized"}`, and `{"message":"Unauthorized","request_id":"..."}`.
 */
export const errorBodySchema = z.looseObject({
  object: z.string().nullish(),
  message: z.unknown().optional(),
  detail: z.unknown().optional(),
  type: z.string().nullish(),
  param: z.string().nullish(),
  code: z.union([z.string(), z.number()]).nullish(),
});

export const embeddingResponseSchema = z.looseObject({
  model: z.string().nullish(),
  data: z.array(z.looseObject({ index: z.number().nullish(), embedding: z.union([z.array(z.number()), z.string()]) })),
  usage: z.looseObject({ prompt_tokens: count, total_tokens: count }).nullish(),
});
