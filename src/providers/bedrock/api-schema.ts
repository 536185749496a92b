/**
 * Bedrock Runtime wire shapes (Converse, ConverseStream, InvokeModel embeddings), in zod.
 * Objects are loose: Bedrock adds fields over time and the gateway reads only what it maps.
 */
import { z } from 'zod';

export const tokenUsageSchema = z.looseObject({
  inputTokens: z.number(),
  outputTokens: z.number(),
  totalTokens: z.number().optional(),
  cacheReadInputTokens: z.number().optional(),
  cacheWriteInputTokens: z.number().optional(),
});
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

const reasoningContentSchema = z.looseObject({
  reasoningText: z.looseObject({ text: z.string(), signature: z.string().optional() }).optional(),
  redactedContent: z.string().optional(),
});

const toolUseSchema = z.looseObject({ toolUseId: z.string(), name: z.string(), input: z.unknown() });

/** One block of `output.message.content`: a union in Bedrock, so each member is optional here. */
export const responseContentBlockSchema = z.looseObject({
  text: z.string().optional(),
  toolUse: toolUseSchema.optional(),
  reasoningContent: reasoningContentSchema.optional(),
});
export type ResponseContentBlock = z.infer<typeof responseContentBlockSchema>;

export const stopReasonSchema = z.string();

export const converseResponseSchema = z.looseObject({
  output: z.looseObject({
    message: z.looseObject({ role: z.string().optional(), content: z.array(responseContentBlockSchema) }),
  }),
  stopReason: stopReasonSchema,
  usage: tokenUsageSchema.optional(),
});
export type ConverseResponse = z.infer<typeof converseResponseSchema>;

// ConverseStream events: the `:event-type` header names the event, the payload is its value.

export const messageStartEventSchema = z.looseObject({ role: z.string().optional() });

export const contentBlockStartEventSchema = z.looseObject({
  contentBlockIndex: z.number(),
  start: z.looseObject({ toolUse: z.looseObject({ toolUseId: z.string(), name: z.string() }).optional() }).optional(),
});

export const contentBlockDeltaEventSchema = z.looseObject({
  contentBlockIndex: z.number(),
  delta: z.looseObject({
    text: z.string().optional(),
    toolUse: z.looseObject({ input: z.string() }).optional(),
    reasoningContent: z
      .looseObject({ text: z.string().optional(), signature: z.string().optional(), redactedContent: z.string().optional() })
      .optional(),
  }),
});

export const contentBlockStopEventSchema = z.looseObject({ contentBlockIndex: z.number() });

export const messageStopEventSchema = z.looseObject({ stopReason: stopReasonSchema });

export const metadataEventSchema = z.looseObject({ usage: tokenUsageSchema.optional() });

/** The events of ConverseStream that carry data (exceptions are raised by the frame decoder). */
export const streamEventSchemas = {
  messageStart: messageStartEventSchema,
  contentBlockStart: contentBlockStartEventSchema,
  contentBlockDelta: contentBlockDeltaEventSchema,
  contentBlockStop: contentBlockStopEventSchema,
  messageStop: messageStopEventSchema,
  metadata: metadataEventSchema,
} as const;
export type StreamEventType = keyof typeof streamEventSchemas;

// InvokeModel embeddings.

/** amazon.titan-embed-text-v1 / v2. */
export const titanEmbeddingResponseSchema = z.looseObject({
  embedding: z.array(z.number()),
  inputTextTokenCount: z.number(),
});

/** cohere.embed-*: a list of vectors, or vectors by type when `embedding_types` was sent. */
export const cohereEmbeddingResponseSchema = z.looseObject({
  embeddings: z.union([z.array(z.array(z.number())), z.looseObject({ float: z.array(z.array(z.number())) })]),
});

/** Bedrock's error body: `{"message": ...}` (some services spell it `Message`); the type is in `x-amzn-errortype`. */
export const errorBodySchema = z.looseObject({
  message: z.string().optional(),
  Message: z.string().optional(),
  __type: z.string().optional(),
});

// Request shapes (built by the gateway, so plain types rather than schemas).

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';
export type DocumentFormat = 'pdf' | 'csv' | 'doc' | 'docx' | 'xls' | 'xlsx' | 'html' | 'txt' | 'md';

/** A prompt-caching checkpoint: the prefix up to the block before it is cached. */
export type CachePoint = { cachePoint: { type: 'default' } };
export const cachePoint: CachePoint = { cachePoint: { type: 'default' } };

export type ContentBlock =
  | CachePoint
  | { text: string }
  | { reasoningContent: { reasoningText: { text: string; signature: string } } | { redactedContent: string } }
  | { image: { format: ImageFormat; source: { bytes: string } } }
  | { document: { format: DocumentFormat; name: string; source: { bytes: string } } }
  | { toolUse: { toolUseId: string; name: string; input: Record<string, unknown> } }
  | { toolResult: { toolUseId: string; content: Array<{ text: string }> } };

export interface BedrockMessage {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

export type ToolSpec = { toolSpec: { name: string; description?: string; inputSchema: { json: Record<string, unknown> } } } | CachePoint;

export type ToolChoiceBody = { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };

export interface ConverseRequestBody {
  messages: BedrockMessage[];
  system?: Array<{ text: string } | CachePoint>;
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: { tools: ToolSpec[]; toolChoice?: ToolChoiceBody };
  outputConfig?: { textFormat: { type: 'json_schema'; structure: { jsonSchema: { schema: string; name?: string; description?: string } } } };
  additionalModelRequestFields?: Record<string, unknown>;
  requestMetadata?: Record<string, string>;
  [topLevel: string]: unknown;
}
