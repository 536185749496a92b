/**
 * What the log keeps of the bodies, per `logging.bodies`:
 * - `none`: nothing;
 * - `metadata`: the request's parameters and the shape of its messages
 *   (roles, part types, lengths) and the answer's shape, without any content;
 * - `full`: the bodies themselves, secrets masked, inline data (base64 images,
 *   audio, files) replaced by its size, and cut to a preview past a size limit
 *   (`clean-body.ts` does the first two in one walk, which also bounds the
 *   size, so the text of a body that surely fits is not measured in bytes).
 * Every body leaves here as JSON text, serialized once.
 */
import type { ChatCompletion, ChatMessage, ChatRequest, EmbeddingRequest } from '../../api/chat-schema.js';
import type { BodyMode } from '../config-schema.js';
import { cleanBody } from './clean-body.js';
import type { SecretMasker } from './mask-secrets.js';

/** The bodies as the log keeps them: JSON text, each serialized once, here. */
export interface CapturedBodies {
  readonly requestBody?: string;
  readonly responseBody?: string;
}

export interface BodySource {
  readonly chat?: ChatRequest;
  readonly embeddings?: EmbeddingRequest;
  readonly completion?: ChatCompletion;
  /** `JSON.stringify(of)`, where it was already made (the answer as sent). */
  readonly completionText?: { readonly of: ChatCompletion; readonly text: string };
}

/** Request keys that carry content, left out of `metadata` bodies. */
const contentKeys = new Set(['messages', 'input', 'tools', 'metadata', 'user', 'prediction', 'response_format', 'logit_bias']);

function contentLength(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (Array.isArray(content)) return content.reduce<number>((sum, part) => sum + (typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string' ? part.text.length : 0), 0);
  return 0;
}

function messageShape(message: ChatMessage): Record<string, unknown> {
  const shape: Record<string, unknown> = { role: message.role, content_chars: contentLength(message.content) };
  if (Array.isArray(message.content)) shape.parts = message.content.map((part) => part.type);
  if (message.role === 'assistant' && message.tool_calls) shape.tool_calls = message.tool_calls.map((call) => call.function.name);
  return shape;
}

function requestMetadata(source: BodySource): Record<string, unknown> | undefined {
  const body = source.chat ?? source.embeddings;
  if (!body) return undefined;
  const parameters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!contentKeys.has(key) && value !== undefined && value !== null) parameters[key] = value;
  if (source.chat) {
    const chat = source.chat;
    return {
      ...parameters,
      messages: chat.messages.map(messageShape),
      ...(chat.tools ? { tools: chat.tools.map((tool) => tool.function.name) } : {}),
      ...(chat.response_format ? { response_format: chat.response_format.type } : {}),
    };
  }
  const input = source.embeddings!.input;
  return { ...parameters, inputs: Array.isArray(input) ? input.length : 1 };
}

function responseMetadata(completion: ChatCompletion | undefined): Record<string, unknown> | undefined {
  if (!completion) return undefined;
  return {
    id: completion.id,
    model: completion.model,
    choices: completion.choices.map((choice) => ({
      finish_reason: choice.finish_reason,
      content_chars: choice.message.content?.length ?? 0,
      ...(choice.message.tool_calls ? { tool_calls: choice.message.tool_calls.map((call) => call.function.name) } : {}),
    })),
  };
}

function jsonText(value: unknown): string | undefined {
  return value === undefined ? undefined : JSON.stringify(value);
}

/** `known`: the JSON text of `value`, if the caller has it; used when cleaning changed nothing. */
function fullBody(value: unknown, masker: SecretMasker, maxBytes: number, known?: { readonly of: unknown; readonly text: string }): string | undefined {
  if (value === undefined) return undefined;
  const { body, maxJsonBytes } = cleanBody(value, masker);
  const text = body === value && known?.of === value ? known.text : JSON.stringify(body);
  if (maxJsonBytes <= maxBytes) return text;
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return text;
  return JSON.stringify({ truncated: true, bytes, preview: text.slice(0, Math.floor(maxBytes / 2)) });
}

export function captureBodies(source: BodySource, mode: BodyMode, masker: SecretMasker, maxBytes: number): CapturedBodies {
  switch (mode) {
    case 'none':
      return {};
    case 'metadata':
      return { requestBody: jsonText(requestMetadata(source)), responseBody: jsonText(responseMetadata(source.completion)) };
    case 'full':
      return { requestBody: fullBody(source.chat ?? source.embeddings, masker, maxBytes), responseBody: fullBody(source.completion, masker, maxBytes, source.completionText) };
    default: {
      const unreachable: never = mode;
      throw new Error(`unknown body mode ${String(unreachable)}`);
    }
  }
}
