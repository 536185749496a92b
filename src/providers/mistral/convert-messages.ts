/**
 * OpenAI chat messages → Mistral `messages`. Mistral rejects any field it does not know (422
 * "Extra inputs are not permitted"), so each message is rebuilt from the fields Mistral reads.
 *
 * - `system` and `developer` → `system`.
 * - `user`: a string, or chunks: `text`, `image_url` (`{url, detail?}`, http(s) or data URLs),
 *   `input_audio` (the base64 data) and `document_url` for inline files (data URLs; bare base64 is taken
 *   as a PDF). OpenAI file ids cannot be resolved. A message `name` is not sent.
 * - `assistant`: text, and tool calls with ids made Mistral-valid (see tool-call-id.ts). A
 *   `reasoning_content` goes back as a `thinking` chunk before the text, so reasoning models keep
 *   their earlier thoughts across turns.
 * - `tool` → `{role: 'tool', tool_call_id, content}`, with the same id mapping.
 */
import type { ChatMessage, ContentPart } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import { contentParts, contentText, parseDataUrl } from '../shared/content.js';
import { mistralToolCallId } from './tool-call-id.js';

export type MistralUserChunk =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } }
  | { type: 'input_audio'; input_audio: string }
  | { type: 'document_url'; document_url: string; document_name?: string };

export type MistralAssistantChunk = { type: 'text'; text: string } | { type: 'thinking'; thinking: Array<{ type: 'text'; text: string }>; closed: true };

export interface MistralRequestToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type MistralRequestMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | MistralUserChunk[] }
  | { role: 'assistant'; content?: string | MistralAssistantChunk[]; tool_calls?: MistralRequestToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export function convertMessages(messages: readonly ChatMessage[], provider: string): MistralRequestMessage[] {
  return messages.map((message): MistralRequestMessage => {
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: contentText(message.content) };
      case 'user':
        return { role: 'user', content: typeof message.content === 'string' ? message.content : contentParts(message.content).map((part) => userChunk(part, provider)) };
      case 'assistant':
        return assistantMessage(message);
      case 'tool':
        return { role: 'tool', tool_call_id: mistralToolCallId(message.tool_call_id), content: contentText(message.content) };
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  });
}

function userChunk(part: ContentPart, provider: string): MistralUserChunk {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image_url': {
      const { url, detail } = part.image_url;
      return { type: 'image_url', image_url: detail ? { url, detail } : { url } };
    }
    case 'input_audio':
      return { type: 'input_audio', input_audio: part.input_audio.data };
    case 'file':
      return documentChunk(part.file, provider);
    default: {
      const unreachable: never = part;
      return unreachable;
    }
  }
}

function documentChunk(file: { file_data?: string; file_id?: string; filename?: string }, provider: string): MistralUserChunk {
  if (file.file_data === undefined) {
    throw new GatewayError('unsupported_parameter', { provider, param: 'messages', message: 'Mistral cannot read OpenAI file ids; send the file inline as file_data.' });
  }
  const url = parseDataUrl(file.file_data) ? file.file_data : `data:application/pdf;base64,${file.file_data}`;
  return { type: 'document_url', document_url: url, ...(file.filename ? { document_name: file.filename } : {}) };
}

function assistantMessage(message: Extract<ChatMessage, { role: 'assistant' }>): MistralRequestMessage {
  const text = contentText(message.content);
  const reasoning = message.reasoning_content ?? '';
  const calls = message.tool_calls ?? [];
  const result: Extract<MistralRequestMessage, { role: 'assistant' }> = { role: 'assistant' };
  if (reasoning !== '') {
    const chunks: MistralAssistantChunk[] = [{ type: 'thinking', thinking: [{ type: 'text', text: reasoning }], closed: true }];
    if (text !== '') chunks.push({ type: 'text', text });
    result.content = chunks;
  } else if (text !== '' || calls.length === 0) {
    result.content = text;
  }
  if (calls.length > 0) {
    result.tool_calls = calls.map((call) => ({
      id: mistralToolCallId(call.id),
      type: 'function',
      // A call without arguments is sent as `{}`: Mistral parses the arguments as JSON.
      function: { name: call.function.name, arguments: call.function.arguments.trim() === '' ? '{}' : call.function.arguments },
    }));
  }
  return result;
}
