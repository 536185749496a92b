/**
 * The public contract: OpenAI's Chat Completions shapes, in zod.
 * Every inbound request is parsed into `ChatRequest`; every provider maps
 * from it and back into `ChatCompletion` / `ChatCompletionChunk`.
 * Unknown top-level keys are kept (loose objects) so provider-specific
 * parameters can pass through to dialects that accept them.
 */
import { z } from 'zod';

/**
 * A prompt-caching breakpoint, as Anthropic takes it and as OpenAI-format clients of gateways send it on a
 * content part or a tool: the prefix up to and including it is cached. Dialects with explicit caching
 * (Anthropic, Bedrock) place it; the others leave it out, as they cache prefixes by themselves.
 */
export const cacheControlSchema = z.object({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() });
export type CacheControl = z.infer<typeof cacheControlSchema>;

const imageUrlPart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
  cache_control: cacheControlSchema.optional(),
});
const textPart = z.object({ type: z.literal('text'), text: z.string(), cache_control: cacheControlSchema.optional() });
const inputAudioPart = z.object({
  type: z.literal('input_audio'),
  input_audio: z.object({ data: z.string(), format: z.string() }),
});
const filePart = z.object({
  type: z.literal('file'),
  file: z.looseObject({ file_data: z.string().optional(), file_id: z.string().optional(), filename: z.string().optional() }),
  cache_control: cacheControlSchema.optional(),
});
export const contentPartSchema = z.discriminatedUnion('type', [textPart, imageUrlPart, inputAudioPart, filePart]);
export type ContentPart = z.infer<typeof contentPartSchema>;

const textOnlyContent = z.union([z.string(), z.array(textPart)]);

export const toolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

/**
 * A reasoning block as the provider issued it, signature included (Anthropic's `thinking` and
 * `redacted_thinking`), so that a later turn can send it back unchanged: with thinking on, Anthropic
 * refuses a tool-use turn whose assistant message lost its thinking block. An answer carries them as
 * `message.thinking_blocks` (a stream: one whole block per delta, once the block ended); an assistant
 * message that brings them back has them replayed before its text and tool calls.
 */
export const thinkingBlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() }),
  z.object({ type: z.literal('redacted_thinking'), data: z.string() }),
]);
export type ThinkingBlock = z.infer<typeof thinkingBlockSchema>;

export const messageSchema = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('system'), content: textOnlyContent, name: z.string().optional() }),
  z.looseObject({ role: z.literal('developer'), content: textOnlyContent, name: z.string().optional() }),
  z.looseObject({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(contentPartSchema)]),
    name: z.string().optional(),
  }),
  z.looseObject({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(textPart), z.null()]).optional(),
    name: z.string().optional(),
    tool_calls: z.array(toolCallSchema).optional(),
    reasoning_content: z.string().nullish(),
    thinking_blocks: z.array(thinkingBlockSchema).optional(),
    refusal: z.string().nullish(),
  }),
  z.looseObject({ role: z.literal('tool'), content: textOnlyContent, tool_call_id: z.string() }),
]);
export type ChatMessage = z.infer<typeof messageSchema>;

export const functionToolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
  cache_control: cacheControlSchema.optional(),
});
export type FunctionTool = z.infer<typeof functionToolSchema>;

export const toolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

export const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

export const reasoningEffortSchema = z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
export type ReasoningEffort = z.infer<typeof reasoningEffortSchema>;

/**
 * Thinking-token budgets that `reasoning_effort` maps to for budget-based providers, and that the Messages API
 * maps a client's `budget_tokens` back from.
 */
export const reasoningBudgets: Readonly<Record<Exclude<ReasoningEffort, 'none'>, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
};

/**
 * A model (or route) name as a client may send it. Bounded: the request log keeps it in an indexed column, and
 * PostgreSQL refuses a B-tree entry past ~2.7 KB; no provider's names come near 256 characters (Bedrock's
 * inference-profile ARNs are the longest, at about 100).
 */
export const modelNameSchema = z.string().min(1).max(256);

export const chatRequestSchema = z.looseObject({
  model: modelNameSchema,
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(16)]).nullish(),
  seed: z.number().int().nullish(),
  user: z.string().nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  tools: z.array(functionToolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: responseFormatSchema.nullish(),
  reasoning_effort: reasoningEffortSchema.nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** Keys of ChatRequest that the gateway understands; anything else is provider-specific. */
export const knownChatKeys = new Set(Object.keys(chatRequestSchema.shape));

export const finishReasonSchema = z.enum(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);
export type FinishReason = z.infer<typeof finishReasonSchema>;

export const usageSchema = z.object({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().optional(), cache_write_tokens: z.number().optional() }).optional(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().optional() }).optional(),
});
export type Usage = z.infer<typeof usageSchema>;

export const assistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.string().nullable(),
  refusal: z.string().nullable().optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  reasoning_content: z.string().optional(),
  thinking_blocks: z.array(thinkingBlockSchema).optional(),
});

/**
 * The stop sequence that ended a choice, where the provider says which (Anthropic's `stop_sequence`; vLLM's
 * own field of this name, which may also be a token id): a gateway extension, absent otherwise. The Messages
 * API answers `stop_sequence` with it.
 */
const stopReasonSchema = z.union([z.string(), z.number()]).nullable().optional();

export const chatCompletionSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number(),
  model: z.string(),
  system_fingerprint: z.string().nullable().optional(),
  choices: z.array(
    z.object({
      index: z.number(),
      message: assistantMessageSchema,
      finish_reason: finishReasonSchema.nullable(),
      stop_reason: stopReasonSchema,
      logprobs: z.unknown().nullable().optional(),
    }),
  ),
  usage: usageSchema.optional(),
});
export type ChatCompletion = z.infer<typeof chatCompletionSchema>;

export const toolCallDeltaSchema = z.object({
  index: z.number(),
  id: z.string().optional(),
  type: z.literal('function').optional(),
  function: z.object({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
});
export type ToolCallDelta = z.infer<typeof toolCallDeltaSchema>;

export const chatCompletionChunkSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number(),
  model: z.string(),
  system_fingerprint: z.string().nullable().optional(),
  choices: z.array(
    z.object({
      index: z.number(),
      delta: z.object({
        role: z.literal('assistant').optional(),
        content: z.string().nullable().optional(),
        refusal: z.string().nullable().optional(),
        reasoning_content: z.string().optional(),
        thinking_blocks: z.array(thinkingBlockSchema).optional(),
        tool_calls: z.array(toolCallDeltaSchema).optional(),
      }),
      finish_reason: finishReasonSchema.nullable(),
      stop_reason: stopReasonSchema,
      logprobs: z.unknown().nullable().optional(),
    }),
  ),
  usage: usageSchema.nullable().optional(),
});
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;

export const embeddingRequestSchema = z.looseObject({
  model: modelNameSchema,
  input: z.union([z.string(), z.array(z.string()).min(1), z.array(z.number()), z.array(z.array(z.number()))]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().optional(),
  user: z.string().optional(),
});
export type EmbeddingRequest = z.infer<typeof embeddingRequestSchema>;

export const embeddingResponseSchema = z.object({
  object: z.literal('list'),
  model: z.string(),
  data: z.array(z.object({ object: z.literal('embedding'), index: z.number(), embedding: z.union([z.array(z.number()), z.string()]) })),
  usage: z.object({ prompt_tokens: z.number(), total_tokens: z.number() }),
});
export type EmbeddingResponse = z.infer<typeof embeddingResponseSchema>;
