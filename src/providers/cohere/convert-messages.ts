/**
 * OpenAI chat messages → Cohere v2 `messages`.
 *
 * - `system` and `developer` → `system` (Cohere v2 takes system turns in place).
 * - `user`: a string when the content is text only, else `text` and `image_url` parts
 *   (`{type: 'image_url', image_url: {url, detail?}}`, http(s) or base64 data URLs).
 * - `assistant`: text → `content`; with tool calls, the text goes into `tool_plan` (Cohere's
 *   slot for what the model says before calling tools, and where its own plan comes back from).
 *   Tool calls keep the OpenAI shape. `reasoning_content` of earlier turns is not sent back.
 * - `tool` → `{role: 'tool', tool_call_id, content}`.
 */
import type { ChatMessage, ContentPart } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import { contentParts, contentText } from '../shared/content.js';

export type CohereUserContent = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

export interface CohereRequestToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type CohereRequestMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | CohereUserContent[] }
  | { role: 'assistant'; content?: string; tool_plan?: string; tool_calls?: CohereRequestToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export function convertMessages(messages: readonly ChatMessage[], provider: string): CohereRequestMessage[] {
  return messages.map((message): CohereRequestMessage => {
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: contentText(message.content) };
      case 'user':
        return { role: 'user', content: userContent(message.content, provider) };
      case 'assistant':
        return assistantMessage(message);
      case 'tool':
        return { role: 'tool', tool_call_id: message.tool_call_id, content: contentText(message.content) };
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  });
}

function userContent(content: Extract<ChatMessage, { role: 'user' }>['content'], provider: string): string | CohereUserContent[] {
  if (typeof content === 'string') return content;
  const parts = contentParts(content).map((part) => userPart(part, provider));
  return parts.every((part) => part.type === 'text') ? parts.map((part) => (part.type === 'text' ? part.text : '')).join('') : parts;
}

function userPart(part: ContentPart, provider: string): CohereUserContent {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image_url': {
      const { url, detail } = part.image_url;
      return { type: 'image_url', image_url: detail ? { url, detail } : { url } };
    }
    case 'input_audio':
      throw new GatewayError('unsupported_parameter', { provider, param: 'messages', message: 'Cohere models do not accept audio input.' });
    case 'file':
      throw new GatewayError('unsupported_parameter', { provider, param: 'messages', message: 'Cohere chat messages do not take files; send text or images.' });
    default: {
      const unreachable: never = part;
      return unreachable;
    }
  }
}

function assistantMessage(message: Extract<ChatMessage, { role: 'assistant' }>): CohereRequestMessage {
  const text = contentText(message.content);
  const calls = message.tool_calls ?? [];
  if (calls.length === 0) return { role: 'assistant', content: text };
  return {
    role: 'assistant',
    ...(text !== '' ? { tool_plan: text } : {}),
    // A call without arguments is sent as `{}`: Cohere parses the arguments as JSON.
    tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.function.name, arguments: call.function.arguments.trim() === '' ? '{}' : call.function.arguments } })),
  };
}
