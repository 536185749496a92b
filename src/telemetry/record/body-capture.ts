/**
 * What the log keeps of the bodies, per `logging.bodies`:
 * - `none`: nothing;
 * - `metadata`: the request's parameters and the shape of its messages
 *   (roles, part types, lengths) and the answer's shape, without any content;
 * - `full`: the bodies themselves, secrets masked, inline data (base64 images,
 *   audio, files) replaced by its size, and cut to a preview past a size limit.
 */
import type { ChatCompletion, ChatMessage, ChatRequest, EmbeddingRequest } from '../../api/chat-schema.js';
import type { BodyMode } from '../config-schema.js';
import type { SecretMasker } from './mask-secrets.js';

export interface CapturedBodies {
  readonly requestBody?: unknown;
  readonly responseBody?: unknown;
}

export interface BodySource {
  readonly chat?: ChatRequest;
  readonly embeddings?: EmbeddingRequest;
  readonly completion?: ChatCompletion;
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

const dataUrlPattern = /^data:([^;,]+)?(;base64)?,/;

/** Replaces inline data (data: URLs, audio, file data) by a note of its size. */
function withoutInlineData(value: unknown, key?: string): unknown {
  if (typeof value === 'string') {
    const dataUrl = dataUrlPattern.exec(value);
    if (dataUrl) return `data:${dataUrl[1] ?? ''}[${value.length - dataUrl[0].length} characters]`;
    if ((key === 'data' || key === 'file_data') && value.length > 256) return `[${value.length} characters]`;
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => withoutInlineData(item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, withoutInlineData(item, name)]));
  }
  return value;
}

function fullBody(value: unknown, masker: SecretMasker, maxBytes: number): unknown {
  if (value === undefined) return undefined;
  const masked = masker.json(withoutInlineData(value));
  const text = JSON.stringify(masked);
  if (Buffer.byteLength(text) <= maxBytes) return masked;
  return { truncated: true, bytes: Buffer.byteLength(text), preview: text.slice(0, Math.floor(maxBytes / 2)) };
}

export function captureBodies(source: BodySource, mode: BodyMode, masker: SecretMasker, maxBytes: number): CapturedBodies {
  switch (mode) {
    case 'none':
      return {};
    case 'metadata':
      return { requestBody: requestMetadata(source), responseBody: responseMetadata(source.completion) };
    case 'full':
      return { requestBody: fullBody(source.chat ?? source.embeddings, masker, maxBytes), responseBody: fullBody(source.completion, masker, maxBytes) };
    default: {
      const unreachable: never = mode;
      throw new Error(`unknown body mode ${String(unreachable)}`);
    }
  }
}
