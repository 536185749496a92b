/**
 * A Responses API request → the canonical chat request, so that every provider, route, cache, guardrail
 * and budget serves it as any other.
 *
 * Choices where the two shapes differ:
 * - `instructions` → a system message first; a string `input` → one user message.
 * - Items keep their order. `function_call` items become the `tool_calls` of one assistant message: the
 *   assistant message just before them when there is one, else a new one with no text. A `reasoning`
 *   item's summary (else its reasoning text) becomes the `reasoning_content` of the assistant message that
 *   follows it; with nothing assistant-side after it, chat has no place for it and it is left out.
 *   OpenAI's own `encrypted_content` is left out too (no other provider can read it); thinking blocks the
 *   gateway carried there (`encodeThinkingBlocks`) come back as `thinking_blocks`.
 * - A refusal part of an assistant message is carried as its text, so that every provider sees what was said.
 * - The gateway keeps no state: `previous_response_id`, `conversation`, stored `prompt`s and
 *   `background: true` are refused with a 400 naming the field. `store` is accepted and ignored (SDKs send
 *   it by default; nothing is stored). Of `include`, only `reasoning.encrypted_content` is accepted.
 * - `truncation` is dropped: `disabled` is what a chat request does anyway, and under `auto` an input over
 *   the context window fails with the provider's error instead of being cut, so nothing goes wrong unseen.
 * - `reasoning.summary` is dropped: chat has no such setting, and whatever reasoning text a provider
 *   returns is rendered as the summary.
 * - A function tool without `strict` stays without it: the Responses API would default it to true, but
 *   strict schemas need a shape few tools meet and that no provider but OpenAI checks.
 * - `text.format: text` is the default and is not sent; `text.verbosity` → `verbosity`, OpenAI chat's name.
 * - `tool_choice` and `parallel_tool_calls` go only with tools: without any they ask nothing, and OpenAI's
 *   chat refuses them there.
 * - `safety_identifier` → `user` when there is no `user` (the canonical request has one end-user field).
 * - `top_logprobs` above 0 → `top_logprobs` with `logprobs: true`; 0 asks for none and is not sent.
 * - `service_tier`, `prompt_cache_key` and any parameter not named here pass through as they are, as on the
 *   chat API: OpenAI's chat takes them under the same names; other dialects refuse them or not.
 */
import type { ChatMessage, ContentPart, ThinkingBlock, ToolCall } from '../chat-schema.js';
import { GatewayError } from '../errors.js';
import { decodeThinkingBlocks, type ResponsesContentPart, type ResponsesInputItem, type ResponsesRequest } from './request-schema.js';

type MessageItem = Extract<ResponsesInputItem, { role: string }>;
type ReasoningItem = Extract<ResponsesInputItem, { type: 'reasoning' }>;
type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

/** Reasoning read from `reasoning` items, waiting for the assistant message it belongs to. */
interface PendingReasoning {
  text: string;
  blocks: ThinkingBlock[];
}

function refuse(param: string, message: string): never {
  throw new GatewayError('unsupported_parameter', { param, message });
}

function invalid(param: string, message: string): never {
  throw new GatewayError('invalid_request', { param, message });
}

/** Settings that need state the gateway does not keep, or that it cannot honour. */
function refuseUnsupported(body: ResponsesRequest): void {
  if (body.previous_response_id) refuse('previous_response_id', 'The gateway stores no responses, so previous_response_id cannot be followed: send the whole conversation in input.');
  if (body.conversation) refuse('conversation', 'The gateway keeps no conversations: send the whole conversation in input.');
  if (body.background) refuse('background', 'Background responses are not supported through the gateway: the gateway stores no responses to poll.');
  if (body.prompt !== undefined && body.prompt !== null) refuse('prompt', 'Stored prompts are not supported through the gateway: send instructions and input instead.');
  body.include?.forEach((value, index) => {
    if (value !== 'reasoning.encrypted_content') refuse(`include.${index}`, `include "${value}" is not supported through the gateway; only "reasoning.encrypted_content" is accepted.`);
  });
}

/** A user, system or developer message's part as a canonical part. */
function inputPart(part: ResponsesContentPart, path: string): ContentPart {
  switch (part.type) {
    case 'input_text':
      return { type: 'text', text: part.text };
    case 'input_image':
      if (part.file_id) refuse(`${path}.file_id`, 'An image given by file_id is not supported through the gateway: send its image_url (a URL or a data URL).');
      if (!part.image_url) invalid(path, 'An input_image needs an image_url.');
      return { type: 'image_url', image_url: { url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) } };
    case 'input_file':
      // `detail` only tunes how OpenAI renders PDF pages; a chat file part has no such setting.
      if (part.file_url) refuse(`${path}.file_url`, 'A file given by file_url is not supported through the gateway: send its file_data (a data URL) or file_id.');
      if (!part.file_data && !part.file_id) invalid(path, 'An input_file needs file_data or file_id.');
      return { type: 'file', file: { ...(part.file_data ? { file_data: part.file_data } : {}), ...(part.file_id ? { file_id: part.file_id } : {}), ...(part.filename ? { filename: part.filename } : {}) } };
    default:
      return refuse(path, `Only an assistant message can hold a ${part.type} part.`);
  }
}

function inputMessage(item: MessageItem, path: string): ChatMessage {
  if (typeof item.content === 'string') return item.role === 'user' ? { role: 'user', content: item.content } : { role: item.role === 'system' ? 'system' : 'developer', content: item.content };
  const parts = item.content.map((part, index) => inputPart(part, `${path}.content.${index}`));
  if (item.role === 'user') return { role: 'user', content: parts };
  const texts = parts.map((part, index) => (part.type === 'text' ? part : refuse(`${path}.content.${index}`, `A ${item.role} message can hold text only.`)));
  return { role: item.role === 'system' ? 'system' : 'developer', content: texts };
}

/** The text of parts that can only be text: an assistant message's, a function call's output. */
function textOf(parts: string | ResponsesContentPart[], path: string, where: string): string {
  if (typeof parts === 'string') return parts;
  return parts
    .map((part, index) => {
      if (part.type === 'input_text' || part.type === 'output_text') return part.text;
      if (part.type === 'refusal') return part.refusal;
      return refuse(`${path}.${index}`, `${where} can carry text only through the gateway; a ${part.type} part there is not supported.`);
    })
    .join('');
}

function reasoningOf(item: ReasoningItem, pending: PendingReasoning | undefined): PendingReasoning {
  const summary = item.summary.map((part) => part.text).filter((text) => text !== '');
  const texts = summary.length > 0 ? summary : (item.content ?? []).map((part) => part.text).filter((text) => text !== '');
  const text = [pending?.text ?? '', ...texts].filter((each) => each !== '').join('\n\n');
  return { text, blocks: [...(pending?.blocks ?? []), ...(decodeThinkingBlocks(item.encrypted_content) ?? [])] };
}

function withReasoning(message: AssistantMessage, reasoning: PendingReasoning | undefined): AssistantMessage {
  if (!reasoning) return message;
  const text = [message.reasoning_content ?? '', reasoning.text].filter((each) => each !== '').join('\n\n');
  const blocks = [...(message.thinking_blocks ?? []), ...reasoning.blocks];
  return { ...message, ...(text !== '' ? { reasoning_content: text } : {}), ...(blocks.length > 0 ? { thinking_blocks: blocks } : {}) };
}

/** The input items, in order, as chat messages. */
function inputMessages(input: ResponsesRequest['input']): ChatMessage[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  const messages: ChatMessage[] = [];
  let reasoning: PendingReasoning | undefined;
  input.forEach((item, index) => {
    const path = `input.${index}`;
    if (item.type === 'reasoning') {
      reasoning = reasoningOf(item, reasoning);
    } else if (item.type === 'function_call') {
      const call: ToolCall = { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } };
      const last = messages.at(-1);
      if (last?.role === 'assistant') messages[messages.length - 1] = withReasoning({ ...last, tool_calls: [...(last.tool_calls ?? []), call] }, reasoning);
      else messages.push(withReasoning({ role: 'assistant', content: null, tool_calls: [call] }, reasoning));
      reasoning = undefined;
    } else if (item.type === 'function_call_output') {
      messages.push({ role: 'tool', tool_call_id: item.call_id, content: textOf(item.output, `${path}.output`, 'A function_call_output') });
    } else if (item.role === 'assistant') {
      const text = textOf(item.content, `${path}.content`, 'An assistant message');
      messages.push(withReasoning({ role: 'assistant', content: text === '' ? null : text }, reasoning));
      reasoning = undefined;
    } else {
      messages.push(inputMessage(item, path));
    }
  });
  return messages;
}

/** Tools, with `tool_choice` and `parallel_tool_calls` only beside them: OpenAI's chat refuses either without tools. */
function chatTools(body: ResponsesRequest): Record<string, unknown> {
  const { tools, tool_choice: choice, parallel_tool_calls: parallel } = body;
  if (!tools?.length) return {};
  return {
    ...(choice ? { tool_choice: typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } } } : {}),
    ...(typeof parallel === 'boolean' ? { parallel_tool_calls: parallel } : {}),
    tools: tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        ...(tool.parameters ? { parameters: tool.parameters } : {}),
        ...(typeof tool.strict === 'boolean' ? { strict: tool.strict } : {}),
      },
    })),
  };
}

function responseFormat(text: ResponsesRequest['text']): Record<string, unknown> {
  const format = text?.format;
  const verbosity = text?.verbosity ? { verbosity: text.verbosity } : {};
  if (!format || format.type === 'text') return verbosity;
  if (format.type === 'json_object') return { ...verbosity, response_format: { type: 'json_object' } };
  const schema = {
    name: format.name,
    schema: format.schema,
    ...(typeof format.strict === 'boolean' ? { strict: format.strict } : {}),
    ...(format.description ? { description: format.description } : {}),
  };
  return { ...verbosity, response_format: { type: 'json_schema', json_schema: schema } };
}

/** The keys mapped (or refused, or dropped) above; any other key passes through. */
const mappedKeys = new Set([
  'model', 'input', 'instructions', 'tools', 'tool_choice', 'parallel_tool_calls', 'temperature', 'top_p', 'max_output_tokens', 'stream', 'reasoning', 'text',
  'metadata', 'user', 'safety_identifier', 'store', 'previous_response_id', 'conversation', 'background', 'include', 'truncation', 'top_logprobs', 'prompt',
]);

function passedThrough(body: Record<string, unknown>): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!mappedKeys.has(key) && value !== undefined && value !== null) extra[key] = value;
  return extra;
}

/** The canonical request, to be validated by the chat schema like any other. */
export function responsesToChat(body: ResponsesRequest): Record<string, unknown> {
  refuseUnsupported(body);
  const messages: ChatMessage[] = [];
  if (body.instructions) messages.push({ role: 'system', content: body.instructions });
  messages.push(...inputMessages(body.input));
  const user = body.user ?? body.safety_identifier;
  return {
    ...passedThrough(body),
    model: body.model,
    messages,
    ...(body.max_output_tokens != null ? { max_completion_tokens: body.max_output_tokens } : {}),
    ...(body.stream ? { stream: true } : {}),
    ...(body.temperature != null ? { temperature: body.temperature } : {}),
    ...(body.top_p != null ? { top_p: body.top_p } : {}),
    ...(body.metadata ? { metadata: body.metadata } : {}),
    ...(user ? { user } : {}),
    ...(body.reasoning?.effort ? { reasoning_effort: body.reasoning.effort } : {}),
    ...(body.top_logprobs ? { logprobs: true, top_logprobs: body.top_logprobs } : {}),
    ...chatTools(body),
    ...responseFormat(body.text),
  };
}
