/**
 * Anthropic's Messages API as a client sends it to `POST /v1/messages`, in zod.
 * What the gateway cannot carry to every provider (server tools, citations,
 * cache-control hints, containers, MCP servers) is refused with a 400 that
 * names it, never dropped silently. `cache_control` is carried on text, image,
 * document and tool-result blocks, system blocks and tools; on a `tool_use`
 * block it is accepted and not carried.
 */
import { z } from 'zod';
import { cacheControlSchema, modelNameSchema } from '../chat-schema.js';

const cacheControl = cacheControlSchema.nullish();

const textBlock = z.object({ type: z.literal('text'), text: z.string(), cache_control: cacheControl, citations: z.array(z.unknown()).nullish() });

const imageBlock = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
    z.object({ type: z.literal('url'), url: z.string().min(1) }),
  ]),
  cache_control: cacheControl,
});

const documentBlock = z.object({
  type: z.literal('document'),
  source: z.discriminatedUnion('type', [
    z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
    z.object({ type: z.literal('text'), media_type: z.string(), data: z.string() }),
  ]),
  title: z.string().nullish(),
  cache_control: cacheControl,
});

const toolUseBlock = z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown(), cache_control: cacheControl });

const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textBlock, imageBlock]))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});

const thinkingBlock = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
const redactedThinkingBlock = z.object({ type: z.literal('redacted_thinking'), data: z.string() });

export const inboundBlockSchema = z.discriminatedUnion('type', [textBlock, imageBlock, documentBlock, toolUseBlock, toolResultBlock, thinkingBlock, redactedThinkingBlock]);
export type InboundBlock = z.infer<typeof inboundBlockSchema>;

export const inboundMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(inboundBlockSchema)]),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

/** A client tool; server tools (`web_search_20250305`, `bash_…`) have a `type` of their own and are refused. */
const toolSchema = z.object({
  // First, so that a server tool's error is this one.
  type: z.literal('custom', { error: 'server tools (web search, code execution, bash, ...) are not supported through the gateway; only client tools with an input_schema are' }).optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
});

const toolChoiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('tool'), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('none') }),
]);

const thinkingSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) }),
  z.object({ type: z.literal('disabled') }),
  z.object({ type: z.literal('adaptive') }),
]);

/** Unknown top-level keys are kept (`service_tier`, `context_management`, ...): they pass through to the provider, as on the chat API. */
export const messagesRequestSchema = z.looseObject({
  model: modelNameSchema,
  messages: z.array(inboundMessageSchema).min(1),
  max_tokens: z.number().int().positive(),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().positive().optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  thinking: thinkingSchema.optional(),
  metadata: z.object({ user_id: z.string().nullish() }).optional(),
});
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

/** `POST /v1/messages/count_tokens`: the same body without `max_tokens` (nor `stream`). */
export const countTokensRequestSchema = messagesRequestSchema.omit({ max_tokens: true, stream: true });

/** Either body: what the conversion to a chat request reads. */
export type MessagesInput = z.infer<typeof countTokensRequestSchema> & { max_tokens?: number; stream?: boolean };
