/**
 * OpenAI's Responses API as a client sends it to `POST /v1/responses`, in zod.
 * Only what maps onto the canonical chat request is described: messages, function calls and their
 * outputs, reasoning items, function tools. Item, part and tool types the gateway cannot carry to every
 * provider (built-in tools, their calls, item references) fail here with a message that names the type;
 * settings that need state the gateway does not keep (`previous_response_id`, `conversation`, stored
 * prompts) are accepted by the shape and refused by the conversion (`to-chat.ts`), naming the field.
 */
import { z } from 'zod';
import { modelNameSchema, reasoningEffortSchema, thinkingBlockSchema, type ThinkingBlock } from '../chat-schema.js';

const nameOf = (input: unknown, key: string): string => {
  const value = input && typeof input === 'object' ? (input as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : String(value);
};

/**
 * A string, or an array of `items`: as `z.union([z.string(), z.array(items)])`, except that an error inside
 * the array keeps its path (`input.3.type`), where a failed zod union reports only its own (`input`).
 */
function textOrArray<T extends z.ZodType>(items: T) {
  const array = z.array(items);
  return z.unknown().transform((value, context): string | z.output<typeof array> => {
    if (typeof value === 'string') return value;
    if (!Array.isArray(value)) {
      context.addIssue({ code: 'custom', message: 'Invalid input: expected a string or an array', input: value });
      return z.NEVER;
    }
    const parsed = array.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) context.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: value });
    return z.NEVER;
  });
}

const inputText = z.object({ type: z.literal('input_text'), text: z.string() });
const outputText = z.object({ type: z.literal('output_text'), text: z.string(), annotations: z.array(z.unknown()).optional(), logprobs: z.array(z.unknown()).nullish() });
const inputImage = z.object({
  type: z.literal('input_image'),
  image_url: z.string().min(1).nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(['auto', 'low', 'high']).nullish(),
});
const inputFile = z.object({
  type: z.literal('input_file'),
  file_id: z.string().nullish(),
  file_data: z.string().nullish(),
  file_url: z.string().nullish(),
  filename: z.string().nullish(),
  detail: z.string().nullish(),
});
const refusal = z.object({ type: z.literal('refusal'), refusal: z.string() });

export const contentPartSchema = z.discriminatedUnion('type', [inputText, outputText, inputImage, inputFile, refusal], {
  error: (issue) => (issue.code === 'invalid_union' ? `A ${nameOf(issue.input, 'type')} content part is not supported; parts are input_text, input_image, input_file, output_text and refusal.` : undefined),
});
export type ResponsesContentPart = z.infer<typeof contentPartSchema>;

/** An easy message (`{ role, content }`, no `type`) and a message item (`type: "message"`) are one shape. */
const messageItem = z.object({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: textOrArray(contentPartSchema),
  id: z.string().nullish(),
  status: z.string().nullish(),
});

const functionCallItem = z.object({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  id: z.string().nullish(),
  status: z.string().nullish(),
});

const functionCallOutputItem = z.object({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: textOrArray(contentPartSchema),
  id: z.string().nullish(),
  status: z.string().nullish(),
});

const reasoningItem = z.object({
  type: z.literal('reasoning'),
  id: z.string().nullish(),
  summary: z.array(z.object({ type: z.literal('summary_text'), text: z.string() })),
  encrypted_content: z.string().nullish(),
  content: z.array(z.object({ type: z.literal('reasoning_text'), text: z.string() })).nullish(),
  status: z.string().nullish(),
});

export const inputItemSchema = z.discriminatedUnion('type', [messageItem, functionCallItem, functionCallOutputItem, reasoningItem], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `A ${nameOf(issue.input, 'type')} item is not supported through the gateway (it keeps no stored items and runs no built-in tools); items are messages, function_call, function_call_output and reasoning.`
      : undefined,
});
export type ResponsesInputItem = z.infer<typeof inputItemSchema>;

/** A function tool; built-in tools (`web_search`, `file_search`, `mcp`, `custom`, ...) run inside OpenAI and are refused. */
const functionTool = z.object({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

export const toolSchema = z.discriminatedUnion('type', [functionTool], {
  error: (issue) =>
    issue.code === 'invalid_union' ? `The ${nameOf(issue.input, 'type')} tool is not supported through the gateway: built-in tools run inside OpenAI; only function tools can go to every provider.` : undefined,
});
export type ResponsesTool = z.infer<typeof toolSchema>;

export const toolChoiceSchema = z.union([z.enum(['auto', 'none', 'required']), z.object({ type: z.literal('function'), name: z.string().min(1) })], {
  error: 'tool_choice must be "auto", "none", "required" or { "type": "function", "name": ... }: built-in tools, allowed_tools and MCP choices are not supported through the gateway.',
});

export const textFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    name: z.string().min(1),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullish(),
    description: z.string().nullish(),
  }),
]);

/** Unknown top-level keys are kept: they pass through to the provider, as on the chat API. */
export const responsesRequestSchema = z.looseObject({
  model: modelNameSchema,
  input: textOrArray(inputItemSchema),
  instructions: z.string().nullish(),
  tools: z.array(toolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  stream: z.boolean().nullish(),
  reasoning: z.object({ effort: reasoningEffortSchema.nullish(), summary: z.enum(['auto', 'concise', 'detailed']).nullish() }).nullish(),
  text: z.object({ format: textFormatSchema.nullish(), verbosity: z.enum(['low', 'medium', 'high']).nullish() }).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().nullish(),
  conversation: z.union([z.string(), z.looseObject({ id: z.string() })]).nullish(),
  background: z.boolean().nullish(),
  include: z.array(z.string()).nullish(),
  truncation: z.enum(['auto', 'disabled']).nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  prompt: z.unknown().optional(),
  prompt_cache_key: z.string().nullish(),
  service_tier: z.string().nullish(),
});
export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

/**
 * Signed reasoning (Anthropic's thinking blocks) rides in a reasoning item's `encrypted_content`, the field
 * the Responses API keeps for opaque reasoning a client sends back unchanged: with thinking on, Anthropic
 * refuses a tool-use turn whose thinking block was lost. The prefix tells these apart from OpenAI's own
 * encrypted reasoning, which no other provider can read and which the conversion leaves out.
 */
const carriedThinkingPrefix = 'thinking_blocks.v1.';

export function encodeThinkingBlocks(blocks: readonly ThinkingBlock[]): string {
  return carriedThinkingPrefix + Buffer.from(JSON.stringify(blocks), 'utf8').toString('base64');
}

/** The thinking blocks `encodeThinkingBlocks` carried, or undefined for any other content. */
export function decodeThinkingBlocks(encrypted: string | null | undefined): ThinkingBlock[] | undefined {
  if (!encrypted?.startsWith(carriedThinkingPrefix)) return undefined;
  try {
    const parsed = z.array(thinkingBlockSchema).safeParse(JSON.parse(Buffer.from(encrypted.slice(carriedThinkingPrefix.length), 'base64').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
